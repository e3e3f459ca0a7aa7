/**
 * The revocation list shared by every gateway instance through Redis. Each instance keeps the
 * list in memory (checks are a synchronous map lookup, no round trip per request) and Redis
 * keeps it in step:
 *
 * - `<prefix>revoked` is a sorted set, member = token id, score = expiry in seconds; entries past
 *   their expiry are trimmed on every revocation.
 * - A revocation is written to the set and published on `<prefix>revocations` in one MULTI;
 *   every instance subscribed to the channel adds it to its memory when the message arrives
 *   (well under a second on a healthy network; the tests measure it).
 * - An instance loads the whole set when its subscription is (re)established, so a revocation
 *   published while it was disconnected from Redis is not lost.
 *
 * While the subscriber connection is down the instance keeps checking against what it holds
 * (revocations made meanwhile on other instances reach it when the connection returns); it
 * logs the disconnection. docs/tokens.md has the figures behind choosing this over a Redis
 * lookup per request.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../../telemetry/logger.js';
import type { Clock } from './clock.js';
import { RevokedIds, type RevocationList } from './revocation.js';

/** What the Redis list needs. */
export interface RedisRevocationOptions {
  /** A connected client for commands; the list duplicates it for its subscription. The caller closes it. */
  redis: Redis;
  /** Prefix of the list's key and channel, e.g. `openclaw:`. */
  prefix: string;
  clock: Clock;
  logger?: Logger;
}

interface Announcement {
  id: string;
  exp: number;
}

/**
 * What token revocations add to `store.redisPrefix`: the list's key is
 * `<store prefix>tokens:revoked` and its channel `<store prefix>tokens:revocations`. The
 * gateway's services and `openclaw tokens revoke` both build the prefix with it.
 */
export const TOKENS_REDIS_NAMESPACE = 'tokens:';

/** The sorted set and the channel of the list under `prefix`. */
export function revocationKeys(prefix: string): { key: string; channel: string } {
  return { key: `${prefix}revoked`, channel: `${prefix}revocations` };
}

/**
 * Stores the revocation of `id` until `expiresAt` (seconds since the epoch) in the shared set
 * and announces it on the channel, in one MULTI; expired entries are trimmed on the way. For
 * anything that revokes without holding a list (the CLI). Resolves with the number of
 * instances subscribed when it was announced (Redis's PUBLISH answer); an instance that was
 * not loads it from the set when it (re)connects.
 */
export async function publishRevocation(redis: Redis, prefix: string, id: string, expiresAt: number, now: number): Promise<number> {
  const { key, channel } = revocationKeys(prefix);
  const results = await redis
    .multi()
    .zadd(key, expiresAt, id)
    .zremrangebyscore(key, '-inf', Math.floor(now / 1000))
    .publish(channel, JSON.stringify({ id, exp: expiresAt } satisfies Announcement))
    .exec();
  const failure = results?.find(([error]) => error !== null)?.[0];
  if (failure) throw failure;
  return Number(results?.[2]?.[1] ?? 0);
}

function parseAnnouncement(message: string): Announcement | undefined {
  try {
    const value = JSON.parse(message) as Partial<Announcement>;
    return typeof value.id === 'string' && typeof value.exp === 'number' ? { id: value.id, exp: value.exp } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the shared list: subscribes, loads the revocations still in force, and resolves once
 * both are done (so an instance never serves before it knows what was revoked). Rejects when
 * Redis cannot be reached.
 */
export async function createRedisRevocationList(options: RedisRevocationOptions): Promise<RevocationList> {
  const { redis, prefix, clock, logger } = options;
  const { key, channel } = revocationKeys(prefix);
  const ids = new RevokedIds();
  const subscriber = redis.duplicate();

  const load = async (): Promise<void> => {
    const now = clock();
    const entries = await redis.zrangebyscore(key, `(${Math.floor(now / 1000)}`, '+inf', 'WITHSCORES');
    for (let index = 0; index + 1 < entries.length; index += 2) {
      ids.add(String(entries[index]), Number(entries[index + 1]) * 1000, now);
    }
  };

  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const announcement = parseAnnouncement(message);
    if (announcement !== undefined) ids.add(announcement.id, announcement.exp * 1000, clock());
  });
  let closing = false;
  let connected = false;
  subscriber.on('ready', () => {
    // ioredis re-subscribes by itself after a reconnect; reload what may have been missed.
    if (!connected) {
      connected = true;
      return;
    }
    load().catch((error: unknown) => logger?.warn('revocation list reload failed', { error: String(error) }));
  });
  subscriber.on('close', () => {
    if (!closing) logger?.warn('revocation list: Redis subscription lost; reconnecting', { channel });
  });
  subscriber.on('error', (error: unknown) => logger?.debug('revocation list: Redis subscriber error', { error: String(error) }));

  try {
    await subscriber.subscribe(channel);
    connected = true;
    await load();
  } catch (error) {
    closing = true;
    subscriber.disconnect();
    throw error;
  }

  return {
    async revoke(id, expiresAt) {
      const now = clock();
      ids.add(id, expiresAt * 1000, now);
      await publishRevocation(redis, prefix, id, expiresAt, now);
    },
    isRevoked: (id, now) => ids.has(id, now),
    size: () => ids.size(),
    async close() {
      closing = true;
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
