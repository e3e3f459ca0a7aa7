/**
 * The RFC 6750 §3 challenge a refused request carries in `WWW-Authenticate`:
 * `Bearer realm="openclaw"` when it had no credential, `Bearer realm="openclaw",
 * error="invalid_token", error_description="..."` when its token was refused (401), and
 * `error="insufficient_scope", scope="..."` for a valid token that lacks a scope (403, for the
 * authorization pass).
 */
import { isGatewayError } from '../../errors/index.js';

/** What a challenge says, beyond the scheme and realm. */
export interface BearerChallenge {
  /** RFC 6750 §3.1 error code; absent when the request simply had no credential. */
  error?: 'invalid_request' | 'invalid_token' | 'insufficient_scope';
  /** Human-readable; characters a quoted-string may not hold are dropped. */
  description?: string;
  /** Space-separated scopes that would be enough (with `insufficient_scope`). */
  scope?: string;
  /** Default `openclaw`. */
  realm?: string;
}

// RFC 6750 §3: error_description and scope are limited to %x20-21 / %x23-5B / %x5D-7E,
// so `"` and `\` (and anything outside printable ASCII) cannot appear even escaped.
function quoted(value: string): string {
  return `"${value.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '')}"`;
}

/** The `WWW-Authenticate` value for `challenge`. */
export function bearerChallenge(challenge: BearerChallenge = {}): string {
  const params = [`realm=${quoted(challenge.realm ?? 'openclaw')}`];
  if (challenge.error !== undefined) params.push(`error=${quoted(challenge.error)}`);
  if (challenge.description !== undefined) params.push(`error_description=${quoted(challenge.description)}`);
  if (challenge.scope !== undefined) params.push(`scope=${quoted(challenge.scope)}`);
  return `Bearer ${params.join(', ')}`;
}

/**
 * The challenge for a request refused with `error`: `invalid_token` with the error's message
 * for an `UNAUTHENTICATED` error that has a token refusal reason (`tokenRefused`), and the
 * bare challenge (no error code, RFC 6750 §3.1) for any other `UNAUTHENTICATED` error, such as
 * a missing credential.
 */
export function challengeFor(error: unknown, realm?: string): string {
  const base = realm === undefined ? {} : { realm };
  if (isGatewayError(error) && error.code === 'UNAUTHENTICATED' && typeof error.details.reason === 'string') {
    return bearerChallenge({ ...base, error: 'invalid_token', description: error.message });
  }
  return bearerChallenge(base);
}
