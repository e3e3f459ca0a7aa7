/**
 * Redis connections (`store.redisUrl` / `OPENCLAW_REDIS_URL`), made one way for every part of
 * the gateway that shares state through Redis: key and token revocations (pub/sub), rate-limit
 * counters, and the response cache later. Every key and channel name starts with
 * `store.redisPrefix`, so several deployments (or test runs) can share one Redis.
 */
import type * as IORedis from 'ioredis';
import type { Redis } from 'ioredis';
import { GatewayError } from '../errors/index.js';
import { lazyModule } from '../lazy.js';

/** ioredis, loaded when a Redis URL is configured. */
const ioredis = lazyModule<typeof IORedis>('ioredis');

/** Options of `createRedisConnection`. */
export interface RedisConnectionOptions {
  /** Shown in `CLIENT LIST` (`openclaw-<name>`), to tell connections apart. */
  name?: string;
  /** Told about connection errors (ioredis reconnects by itself); without it they are ignored. */
  onError?: (error: Error) => void;
  /** How long a connection attempt may take, ms. Default 5000. */
  connectTimeoutMs?: number;
  /** How long a command may take before it rejects, ms. Default: no limit. */
  commandTimeoutMs?: number;
  /** Retries of a command sent while disconnected. Default 2. */
  maxRetriesPerRequest?: number;
  /** How long `quit()`/`disconnect()` waits for the socket to end, ms. Default ioredis's (2000). */
  disconnectTimeoutMs?: number;
}

/** The URL without its password, for logs and messages. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href;
  } catch {
    return 'redis://(unparseable URL)';
  }
}

/**
 * A connection to `url`. It connects at once and reconnects forever (backing off up to 2 s);
 * a command sent while disconnected waits for the reconnection, up to two retries. Use
 * `connection.duplicate()` for a subscriber: a subscribed connection can send no other command.
 */
export function createRedisConnection(url: string, options: RedisConnectionOptions = {}): Redis {
  const redis = new (ioredis().Redis)(url, {
    connectionName: `openclaw-${options.name ?? 'gateway'}`,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    maxRetriesPerRequest: options.maxRetriesPerRequest ?? 2,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
    ...(options.commandTimeoutMs === undefined ? {} : { commandTimeout: options.commandTimeoutMs }),
    ...(options.disconnectTimeoutMs === undefined ? {} : { disconnectTimeout: options.disconnectTimeoutMs }),
  });
  // An 'error' event nobody listens to is printed by ioredis; the caller decides instead.
  redis.on('error', (error: Error) => options.onError?.(error));
  return redis;
}

/**
 * Resolves once `redis` is ready; rejects with `STORE_UNAVAILABLE` (naming the URL without its
 * password) when it is not within `timeoutMs`. For start-up: fail fast, clearly.
 */
export async function waitForRedis(redis: Redis, url: string, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  let timer: NodeJS.Timeout | undefined;
  // The connection's own error ("connect ECONNREFUSED ...") says more than the command's.
  let lastError: Error | undefined;
  const onError = (error: Error) => (lastError = error);
  redis.on('error', onError);
  try {
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
  } catch (error) {
    const reason = lastError?.message ?? (error instanceof Error ? error.message : String(error));
    throw new GatewayError('STORE_UNAVAILABLE', `Redis at ${redactRedisUrl(url)} could not be reached: ${reason}`, {}, { cause: error });
  } finally {
    clearTimeout(timer);
    redis.off('error', onError);
  }
}

/** Closes `redis` politely (QUIT), or at once when it is not connected. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  try {
    await redis.quit();
  } catch {
    redis.disconnect();
  }
}
