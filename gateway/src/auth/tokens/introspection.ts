/**
 * Opaque tokens: RFC 7662 introspection at the provider, with the gateway's own client
 * credentials. Answers are cached by the token's SHA-256 (the token itself is never kept):
 * an active one until the token's `exp` or `cacheTtlSeconds`, whichever comes first; a refusal
 * (inactive, or active but refused here: another or no audience, another issuer, not an access
 * token, sender-constrained, already expired) for `inactiveCacheTtlSeconds`, so a repeated
 * unknown token does not reach the provider again within it. Refusals are kept apart from
 * active answers (two bounded caches), so a flood of made-up tokens cannot evict the answers of
 * real ones. Concurrent requests with the same token share one call. A provider that cannot be
 * asked is not remembered: the next request asks again.
 *
 * The calls a client can cause are bounded: each call (not each request; cached answers and
 * shared calls cost nothing) is charged to the client's address on the one limiter,
 * `clientCallsPerMinute` per minute; past it the client's uncached tokens get 429
 * `RATE_LIMITED` with `Retry-After`, without a call.
 *
 * An inactive answer is also put on the revocation list (for `cacheTtlSeconds`, the longest any
 * instance may hold the token as active), so every instance that cached the token as active
 * refuses it within a second, not when its own cache entry runs out. At most
 * `maxAnnouncementsPerSecond` such entries are added per second: anyone can send made-up opaque
 * tokens, each of which introspects as inactive, and without a bound each would cost a Redis
 * write, a message to every instance and an entry in every instance's memory. Past the bound
 * an inactive token is still refused here; other instances that cached it as active refuse it
 * when their cached answer runs out (`cacheTtlSeconds`), as without Redis.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ResolvedTokenProvider } from '../../config/types.js';
import { GatewayError } from '../../errors/index.js';
import type { Logger } from '../../telemetry/logger.js';
import { rateLimitedError, rateLimitHeaders, type RateLimiter } from '../../traffic/rate-limit/index.js';
import type { Principal } from '../principal.js';
import { principalFromClaims } from './claims.js';
import type { Clock } from './clock.js';
import { callProvider, clientAuthentication, isJsonObject, ProviderCallError } from './provider-http.js';
import { tokenRefused } from './refusal.js';
import { opaqueRevocationId, type RevocationList } from './revocation.js';

/** What the introspector needs: the provider (with `client` and `introspection`), its endpoint, the shared list. */
export interface IntrospectorOptions {
  provider: ResolvedTokenProvider;
  /** The introspection endpoint (configured, or from discovery). */
  endpoint: () => Promise<string>;
  clock: Clock;
  revocations: RevocationList;
  logger?: Logger;
  /** Most answers cached, active and refused each. Default 10000. */
  maxEntries?: number;
  /** The one limiter, charged per client address for each call (`introspection.clientCallsPerMinute`). Without it, calls are not limited. */
  limiter?: Pick<RateLimiter, 'consume'>;
  /** Most inactive tokens put on the shared revocation list per second. Default 50. */
  maxAnnouncementsPerSecond?: number;
}

interface Answer {
  principal?: Principal;
  /** An active answer the gateway refuses all the same (another audience, say): kept like an inactive one. */
  refusal?: GatewayError;
  /** Milliseconds since the epoch until which the answer is reused. */
  until: number;
}

const ACCESS_TOKEN_TYPES = new Set(['bearer', 'access_token']);

/** The SHA-256 of a token, base64url: the key under which anything about an opaque token is kept. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** The name of the per-client introspection policy in `RateLimit` headers and messages. */
export const INTROSPECTION_POLICY = 'introspection';

/** Introspects opaque tokens for one provider. */
export class Introspector {
  /** Active answers. */
  private readonly cache: LRUCache<string, Answer>;
  /** Refusals (inactive or refused answers): apart, so made-up tokens never evict real ones. */
  private readonly refusals: LRUCache<string, Answer>;
  private readonly pending = new Map<string, Promise<Answer>>();
  private announcementSecond = 0;
  private announcements = 0;

  constructor(private readonly options: IntrospectorOptions) {
    this.cache = new LRUCache({ max: options.maxEntries ?? 10_000 });
    this.refusals = new LRUCache({ max: options.maxEntries ?? 10_000 });
  }

  /** The cached answer for `hash` still valid at `now`. */
  private cached(hash: string, now: number): Answer | undefined {
    const answer = this.refusals.get(hash) ?? this.cache.get(hash);
    return answer !== undefined && answer.until > now ? answer : undefined;
  }

  /** Charges one call to `clientIp`; throws RATE_LIMITED (with its headers) past the limit. */
  private async charge(clientIp: string | undefined): Promise<void> {
    const perMinute = this.options.provider.introspection?.clientCallsPerMinute ?? 0;
    const limiter = this.options.limiter;
    if (limiter === undefined || perMinute === 0 || clientIp === undefined) return;
    // The limiter's store (Redis) down: the bound is waived rather than every opaque token refused.
    const decision = await limiter.consume(`introspect:${clientIp}`, { limit: perMinute, windowMs: 60_000 }, 1).catch(() => undefined);
    if (decision === undefined || decision.allowed) return;
    const refusal = rateLimitedError(INTROSPECTION_POLICY, decision);
    throw new GatewayError(
      'RATE_LIMITED',
      `Too many opaque tokens from this address needed checking with the token provider. ${refusal.message}`,
      refusal.details,
      { headers: rateLimitHeaders(INTROSPECTION_POLICY, decision) },
    );
  }

  /**
   * The principal of `token` (kind `opaque`), from the cache or the provider, for a request
   * from `clientIp` (charged when a call is made). Throws `UNAUTHENTICATED` with reason
   * `inactive` (the provider says so), `revoked`, `expired`, `wrong_audience` (another audience,
   * or none), `unknown_issuer`, `wrong_type`, `sender_constrained` or `introspection_failed`
   * (the provider could not be asked; not cached, the next request asks again); `RATE_LIMITED`
   * when `clientIp` has spent its calls.
   */
  async verify(token: string, now: number, clientIp?: string): Promise<Principal> {
    const hash = tokenHash(token);
    if (this.options.revocations.isRevoked(opaqueRevocationId(hash), now)) {
      throw tokenRefused('revoked', 'The bearer token has been revoked.');
    }
    let answer = this.cached(hash, now);
    if (answer === undefined) {
      // Only a request that makes a call pays for it; one that joins a call in flight does not.
      if (!this.pending.has(hash)) await this.charge(clientIp);
      let pending = this.pending.get(hash);
      if (pending === undefined) {
        pending = this.ask(token, hash, now).finally(() => this.pending.delete(hash));
        this.pending.set(hash, pending);
      }
      answer = await pending;
    }
    if (answer.refusal !== undefined) throw answer.refusal;
    const principal = answer.principal;
    if (principal === undefined) throw tokenRefused('inactive', 'The bearer token is not active (its provider says so).');
    const jti = principal.claims.jti;
    if (typeof jti === 'string' && this.options.revocations.isRevoked(jti, now)) throw tokenRefused('revoked', 'The bearer token has been revoked.');
    if (principal.expiresAt !== undefined && principal.expiresAt * 1000 <= now - this.options.provider.clockToleranceSeconds * 1000) {
      throw tokenRefused('expired', 'The bearer token has expired.');
    }
    return principal;
  }

  private async ask(token: string, hash: string, now: number): Promise<Answer> {
    const { provider, logger } = this.options;
    const settings = provider.introspection;
    const client = provider.client;
    if (settings === undefined || client === undefined) throw tokenRefused('introspection_failed', 'Opaque tokens are not accepted.');
    let json: unknown;
    let status: number;
    try {
      const auth = clientAuthentication(client);
      const url = await this.options.endpoint();
      ({ status, json } = await callProvider({
        url,
        timeoutMs: provider.timeoutMs,
        headers: auth.headers,
        form: { token, token_type_hint: 'access_token', ...auth.form },
      }));
    } catch (error) {
      const message = error instanceof ProviderCallError ? error.message : String(error);
      logger?.warn('token introspection failed', { provider: provider.name, error: message });
      throw tokenRefused('introspection_failed', 'The bearer token could not be checked with its provider; try again later.', error);
    }
    if (status !== 200 || !isJsonObject(json) || typeof json.active !== 'boolean') {
      logger?.warn('token introspection answered without a usable result', { provider: provider.name, status });
      throw tokenRefused('introspection_failed', 'The bearer token could not be checked with its provider; try again later.');
    }
    const refusedUntil = now + settings.inactiveCacheTtlSeconds * 1000;
    if (!json.active) {
      const answer: Answer = { until: refusedUntil };
      this.refusals.set(hash, answer);
      if (this.mayAnnounce(now)) {
        const revokeUntil = Math.ceil((now + settings.cacheTtlSeconds * 1000) / 1000);
        await this.options.revocations
          .revoke(opaqueRevocationId(hash), revokeUntil)
          .catch((error: unknown) => logger?.warn('could not share an inactive token on the revocation list', { error: String(error) }));
      }
      return answer;
    }
    const { active: _active, ...claims } = json;
    let principal: Principal;
    try {
      this.check(claims);
      principal = principalFromClaims('opaque', claims, provider.scopeClaim);
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error;
      const refused: Answer = { refusal: error, until: refusedUntil };
      this.refusals.set(hash, refused);
      return refused;
    }
    const expiry = typeof claims.exp === 'number' ? claims.exp * 1000 : Number.POSITIVE_INFINITY;
    if (expiry <= now - provider.clockToleranceSeconds * 1000) {
      // Active at the provider, expired by this gateway's clock: a refusal, remembered like one.
      const refused: Answer = { refusal: tokenRefused('expired', 'The bearer token has expired.'), until: refusedUntil };
      this.refusals.set(hash, refused);
      return refused;
    }
    const answer: Answer = { principal, until: Math.min(expiry, now + settings.cacheTtlSeconds * 1000) };
    this.cache.set(hash, answer);
    return answer;
  }

  /** True while this second's budget of shared inactive tokens lasts; warns once when it runs out. */
  private mayAnnounce(now: number): boolean {
    const second = Math.floor(now / 1000);
    if (second !== this.announcementSecond) {
      this.announcementSecond = second;
      this.announcements = 0;
    }
    this.announcements += 1;
    const budget = this.options.maxAnnouncementsPerSecond ?? 50;
    if (this.announcements === budget + 1) {
      this.options.logger?.warn('many inactive opaque tokens this second (made-up tokens?); the rest are not shared with other instances', {
        provider: this.options.provider.name,
        perSecond: budget,
      });
    }
    return this.announcements <= budget;
  }

  /** What an active answer must also satisfy (RFC 7662 §4 leaves these checks to the resource server). */
  private check(claims: Record<string, unknown>): void {
    const { provider } = this.options;
    if (claims.iss !== undefined && claims.iss !== provider.issuer) {
      throw tokenRefused('unknown_issuer', 'The bearer token was issued by another issuer than the provider that introspected it.');
    }
    // As for a JWT (jose's audience check): a token that names no audience is not meant for us.
    if (claims.aud === undefined) {
      throw tokenRefused('wrong_audience', 'The bearer token names no audience (its introspection answer has no "aud"); this gateway accepts only tokens meant for it.');
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.some((aud) => typeof aud === 'string' && provider.audience.includes(aud))) {
      throw tokenRefused('wrong_audience', 'The bearer token is not meant for this gateway (audience mismatch).');
    }
    if (typeof claims.token_type === 'string' && !ACCESS_TOKEN_TYPES.has(claims.token_type.toLowerCase())) {
      throw tokenRefused('wrong_type', `The bearer token is a ${claims.token_type} token, not an access token.`);
    }
    if (claims.cnf !== undefined) {
      throw tokenRefused('sender_constrained', 'The bearer token is bound to a key or certificate (cnf), which the gateway does not check; it is not accepted.');
    }
  }
}
