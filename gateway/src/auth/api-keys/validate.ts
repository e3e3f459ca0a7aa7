/**
 * The checks every write of a key passes, whoever makes it (CLI, admin API, code): each bad
 * value is a `BAD_USER_INPUT` error naming the field, what it takes and what it got.
 */
import { GatewayError } from '../../errors/index.js';
import { MAX_LIMIT, MAX_WINDOW_MS } from '../../traffic/rate-limit/types.js';
import type { RateLimitPolicy } from '../principal.js';
import { normalizeCidr } from './ip-allow-list.js';

const SCOPE = /^[A-Za-z0-9_.:\-/*]{1,128}$/;
const MAX_SCOPES = 100;
const MAX_IPS = 100;
const MAX_TEXT = 200;
// C0 and C1 control characters: they would garble a terminal listing.
const CONTROL = /\p{Cc}/u;

function bad(message: string): GatewayError {
  return new GatewayError('BAD_USER_INPUT', message);
}

function text(field: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed === '' || trimmed.length > MAX_TEXT || CONTROL.test(trimmed)) {
    throw bad(`${field} must be 1 to ${MAX_TEXT} printable characters; received ${JSON.stringify(value.slice(0, 40))}.`);
  }
  return trimmed;
}

/** A key's name, trimmed. */
export function checkName(name: string): string {
  return text('name', name);
}

/** A key's owner, trimmed; `null` stays null. */
export function checkOwner(owner: string | null): string | null {
  return owner === null ? null : text('owner', owner);
}

/** Scopes, each once, in the order given. */
export function checkScopes(scopes: readonly string[]): string[] {
  const unique = [...new Set(scopes.map((scope) => scope.trim()))];
  const wrong = unique.find((scope) => !SCOPE.test(scope));
  if (wrong !== undefined) {
    throw bad(`scopes: ${JSON.stringify(wrong.slice(0, 40))} is not a scope; a scope is 1 to 128 letters, digits or _ . : - / * (e.g. "orders:read").`);
  }
  if (unique.length > MAX_SCOPES) throw bad(`scopes: at most ${MAX_SCOPES} scopes; received ${unique.length}.`);
  return unique;
}

/** IP allow list entries as normalised CIDRs, each once. */
export function checkAllowedIps(entries: readonly string[]): string[] {
  const out: string[] = [];
  for (const entry of entries) {
    const cidr = normalizeCidr(entry);
    if (cidr === undefined) {
      throw bad(`allowed IPs: ${JSON.stringify(entry.slice(0, 60))} is not an IPv4 or IPv6 address or CIDR (e.g. "203.0.113.0/24", "2001:db8::/32").`);
    }
    if (!out.includes(cidr)) out.push(cidr);
  }
  if (out.length > MAX_IPS) throw bad(`allowed IPs: at most ${MAX_IPS} entries; received ${out.length}.`);
  return out;
}

/**
 * A rate-limit policy the limiter can enforce: a whole limit of 1 to 1e9 and a whole window of
 * 1 ms to 365 days (the bounds `parseRatePolicy` applies to what people type). A key stored
 * outside them would make every one of its requests fail in the limiter.
 */
export function checkRateLimit(policy: RateLimitPolicy | null, what = 'rate limit'): RateLimitPolicy | null {
  if (policy === null) return null;
  const within = (n: number, max: number) => Number.isSafeInteger(n) && n >= 1 && n <= max;
  if (!within(policy.limit, MAX_LIMIT) || !within(policy.windowMs, MAX_WINDOW_MS)) {
    throw bad(`${what} must have a whole limit from 1 to ${MAX_LIMIT} and a whole window from 1 ms to 365 days (${MAX_WINDOW_MS} ms); received ${JSON.stringify(policy)}.`);
  }
  return { limit: policy.limit, windowMs: policy.windowMs };
}

/** An expiry time in the future of `now` (or `null`: never). */
export function checkExpiry(expiresAt: number | null, now: number): number | null {
  if (expiresAt === null) return null;
  if (!Number.isSafeInteger(expiresAt) || expiresAt <= now) {
    throw bad(`expiry must be a time after now (${new Date(now).toISOString()}); received ${Number.isFinite(expiresAt) ? new Date(expiresAt).toISOString() : String(expiresAt)}.`);
  }
  return expiresAt;
}
