/**
 * Identity: who is calling. The identity step of the pipeline turns the request's credentials
 * (an API key in `x-api-key`, a bearer token in `Authorization`) into one `Principal`; every
 * later step (rate limits, authorization, propagation to backends, usage records) reads only
 * this type, never a credential.
 */

/** How the caller proved who it is. */
export type PrincipalKind = 'apiKey' | 'jwt' | 'opaque' | 'anonymous';

/** A rate-limit policy: `limit` requests per `windowMs` (an API key's own, say). */
export interface RateLimitPolicy {
  readonly limit: number;
  readonly windowMs: number;
}

/**
 * The one identity type the rest of the gateway sees.
 *
 * When a request carries both a bearer token and an API key, the token's principal is the
 * request's `principal` and the key's is its `apiKey`: authorization can then ask for either
 * or both (docs/directives.md). Rate limits apply per key (a key's `rateLimit` and cost budget)
 * and, by config, per token subject, per client IP and globally (docs/rate-limits.md).
 */
export interface Principal {
  readonly kind: PrincipalKind;
  /** Stable id of the caller: a key's id, a token's `sub` (a client's id for client credentials); '' when anonymous. */
  readonly subject: string;
  /** Granted scopes (a key's scopes, a token's `scope`/`scp` or configured claim). */
  readonly scopes: ReadonlySet<string>;
  /** Verified claims of a token; `{}` for keys and anonymous callers. */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The API key's id, when the principal comes from a key. */
  readonly keyId?: string;
  /** The credential's own rate limit, when it has one (an API key's policy): root fields per window. */
  readonly limits?: RateLimitPolicy;
  /** The credential's cost budget, when it has one (an API key's `costLimit`): operation cost per window. */
  readonly costLimits?: RateLimitPolicy;
  /** Set on an API key's principal when the key may run trusted documents only (persistedDocuments). */
  readonly trustedDocumentsOnly?: true;
  /** Seconds since the epoch at which the credential stops being valid, when known. */
  readonly expiresAt?: number;
  /** The API key's principal when the request also carried a key beside a token. */
  readonly apiKey?: Principal;
}

/** The principal of a request that carries no credential. */
export const ANONYMOUS: Principal = Object.freeze({
  kind: 'anonymous',
  subject: '',
  scopes: new Set<string>(),
  claims: Object.freeze({}),
});
