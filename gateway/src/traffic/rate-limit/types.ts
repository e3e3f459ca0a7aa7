/**
 * The limiter's contract: one `consume` that decides and records in one atomic step, the
 * decision it returns, and the checks every store applies to its arguments.
 */

/**
 * A rate-limit policy: at most `limit` units in any window of `windowMs` milliseconds (see
 * docs/rate-limits.md for the exact rule). Structurally the same as `RateLimitPolicy` in
 * auth/principal.ts, so a key's own policy can be passed as it is.
 */
export interface RatePolicy {
  /** Units (requests, or cost points) the window admits: a whole number from 1 to 1e9. */
  readonly limit: number;
  /** The window's length in milliseconds: a whole number from 1 to one year. */
  readonly windowMs: number;
}

/** Why a request was refused. */
export type RefusalReason =
  /** The units spent in the current window leave too few for this request's cost. */
  | 'limit-reached'
  /** The request's cost is larger than the whole limit: no amount of waiting admits it. */
  | 'cost-over-limit';

/** What the limiter decided for one request, and the state of its key right after. */
export interface Decision {
  /** True when the request was admitted and its cost recorded. */
  readonly allowed: boolean;
  /** The policy's limit (echoed, so headers need nothing else). */
  readonly limit: number;
  /** The policy's window in ms (echoed, so headers need nothing else). */
  readonly windowMs: number;
  /** The cost asked for (echoed for messages and logs). */
  readonly cost: number;
  /** Units still available now, after this decision (never negative). */
  readonly remaining: number;
  /**
   * Milliseconds until units come back: when the oldest units still in the window leave it.
   * With nothing in the window, the window's length. Always > 0.
   */
  readonly reset: number;
  /**
   * 0 when admitted. When refused: milliseconds until this same request (same cost) would be
   * admitted if nothing else is spent meanwhile; `Infinity` when it never can (its cost is
   * over the limit).
   */
  readonly retryAfterMs: number;
  /** Set only when refused. */
  readonly reason?: RefusalReason;
}

/**
 * Decides whether a request may go on and records it, atomically: concurrent calls for one
 * key (from this process or, with Redis, from every gateway instance) never admit more than
 * the policy allows. A refused call records nothing, so a client that backs off gets its
 * quota back as its earlier requests leave the window. Create one at start-up
 * (`createRateLimiter`), share it, and `close()` it on shutdown.
 */
export interface RateLimiter {
  /** Which store decides: `memory` (this process only) or `redis` (shared by every instance). */
  readonly store: 'memory' | 'redis';
  /**
   * Spends `cost` units of `key`'s quota under `policy` when they fit, else refuses.
   * `cost` 0 spends nothing and reports the key's state. Rejects with a `TypeError` naming
   * the bad argument when key, policy or cost break their contract (see `checkConsumeArgs`),
   * and with a `GatewayError` when the store cannot be reached.
   */
  consume(key: string, policy: RatePolicy, cost?: number): Promise<Decision>;
  /** Resolves when the store answers (for readiness checks); rejects like `consume` otherwise. */
  ping(): Promise<void>;
  /** Releases the store (closes the Redis connection the limiter opened). Idempotent. */
  close(): Promise<void>;
}

/** Milliseconds since the epoch; injected so tests move time instead of sleeping. */
export type Clock = () => number;

/** The largest limit a policy may have (costs and totals stay exact integers in Lua). */
export const MAX_LIMIT = 1_000_000_000;
/** The longest window a policy may have: one year. */
export const MAX_WINDOW_MS = 365 * 24 * 60 * 60 * 1000;

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : `${String(value)} (${typeof value})`;
}

/**
 * Throws a `TypeError` naming the first argument that breaks the contract: `key` a non-empty
 * string, `policy.limit` a whole number 1..1e9, `policy.windowMs` a whole number 1..one year,
 * `cost` a whole number 0..1e9. These are programming errors (config and CLI input go through
 * `parseRatePolicy`, which says what users typed wrong).
 */
export function checkConsumeArgs(key: unknown, policy: RatePolicy, cost: unknown): void {
  if (typeof key !== 'string' || key === '') {
    throw new TypeError(`Rate limiter: key must be a non-empty string; received ${describe(key)}.`);
  }
  if (typeof policy !== 'object' || policy === null) {
    throw new TypeError(`Rate limiter: policy must be { limit, windowMs }; received ${describe(policy)}.`);
  }
  if (!Number.isInteger(policy.limit) || policy.limit < 1 || policy.limit > MAX_LIMIT) {
    throw new TypeError(`Rate limiter: policy.limit must be a whole number from 1 to ${MAX_LIMIT}; received ${describe(policy.limit)}.`);
  }
  if (!Number.isInteger(policy.windowMs) || policy.windowMs < 1 || policy.windowMs > MAX_WINDOW_MS) {
    throw new TypeError(`Rate limiter: policy.windowMs must be a whole number of milliseconds from 1 to ${MAX_WINDOW_MS} (one year); received ${describe(policy.windowMs)}.`);
  }
  if (!Number.isInteger(cost) || (cost as number) < 0 || (cost as number) > MAX_LIMIT) {
    throw new TypeError(`Rate limiter: cost must be a whole number from 0 to ${MAX_LIMIT}; received ${describe(cost)}.`);
  }
}
