/**
 * Test support for the limiter: the real Redis on 127.0.0.1:6379 under a random key prefix
 * (other helpers share that Redis), removed afterwards; a clock tests move by hand.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis the tests use (OPENCLAW_TEST_REDIS_URL overrides the local default). */
export const REDIS_URL = process.env.OPENCLAW_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix no other test or helper uses. */
export function randomPrefix(): string {
  return `test:rl:${randomBytes(6).toString('hex')}:`;
}

/** A connection for looking at what the limiter stored, and removing it. */
export function adminConnection(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
}

/** Deletes every key under `prefix`. */
export async function removeKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** A clock that stands still until told to move. */
export class ManualClock {
  constructor(public ms = Date.UTC(2026, 0, 1)) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/** Resolves after `ms` of real time. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
