/**
 * The token service: everything about bearer tokens behind one object created once at start-up
 * from `config.auth` — verification (JWT or opaque), revocation, propagation to backends, the
 * gateway's JWKS and the refresh endpoint. The identity plugin calls `verifyBearer`, the
 * upstream-request hook `upstreamHeaders`, the admin API and CLI `revokeToken`; the server
 * mounts `jwks()` at `/.well-known/jwks.json` and `refresh` at its path.
 */
import type { Redis } from 'ioredis';
import type { JSONWebKeySet } from 'jose';
import type { ResolvedAuthConfig, ResolvedTokenProvider } from '../../config/types.js';
import type { Logger } from '../../telemetry/logger.js';
import type { RateLimiter } from '../../traffic/rate-limit/index.js';
import type { Principal } from '../principal.js';
import { systemClock, type Clock } from './clock.js';
import { Discovery } from './discovery.js';
import { createInternalTokenIssuer, type InternalTokenIssuer } from './internal-token.js';
import { Introspector } from './introspection.js';
import { JwtVerifier, type JwtProvider } from './jwt-verifier.js';
import { secretKeySource, staticKeySource, type KeySource } from './key-source.js';
import { propagationFor, upstreamIdentityHeaders } from './propagation.js';
import { ProviderCallError } from './provider-http.js';
import { createRefreshHandler, type RefreshHandler } from './refresh-endpoint.js';
import { tokenRefused } from './refusal.js';
import { RemoteJwks } from './remote-jwks.js';
import { createMemoryRevocationList, type RevocationList } from './revocation.js';
import { createRedisRevocationList } from './revocation-redis.js';

/** Long-lived things the service uses; all optional. */
export interface TokenServiceDeps {
  /** Default: the system clock. */
  clock?: Clock;
  logger?: Logger;
  /** A revocation list to use (and not close). Default: Redis when `redis` is given, else memory. */
  revocations?: RevocationList;
  /** Whether a given `revocations` list is shared by other instances. Default false. */
  sharedRevocations?: boolean;
  /** A connected Redis client (the caller closes it): revocations are then shared by every instance. */
  redis?: Redis;
  /** Prefix of the Redis keys and channel. Default `openclaw:tokens:`. */
  redisPrefix?: string;
  /**
   * The one rate limiter: charged per client address for introspection calls and refresh
   * requests (`introspection.clientCallsPerMinute`, `refresh.requestsPerMinute`). Without it
   * neither is limited.
   */
  limiter?: Pick<RateLimiter, 'consume'>;
}

/** Bearer tokens, start to end. */
export interface TokenService {
  /** True when at least one provider is configured; otherwise every bearer token is refused. */
  readonly enabled: boolean;
  /**
   * The principal of `token` (the value after `Bearer `) at `now` (milliseconds; default the
   * service's clock), sent from `clientIp`: kind `jwt` for a JWT from a configured provider,
   * `opaque` for a token introspection vouches for. Throws `GatewayError('UNAUTHENTICATED')`
   * with `details.reason` (refusal.ts) otherwise; `challengeFor(error)` gives its
   * `WWW-Authenticate` value. Throws `RATE_LIMITED` when `clientIp` has spent its introspection
   * calls (an uncached opaque token only).
   */
  verifyBearer(token: string, now?: number, clientIp?: string): Promise<Principal>;
  /**
   * Revokes the token whose `jti` is `jti` until `expiresAt` (seconds since the epoch, the
   * token's `exp`): every instance sharing the revocation list refuses it within a second.
   */
  revokeToken(jti: string, expiresAt: number): Promise<void>;
  /** True when revocations are shared with other instances (Redis); false when they stay in this process. */
  readonly sharedRevocations: boolean;
  /** The identity headers for a call to `source` (auth.propagation), see `upstreamIdentityHeaders`. */
  upstreamHeaders(principal: Principal, rawToken: string | undefined, source: string, now?: number): Record<string, string>;
  /** The JWKS document of the gateway's own tokens, for `GET /.well-known/jwks.json`. */
  jwks(): JSONWebKeySet;
  /** The refresh endpoint, when `auth.refresh` is configured: mount `handle` at `path` (any method; it answers 405 itself; pass the client's address). */
  readonly refresh?: { readonly path: string; readonly handle: RefreshHandler };
  /**
   * Fetches discovery documents and JWKS ahead of the first token; lists what failed (for
   * logs). A failure holds nothing back: the first token of that provider tries again.
   */
  warmUp(): Promise<Array<{ provider: string; error: string }>>;
  /** Closes the revocation list it created (not a given one, nor the given Redis client). */
  close(): Promise<void>;
}

// RFC 6750 §2.1 b64token.
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

interface ProviderRuntime extends JwtProvider {
  discovery: Discovery;
}

function endpointFrom(discovery: Discovery, field: 'jwks_uri' | 'introspection_endpoint' | 'token_endpoint', provider: string): () => Promise<string> {
  return async () => {
    const url = (await discovery.get())[field];
    if (url === undefined) throw new ProviderCallError(`The discovery document of provider "${provider}" has no ${field}.`);
    return url;
  };
}

function keySourceFor(provider: ResolvedTokenProvider, discovery: Discovery, clock: Clock, logger: Logger | undefined): KeySource {
  if (provider.secret !== undefined) return secretKeySource(provider.secret);
  if (provider.keys !== undefined) return staticKeySource(provider.keys, `auth.providers.${provider.name}.keys`);
  const jwksUrl = provider.jwksUrl;
  const cache = provider.jwksCache;
  return new RemoteJwks({
    name: provider.name,
    url: jwksUrl === undefined ? endpointFrom(discovery, 'jwks_uri', provider.name) : async () => jwksUrl,
    clock,
    maxAgeMs: cache.maxAgeSeconds * 1000,
    cooldownMs: cache.cooldownSeconds * 1000,
    staleLimitMs: cache.staleLimitSeconds * 1000,
    timeoutMs: provider.timeoutMs,
    ...(logger === undefined ? {} : { logger }),
  });
}

/**
 * Builds the service from `config` (a resolved `auth` section). Creates the Redis revocation
 * list when `deps.redis` is given (and waits until it has loaded); generates the gateway's
 * signing key unless the config gives one. Fetches nothing from the providers yet: see
 * `warmUp`. Throws `CONFIG_INVALID` for a static key or private key that cannot be used.
 */
export async function createTokenService(config: ResolvedAuthConfig, deps: TokenServiceDeps = {}): Promise<TokenService> {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger;
  const ownRevocations = deps.revocations === undefined;
  const revocations =
    deps.revocations ??
    (deps.redis === undefined
      ? createMemoryRevocationList(clock)
      : await createRedisRevocationList({ redis: deps.redis, prefix: deps.redisPrefix ?? 'openclaw:tokens:', clock, ...(logger === undefined ? {} : { logger }) }));

  const runtimes: ProviderRuntime[] = Object.values(config.providers).map((provider) => {
    const discovery = new Discovery({ issuer: provider.issuer, timeoutMs: provider.timeoutMs, cooldownMs: provider.jwksCache.cooldownSeconds * 1000, clock });
    return { config: provider, discovery, keys: keySourceFor(provider, discovery, clock, logger) };
  });
  const jwt = new JwtVerifier(runtimes, revocations, config.verifiedTokenCacheSize);

  const introspecting = runtimes.find((runtime) => runtime.config.introspection !== undefined);
  let introspector: Introspector | undefined;
  if (introspecting !== undefined) {
    const url = introspecting.config.introspection?.url;
    introspector = new Introspector({
      provider: introspecting.config,
      endpoint: url !== undefined ? async () => url : endpointFrom(introspecting.discovery, 'introspection_endpoint', introspecting.config.name),
      clock,
      revocations,
      ...(logger === undefined ? {} : { logger }),
      ...(deps.limiter === undefined ? {} : { limiter: deps.limiter }),
    });
  }

  let issuer: InternalTokenIssuer | undefined;
  const internalIssuer = (): InternalTokenIssuer => (issuer ??= createInternalTokenIssuer(config.internalToken));
  // A configured key is checked at start; a generated one is made on first use (RSA takes a moment).
  if (config.internalToken.privateKey !== undefined || Object.values(config.propagation).some((policy) => policy.mode === 'jwt')) internalIssuer();

  let refresh: TokenService['refresh'];
  if (config.refresh !== undefined) {
    const runtime = runtimes.find((candidate) => candidate.config.name === config.refresh?.provider);
    if (runtime !== undefined && runtime.config.client !== undefined) {
      const handle = createRefreshHandler({
        provider: runtime.config,
        tokenEndpoint: endpointFrom(runtime.discovery, 'token_endpoint', runtime.config.name),
        ...(logger === undefined ? {} : { logger }),
        maxBodyBytes: config.refresh.maxBodyBytes,
        ...(deps.limiter === undefined ? {} : { limiter: deps.limiter, requestsPerMinute: config.refresh.requestsPerMinute }),
      });
      refresh = { path: config.refresh.path, handle };
    }
  }

  const maxBytes = config.maxTokenBytes;
  return {
    enabled: runtimes.length > 0,
    async verifyBearer(token, now = clock(), clientIp) {
      if (token.length > maxBytes) throw tokenRefused('too_large', `The bearer token is larger than ${maxBytes} bytes.`);
      if (!B64TOKEN.test(token)) throw tokenRefused('malformed', 'The bearer token has characters a token cannot have (RFC 6750 §2.1).');
      if (runtimes.length === 0) throw tokenRefused('unknown_issuer', 'This gateway accepts no bearer tokens (no token provider is configured).');
      const dots = token.split('.').length - 1;
      if (dots === 4) throw tokenRefused('malformed', 'Encrypted tokens (JWE) are not accepted.');
      if (dots === 2 && (introspector === undefined || issuerOf(token, jwt))) return jwt.verify(token, now);
      if (introspector !== undefined) return introspector.verify(token, now, clientIp);
      throw tokenRefused('malformed', 'The bearer token is not a JWT, and no provider is configured to introspect opaque tokens.');
    },
    revokeToken: (jti, expiresAt) => revocations.revoke(jti, expiresAt),
    sharedRevocations: deps.revocations === undefined ? deps.redis !== undefined : deps.sharedRevocations === true,
    upstreamHeaders(principal, rawToken, source, now = clock()) {
      const policy = propagationFor(config.propagation, source);
      return upstreamIdentityHeaders(principal, rawToken, policy, { source, now, ...(policy.mode === 'jwt' ? { issuer: internalIssuer() } : {}) });
    },
    jwks: () => internalIssuer().jwks(),
    ...(refresh === undefined ? {} : { refresh }),
    async warmUp() {
      const failures: Array<{ provider: string; error: string }> = [];
      await Promise.all(
        runtimes.map(async (runtime) => {
          try {
            await runtime.keys.warmUp();
          } catch (error) {
            runtime.discovery.forgetFailure();
            failures.push({ provider: runtime.config.name, error: error instanceof Error ? error.message : String(error) });
          }
        }),
      );
      return failures;
    },
    async close() {
      if (ownRevocations) await revocations.close();
    },
  };
}

/** True when the three-part `token` names an issuer some JWT provider accepts (decoded, not verified). */
function issuerOf(token: string, jwt: JwtVerifier): boolean {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: unknown };
    return typeof payload.iss === 'string' && jwt.accepts(payload.iss);
  } catch {
    return false;
  }
}
