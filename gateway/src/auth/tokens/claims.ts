/**
 * From verified claims to the `Principal` every later step reads: the subject, the scopes and
 * the expiry. Used for JWTs and for introspection answers alike.
 */
import type { Principal } from '../principal.js';
import { tokenRefused } from './refusal.js';

/**
 * The scopes in `value`: a space-separated string (`scope`, RFC 8693 §4.2; Entra ID's `scp`) or
 * a list of strings (`scp` of Okta, `roles` of Entra ID). Anything else holds no scopes.
 */
export function scopesOf(value: unknown): Set<string> {
  if (typeof value === 'string') return new Set(value.split(' ').filter((scope) => scope !== ''));
  if (Array.isArray(value)) return new Set(value.filter((scope): scope is string => typeof scope === 'string' && scope !== ''));
  return new Set();
}

/**
 * The principal of verified `claims`. Scopes come from `scopeClaim` when configured, else from
 * `scope`, else from `scp`. The subject is `sub`, else `client_id` (a client-credentials token of
 * a provider that leaves `sub` out); a token with neither is refused (`claim_invalid`): every
 * later step (rate limits, usage, propagation) keys on the subject.
 */
export function principalFromClaims(kind: 'jwt' | 'opaque', claims: Record<string, unknown>, scopeClaim?: string): Principal {
  const subject = typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : typeof claims.client_id === 'string' ? claims.client_id : '';
  if (subject === '') throw tokenRefused('claim_invalid', 'The token names no subject (no "sub" or "client_id" claim).');
  const scopes = scopeClaim !== undefined ? scopesOf(claims[scopeClaim]) : claims.scope !== undefined ? scopesOf(claims.scope) : scopesOf(claims.scp);
  const principal: Principal = {
    kind,
    subject,
    scopes,
    claims: Object.freeze({ ...claims }),
    ...(typeof claims.exp === 'number' ? { expiresAt: claims.exp } : {}),
  };
  return Object.freeze(principal);
}
