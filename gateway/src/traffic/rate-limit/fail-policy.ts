/**
 * What the limiter does while its Redis store does not answer (`rateLimits.redis`): a decision
 * waits at most `timeoutMs` for Redis, then the `fail` policy applies. `open` decides with an
 * in-memory store of this instance (every limit still holds per instance: N instances admit at
 * most N times a limit, instead of everything); `closed` refuses with 503 `STORE_UNAVAILABLE`.
 *
 * Why a short timeout and a pause: an outage must cost a request at most `timeoutMs` once per
 * `retryMs`, never a hang. After a failure, decisions skip Redis for `retryMs`; the first
 * decision after that tries Redis again, so counting in Redis resumes by itself once it is
 * back (the connection reconnects on its own meanwhile).
 */
import { GatewayError, isGatewayError } from '../../errors/index.js';
import { MemoryRateLimiter } from './memory-store.js';
import { checkConsumeArgs, type Clock, type Decision, type RateLimiter, type RatePolicy } from './types.js';

/** `open`: count in this instance's memory meanwhile; `closed`: refuse. */
export type StoreFailureMode = 'open' | 'closed';

/** Options of `FailPolicyRateLimiter`. */
export interface FailPolicyOptions {
  readonly fail: StoreFailureMode;
  /** How long one decision waits for the store, ms. */
  readonly timeoutMs: number;
  /** How long decisions skip the store after it failed, ms. Default 1000. */
  readonly retryMs?: number;
  /** Default `Date.now`; also the fallback store's clock. */
  readonly clock?: Clock;
  /** Told once per outage (the first failure after a success), for the log. */
  readonly onOutage?: (error: unknown) => void;
  /** Told when the store answers again after an outage. */
  readonly onRecovery?: () => void;
}

/**
 * Rejects after `ms` unless `promise` settles first; the timer never holds the process.
 *
 * Why the `setImmediate`: when the event loop was busy (a burst of requests, a long GC), the
 * timer can fire in the same loop turn in which the reply it waits for is already in the
 * socket, because timers run before the loop reads sockets. Waiting one more phase lets the
 * reply be read first, so a busy gateway is not mistaken for a Redis outage.
 */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let settled = false;
  const watched = promise.finally(() => {
    settled = true;
  });
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      setImmediate(() => {
        if (!settled) reject(new Error(`no answer within ${ms} ms`));
      });
    }, ms);
    timer.unref();
  });
  return Promise.race([watched, timeout]).finally(() => clearTimeout(timer));
}

/**
 * A `RateLimiter` over `primary` (the Redis store) that applies the fail policy when `primary`
 * rejects or does not answer within `timeoutMs`. Programming errors (`TypeError`s from bad
 * arguments) are not outages: they are rethrown.
 */
export class FailPolicyRateLimiter implements RateLimiter {
  readonly store: RateLimiter['store'];
  private readonly fallback: MemoryRateLimiter;
  private readonly clock: Clock;
  private readonly retryMs: number;
  /** Decisions skip the store until this time; `-Infinity` while it answers. */
  private downUntil = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly primary: RateLimiter,
    private readonly options: FailPolicyOptions,
  ) {
    this.store = primary.store;
    this.clock = options.clock ?? Date.now;
    this.retryMs = options.retryMs ?? 1000;
    this.fallback = new MemoryRateLimiter({ clock: this.clock });
  }

  /** True while decisions skip the store (after a failure, for `retryMs`). */
  get degraded(): boolean {
    return this.clock() < this.downUntil;
  }

  async consume(key: string, policy: RatePolicy, cost = 1): Promise<Decision> {
    checkConsumeArgs(key, policy, cost);
    if (this.degraded) return this.decideWithout(key, policy, cost);
    try {
      const decision = await withTimeout(this.primary.consume(key, policy, cost), this.options.timeoutMs);
      if (this.downUntil !== Number.NEGATIVE_INFINITY) {
        this.downUntil = Number.NEGATIVE_INFINITY;
        this.options.onRecovery?.();
      }
      return decision;
    } catch (error) {
      if (error instanceof TypeError) throw error;
      if (this.downUntil === Number.NEGATIVE_INFINITY) this.options.onOutage?.(error);
      this.downUntil = this.clock() + this.retryMs;
      return this.decideWithout(key, policy, cost, error);
    }
  }

  ping(): Promise<void> {
    return this.primary.ping();
  }

  async close(): Promise<void> {
    await this.fallback.close();
    await this.primary.close();
  }

  private decideWithout(key: string, policy: RatePolicy, cost: number, cause?: unknown): Promise<Decision> {
    if (this.options.fail === 'open') return this.fallback.consume(key, policy, cost);
    const why = cause === undefined || isGatewayError(cause) ? '' : ` (${cause instanceof Error ? cause.message : String(cause)})`;
    throw new GatewayError(
      'STORE_UNAVAILABLE',
      `The rate limiter's Redis store does not answer${why} and rateLimits.redis.fail is "closed": requests under a rate limit are refused until it answers again; retry shortly.`,
      {},
      { headers: { 'retry-after': String(Math.max(1, Math.ceil(this.retryMs / 1000))) }, ...(cause === undefined ? {} : { cause }) },
    );
  }
}
