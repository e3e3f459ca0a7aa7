/**
 * The Redis store: every gateway instance pointed at one Redis shares every key's quota, and
 * each decision is one Lua script run, so a limit of N admits exactly N across all of them.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { GatewayError } from '../../errors/index.js';
import { SLIDING_WINDOW_LUA } from './redis-script.js';
import { slotMsFor } from './sliding-window.js';
import { checkConsumeArgs, type Decision, type RateLimiter, type RatePolicy } from './types.js';

const SCRIPT_SHA = createHash('sha1').update(SLIDING_WINDOW_LUA).digest('hex');
const REASONS = [undefined, 'limit-reached', 'cost-over-limit'] as const;

/** Options of a Redis-backed limiter. */
export interface RedisRateLimiterOptions {
  /** The connection to use. */
  redis: Redis;
  /** True when the limiter opened `redis` itself and so closes it on `close()`. */
  ownsConnection: boolean;
  /** Prepended to every key (e.g. `openclaw:rl:`), so one Redis can serve other data too. */
  keyPrefix: string;
}

/**
 * A `RateLimiter` whose decisions run in Redis (see redis-script.ts for the algorithm and the
 * state it keeps). The injected clock plays no part: Redis's `TIME` is the one clock.
 */
export class RedisRateLimiter implements RateLimiter {
  readonly store = 'redis';
  private readonly redis: Redis;
  private readonly ownsConnection: boolean;
  private readonly keyPrefix: string;
  private closed = false;

  constructor(options: RedisRateLimiterOptions) {
    this.redis = options.redis;
    this.ownsConnection = options.ownsConnection;
    this.keyPrefix = options.keyPrefix;
  }

  /** The Redis key holding `key`'s state: the key in braces, a Redis Cluster hash tag. */
  redisKey(key: string): string {
    return `${this.keyPrefix}{${key}}`;
  }

  async consume(key: string, policy: RatePolicy, cost = 1): Promise<Decision> {
    checkConsumeArgs(key, policy, cost);
    const args = [policy.limit, policy.windowMs, cost, slotMsFor(policy.windowMs)];
    const reply = (await this.run(this.redisKey(key), args)) as [number, number, number, number, number];
    const [allowed, remaining, reset, retry, reasonCode] = reply;
    const reason = REASONS[reasonCode];
    const { limit, windowMs } = policy;
    const retryAfterMs = retry < 0 ? Number.POSITIVE_INFINITY : retry;
    return reason === undefined
      ? { allowed: allowed === 1, limit, windowMs, cost, remaining, reset, retryAfterMs }
      : { allowed: allowed === 1, limit, windowMs, cost, remaining, reset, retryAfterMs, reason };
  }

  async ping(): Promise<void> {
    try {
      await this.redis.ping();
    } catch (error) {
      throw unreachable(error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (!this.ownsConnection) return;
    if (this.redis.status !== 'ready') {
      // Not connected (Redis away or still connecting): QUIT would wait for a connection.
      this.redis.disconnect();
      return;
    }
    try {
      await this.redis.quit();
    } catch {
      this.redis.disconnect();
    }
  }

  /** EVALSHA, loading the script with EVAL the first time a server has not seen it. */
  private async run(redisKey: string, args: number[]): Promise<unknown> {
    try {
      return await this.redis.evalsha(SCRIPT_SHA, 1, redisKey, ...args);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw unreachable(error);
    }
    try {
      return await this.redis.eval(SLIDING_WINDOW_LUA, 1, redisKey, ...args);
    } catch (error) {
      throw unreachable(error);
    }
  }
}

/** A store failure as the gateway's error; the message names the cause, never the URL. */
function unreachable(error: unknown): GatewayError {
  const cause = error instanceof Error ? error.message : String(error);
  return new GatewayError('INTERNAL_SERVER_ERROR', `The rate limiter's Redis store did not answer: ${cause}`, {}, { cause: error });
}
