/**
 * What a backend learns about the caller, per source (`auth.propagation`): nothing; the
 * caller's own bearer token; chosen claims as headers; or a short-lived token signed by the
 * gateway with chosen claims. One pure function computes the headers; the upstream-request
 * hook adds them to each call. An API key is never forwarded, in any mode: it is the partner's
 * secret with the gateway, not with the backends.
 */
import type { ResolvedPropagation } from '../../config/types.js';
import type { Principal } from '../principal.js';
import type { InternalTokenIssuer } from './internal-token.js';

/** What `jwt` mode needs besides the policy. */
export interface PropagationOptions {
  /** The source's name: the default `aud` of the gateway's token. */
  source: string;
  /** The gateway's token issuer (mode `jwt`; without it that mode sends nothing). */
  issuer?: InternalTokenIssuer;
  /** Milliseconds since the epoch. Default `Date.now()`. */
  now?: number;
}

/**
 * The value of claim `name` for `principal`. Besides the token's own claims, four names are
 * the principal's: `sub` (its subject, also for an API key), `scope` (its scopes, space-
 * separated; absent when it has none), `kind` (`jwt`, `opaque`, `apiKey`) and `keyId` (an
 * API key's id).
 */
export function principalClaim(principal: Principal, name: string): unknown {
  switch (name) {
    case 'sub':
      return principal.subject;
    case 'scope':
      return principal.scopes.size === 0 ? undefined : [...principal.scopes].join(' ');
    case 'kind':
      return principal.kind;
    case 'keyId':
      return principal.keyId;
    default:
      return principal.claims[name];
  }
}

// RFC 9110 §5.5 field values: visible ASCII, space and tab. Anything else (a line break that
// would smuggle a header, a name in another script) is sent percent-encoded as UTF-8.
const PLAIN_FIELD_VALUE = /^[\t\x20-\x7e]*$/;

/** A claim value as a header value: strings as they are, lists comma-joined, objects as JSON. */
export function headerValue(value: unknown): string | undefined {
  let text: string;
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') text = value;
  else if (typeof value === 'number' || typeof value === 'boolean') text = String(value);
  else if (Array.isArray(value) && value.every((entry) => ['string', 'number', 'boolean'].includes(typeof entry))) text = value.join(',');
  else text = JSON.stringify(value);
  return PLAIN_FIELD_VALUE.test(text) ? text : encodeURIComponent(text);
}

/**
 * The identity headers a call to one source carries, by its `policy`:
 * - `none`: `{}`.
 * - `forward`: `authorization: Bearer <rawToken>` when the principal came from a bearer token
 *   (kind `jwt` or `opaque`); `{}` for an API key or an anonymous caller.
 * - `claims`: one header per entry of `policy.headers` (header -> claim, see `principalClaim`),
 *   left out when the claim is absent; `{}` for an anonymous caller.
 * - `jwt`: `authorization: Bearer <token signed by the gateway>` with `sub` and the claims
 *   `policy.claims` lists, `aud` = `policy.audience` or the source's name; `{}` for an
 *   anonymous caller.
 * Header names are lower-case. Pure apart from `jwt` mode's signing clock and its reuse cache.
 */
export function upstreamIdentityHeaders(
  principal: Principal,
  rawToken: string | undefined,
  policy: ResolvedPropagation,
  options: PropagationOptions,
): Record<string, string> {
  if (principal.kind === 'anonymous') return {};
  switch (policy.mode) {
    case 'none':
      return {};
    case 'forward':
      return (principal.kind === 'jwt' || principal.kind === 'opaque') && rawToken !== undefined ? { authorization: `Bearer ${rawToken}` } : {};
    case 'claims': {
      const headers: Record<string, string> = {};
      for (const [header, claim] of Object.entries(policy.headers)) {
        const value = headerValue(principalClaim(principal, claim));
        if (value !== undefined) headers[header.toLowerCase()] = value;
      }
      return headers;
    }
    case 'jwt': {
      if (options.issuer === undefined) return {};
      const token = options.issuer.tokenFor(principal, policy.audience ?? options.source, policy.claims, (name) => principalClaim(principal, name), options.now ?? Date.now());
      return { authorization: `Bearer ${token}` };
    }
  }
}

/** The policy for `source`: its own entry, else the `*` entry, else `none`. */
export function propagationFor(propagation: Readonly<Record<string, ResolvedPropagation>>, source: string): ResolvedPropagation {
  return propagation[source] ?? propagation['*'] ?? { mode: 'none' };
}
