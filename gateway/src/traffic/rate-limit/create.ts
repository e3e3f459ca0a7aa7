/**
 * The one place start-up code builds the limiter: Redis when a URL (OPENCLAW_REDIS_URL) or a
 * connection is given, else the in-memory store.
 */
import type { Redis } from 'ioredis';
import { GatewayError } from '../../errors/index.js';
import { createRedisConnection, redactRedisUrl } from '../../store/redis.js';
import { MemoryRateLimiter } from './memory-store.js';
import { FailPolicyRateLimiter, type FailPolicyOptions } from './fail-policy.js';
import { RedisRateLimiter } from './redis-store.js';
import type { Clock, RateLimiter } from './types.js';

/** Options of `createRateLimiter`; all optional. */
export interface RateLimiterOptions {
  /** `redis://` or `rediss://` URL (OPENCLAW_REDIS_URL): use Redis, on a connection the limiter opens and closes. */
  redisUrl?: string;
  /** An open ioredis connection to use instead of `redisUrl`; the limiter never closes it. */
  redis?: Redis;
  /** The memory store's clock (default `Date.now`). Redis uses its own `TIME`, never this. */
  clock?: Clock;
  /** Prefix of every Redis key (default `openclaw:rl:`). */
  keyPrefix?: string;
  /** How long a Redis command may take before `consume` rejects (default 1000 ms). */
  commandTimeoutMs?: number;
  /** Told about connection errors of the connection the limiter opens (a logger's warn, say). */
  onStoreError?: (error: Error) => void;
  /**
   * With Redis: what a decision does when Redis does not answer within `timeoutMs`
   * (fail-policy.ts). Without it, `consume` rejects with the store's error.
   */
  onStoreFailure?: Omit<FailPolicyOptions, 'clock'>;
}

/** The default prefix of the limiter's Redis keys. */
export const DEFAULT_KEY_PREFIX = 'openclaw:rl:';

/**
 * Builds the limiter. With `redis` or `redisUrl`, decisions are shared by every gateway
 * instance using that Redis; otherwise they are held in this process. A connection the
 * limiter opens retries a command once and gives up after `commandTimeoutMs`, so a Redis
 * outage makes `consume` reject quickly instead of holding requests. Throws `CONFIG_INVALID`
 * when `redisUrl` is not a redis:// or rediss:// URL (the message never shows a password).
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const guarded = (limiter: RateLimiter): RateLimiter =>
    options.onStoreFailure === undefined ? limiter : new FailPolicyRateLimiter(limiter, { ...options.onStoreFailure, ...(options.clock === undefined ? {} : { clock: options.clock }) });
  if (options.redis !== undefined) {
    return guarded(new RedisRateLimiter({ redis: options.redis, ownsConnection: false, keyPrefix }));
  }
  if (options.redisUrl !== undefined && options.redisUrl !== '') {
    const url = URL.canParse(options.redisUrl) ? new URL(options.redisUrl) : undefined;
    if (url === undefined || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
      const received = url === undefined ? 'a value that is not a URL' : redactRedisUrl(url.href);
      throw new GatewayError('CONFIG_INVALID', `The rate limiter's Redis URL (OPENCLAW_REDIS_URL) must be a redis:// or rediss:// URL; received ${received}.`);
    }
    const timeout = options.commandTimeoutMs ?? options.onStoreFailure?.timeoutMs ?? 1000;
    const redis = createRedisConnection(options.redisUrl, {
      name: 'rate-limit',
      // Failed commands reject anyway; the caller may want to hear about reconnects.
      ...(options.onStoreError === undefined ? {} : { onError: options.onStoreError }),
      connectTimeoutMs: Math.max(timeout, 2000),
      commandTimeoutMs: timeout,
      maxRetriesPerRequest: 1,
      // How long close() waits for a socket to end; ioredis's 2 s default holds shutdown.
      disconnectTimeoutMs: timeout,
    });
    return guarded(new RedisRateLimiter({ redis, ownsConnection: true, keyPrefix }));
  }
  return new MemoryRateLimiter(options.clock === undefined ? {} : { clock: options.clock });
}
