/**
 * JWT access tokens: the checks of RFC 8725 and RFC 9068 §4, in order, cheapest first.
 *
 * 1. The header and payload decode as JSON objects (a JWE, five parts, is refused).
 * 2. The provider is picked by the unverified `iss`; the token is then verified only with that
 *    provider's keys, and jose checks `iss` again, so a token cannot borrow another issuer's keys.
 * 3. `alg` is in the provider's allow-list (default: asymmetric only, so `none` and an HS256
 *    token "signed" with a public RSA key are refused before any key is looked at); no `crit`
 *    header (the gateway understands no extension); no `cnf` (the binding is not checked).
 * 4. The key comes from the provider's key source by `kid`; `jku`, `x5u`, `jwk` and `x5c` are
 *    never used.
 * 5. jose verifies the signature, `iss`, `aud` (string or list), `exp` (required), `nbf` and
 *    `typ` (when configured), with the provider's clock tolerance.
 * 6. The `jti` is checked against the revocation list.
 *
 * A verified token is remembered (bounded LRU, keyed by the token string) until its `exp`, so
 * the signature check (0.06-0.2 ms for RS256/ES256, see bench/micro/jwt-verify.ts) is paid once
 * per token, not once per request. A remembered verification is reused only while the
 * provider's key set is unchanged and not past its stale limit, and the revocation list is
 * checked on every request all the same.
 */
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWSHeaderParameters } from 'jose';
import { LRUCache } from 'lru-cache';
import type { ResolvedTokenProvider } from '../../config/types.js';
import { GatewayError } from '../../errors/index.js';
import type { Principal } from '../principal.js';
import { principalFromClaims } from './claims.js';
import type { KeySource, VerificationKey } from './key-source.js';
import { tokenRefused, type TokenRefusalReason } from './refusal.js';
import type { RevocationList } from './revocation.js';

/** One provider, ready to verify: its settings and its keys. */
export interface JwtProvider {
  config: ResolvedTokenProvider;
  keys: KeySource;
}

interface Remembered {
  principal: Principal;
  provider: JwtProvider;
  generation: number;
  /** `exp` in milliseconds. */
  expiresAt: number;
  jti?: string;
}

const CLAIM_REASONS: Record<string, TokenRefusalReason> = {
  nbf: 'not_yet_valid',
  aud: 'wrong_audience',
  iss: 'unknown_issuer',
  typ: 'wrong_type',
};

const CLAIM_MESSAGES: Record<string, string> = {
  nbf: 'The bearer token is not valid yet (nbf).',
  aud: 'The bearer token is not meant for this gateway (audience mismatch).',
  iss: 'The bearer token names another issuer.',
  typ: 'The bearer token has the wrong type (typ header).',
};

/** Verifies JWT access tokens from the configured providers. */
export class JwtVerifier {
  private readonly byIssuer = new Map<string, JwtProvider>();
  private readonly remembered?: LRUCache<string, Remembered>;

  constructor(
    providers: readonly JwtProvider[],
    private readonly revocations: RevocationList,
    cacheSize: number,
  ) {
    for (const provider of providers) this.byIssuer.set(provider.config.issuer, provider);
    if (cacheSize > 0) this.remembered = new LRUCache({ max: cacheSize });
  }

  /** True when some provider issues tokens under `issuer`. */
  accepts(issuer: string): boolean {
    return this.byIssuer.has(issuer);
  }

  /**
   * The principal (kind `jwt`) of `token`, a three-part compact JWS, at `now` (milliseconds).
   * Throws `UNAUTHENTICATED` with a `details.reason` (refusal.ts) saying what failed.
   */
  async verify(token: string, now: number): Promise<Principal> {
    const known = this.remembered?.get(token);
    if (known !== undefined) {
      const tolerance = known.provider.config.clockToleranceSeconds * 1000;
      if (known.expiresAt > now - tolerance && known.generation === known.provider.keys.generation && known.provider.keys.usable(now)) {
        this.checkRevoked(known.jti, now);
        known.provider.keys.refreshIfOld(now);
        return known.principal;
      }
      this.remembered?.delete(token);
    }

    let header: JWSHeaderParameters;
    let claims: JWTPayload;
    try {
      header = decodeProtectedHeader(token) as JWSHeaderParameters;
      claims = decodeJwt(token);
    } catch (error) {
      throw tokenRefused('malformed', 'The bearer token is not a well-formed JWT.', error);
    }
    const provider = typeof claims.iss === 'string' ? this.byIssuer.get(claims.iss) : undefined;
    if (provider === undefined) throw tokenRefused('unknown_issuer', 'The bearer token was issued by an issuer this gateway does not accept.');
    const config = provider.config;
    if (typeof header.alg !== 'string' || !config.algorithms.includes(header.alg as never)) {
      throw tokenRefused('algorithm_not_allowed', `The bearer token's algorithm ${JSON.stringify(header.alg ?? null)} is not accepted from its issuer.`);
    }
    if (header.crit !== undefined) throw tokenRefused('critical_header', 'The bearer token has a critical header extension (crit) the gateway does not understand.');

    const keys = await provider.keys.keysFor(header, now);
    const generation = provider.keys.generation;
    const payload = await this.verifyWithKeys(token, keys, config, now);
    if (payload.cnf !== undefined) {
      throw tokenRefused('sender_constrained', 'The bearer token is bound to a key or certificate (cnf), which the gateway does not check; it is not accepted.');
    }
    const jti = typeof payload.jti === 'string' ? payload.jti : undefined;
    this.checkRevoked(jti, now);
    const principal = principalFromClaims('jwt', payload as Record<string, unknown>, config.scopeClaim);
    this.remembered?.set(token, { principal, provider, generation, expiresAt: (payload.exp ?? 0) * 1000, ...(jti === undefined ? {} : { jti }) });
    return principal;
  }

  private checkRevoked(jti: string | undefined, now: number): void {
    if (jti !== undefined && this.revocations.isRevoked(jti, now)) throw tokenRefused('revoked', 'The bearer token has been revoked.');
  }

  private async verifyWithKeys(token: string, keys: readonly VerificationKey[], config: ResolvedTokenProvider, now: number): Promise<JWTPayload> {
    const options = {
      issuer: config.issuer,
      audience: config.audience,
      algorithms: config.algorithms,
      clockTolerance: config.clockToleranceSeconds,
      currentDate: new Date(now),
      requiredClaims: ['exp'],
      ...(config.typ === undefined ? {} : { typ: config.typ }),
    };
    let failure: unknown;
    for (const key of keys) {
      try {
        return (await jwtVerify(token, key, options)).payload;
      } catch (error) {
        failure = error;
        // With several candidate keys (no kid), a signature that fails one may fit the next.
        if (!(error instanceof errors.JWSSignatureVerificationFailed)) break;
      }
    }
    throw refusalFor(failure);
  }
}

/** The refusal for an error of jose's `jwtVerify`. */
function refusalFor(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof errors.JWTExpired) return tokenRefused('expired', 'The bearer token has expired.', error);
  if (error instanceof errors.JWTClaimValidationFailed) {
    const reason = CLAIM_REASONS[error.claim] ?? 'claim_invalid';
    const message = CLAIM_MESSAGES[error.claim] ?? `The bearer token's "${error.claim}" claim is missing or invalid.`;
    return tokenRefused(reason, message, error);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return tokenRefused('bad_signature', 'The bearer token\'s signature does not verify.', error);
  if (error instanceof errors.JOSEAlgNotAllowed) return tokenRefused('algorithm_not_allowed', 'The bearer token\'s algorithm is not accepted from its issuer.', error);
  if (error instanceof errors.JOSENotSupported) return tokenRefused('critical_header', 'The bearer token uses a JOSE feature the gateway does not accept.', error);
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return tokenRefused('malformed', 'The bearer token is not a well-formed JWT.', error);
  return tokenRefused('bad_signature', 'The bearer token could not be verified.', error);
}
