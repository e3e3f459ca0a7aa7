/**
 * Reading the bearer token out of `Authorization` (RFC 6750 §2.1). Only the header form is
 * accepted: tokens in a query string end up in logs and browser history (RFC 6750 §2.3).
 */
import { tokenRefused } from './refusal.js';

// RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The token of an `Authorization: Bearer <token>` header (scheme matched case-insensitively),
 * or `undefined` when the header is absent or uses another scheme (Basic, say), which is
 * not ours to judge. Throws `UNAUTHENTICATED` (reason `malformed`) for a Bearer header whose
 * token is missing or not a b64token.
 */
export function bearerTokenFrom(header: string | readonly string[] | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (typeof header !== 'string') throw tokenRefused('malformed', 'The request has more than one Authorization header.');
  const match = /^\s*bearer(?:\s+(.*))?$/i.exec(header);
  if (match === null) return undefined;
  const token = (match[1] ?? '').trim();
  if (token === '') throw tokenRefused('malformed', 'The Authorization header says Bearer but carries no token.');
  if (!B64TOKEN.test(token)) throw tokenRefused('malformed', 'The bearer token has characters a token cannot have (RFC 6750 §2.1).');
  return token;
}
