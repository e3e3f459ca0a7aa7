/**
 * Micro benchmark: what one rate-limit decision costs, for the in-memory store and for the
 * Redis store (on OPENCLAW_REDIS_URL, default redis://127.0.0.1:6379; skipped when Redis does
 * not answer). Prints microseconds per decision:
 *
 * - memory: one hot key admitting, one hot key refusing, 10,000 keys in turn;
 * - Redis: one call at a time (the round trip a request waits), 64 in flight (the cost per
 *   decision when requests overlap, as they do under load), the script's own time inside
 *   Redis (INFO commandstats), and the memory one busy key holds.
 *
 * Run: node --import tsx bench/micro/rate-limit.ts
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createRateLimiter, type RateLimiter, type RatePolicy } from '../../gateway/src/traffic/rate-limit/index.js';

const REDIS_URL = process.env.OPENCLAW_REDIS_URL ?? 'redis://127.0.0.1:6379';
const OPEN: RatePolicy = { limit: 1_000_000_000, windowMs: 60_000 };

function report(name: string, decisions: number, elapsedNs: bigint): void {
  const micros = Number(elapsedNs) / 1000 / decisions;
  console.log(`rate-limit ${name}: ${micros.toFixed(2)} µs/decision (${decisions.toLocaleString('en')} decisions)`);
}

async function timeSequential(limiter: RateLimiter, decisions: number, keyOf: (i: number) => string, policy: RatePolicy): Promise<bigint> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < decisions; i += 1) await limiter.consume(keyOf(i), policy);
  return process.hrtime.bigint() - started;
}

async function timeInFlight(limiter: RateLimiter, decisions: number, inFlight: number, keyOf: (i: number) => string): Promise<bigint> {
  let next = 0;
  const worker = async () => {
    while (next < decisions) {
      const i = next;
      next += 1;
      await limiter.consume(keyOf(i), OPEN);
    }
  };
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return process.hrtime.bigint() - started;
}

async function scriptStats(redis: Redis): Promise<{ calls: number; usec: number }> {
  const info = await redis.info('commandstats');
  let calls = 0;
  let usec = 0;
  for (const match of info.matchAll(/^cmdstat_(?:evalsha|eval):calls=(\d+),usec=(\d+)/gm)) {
    calls += Number(match[1]);
    usec += Number(match[2]);
  }
  return { calls, usec };
}

async function memory(): Promise<void> {
  const limiter = createRateLimiter();
  await timeSequential(limiter, 50_000, () => 'warm', OPEN);
  report('memory, one hot key admitted', 1_000_000, await timeSequential(limiter, 1_000_000, () => 'hot', OPEN));
  const tight = { limit: 10, windowMs: 60_000 };
  report('memory, one hot key refused', 1_000_000, await timeSequential(limiter, 1_000_000, () => 'refused', tight));
  report('memory, 10,000 keys in turn', 1_000_000, await timeSequential(limiter, 1_000_000, (i) => `key-${i % 10_000}`, OPEN));
  await limiter.close();
}

async function redis(): Promise<void> {
  const probe = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
  } catch {
    console.log(`rate-limit redis: skipped (no Redis answering at ${new URL(REDIS_URL).host})`);
    probe.disconnect();
    return;
  }
  const keyPrefix = `bench:rl:${randomBytes(4).toString('hex')}:`;
  const limiter = createRateLimiter({ redisUrl: REDIS_URL, keyPrefix });
  try {
    await timeSequential(limiter, 2000, () => 'warm', OPEN);
    report('redis, one at a time', 10_000, await timeSequential(limiter, 10_000, (i) => `key-${i % 1000}`, OPEN));
    const before = await scriptStats(probe);
    report('redis, 64 in flight', 50_000, await timeInFlight(limiter, 50_000, 64, (i) => `key-${i % 1000}`));
    const after = await scriptStats(probe);
    const calls = after.calls - before.calls;
    if (calls > 0) console.log(`rate-limit redis, script time inside Redis: ${((after.usec - before.usec) / calls).toFixed(2)} µs/decision (INFO commandstats; other clients of this Redis count too)`);
    const busy = { limit: 1_000_000, windowMs: 1000 };
    const end = Date.now() + 1100;
    while (Date.now() < end) await Promise.all(Array.from({ length: 20 }, () => limiter.consume('busy', busy)));
    const bytes = await probe.memory('USAGE', `${keyPrefix}{busy}`);
    const fields = await probe.hlen(`${keyPrefix}{busy}`);
    console.log(`rate-limit redis, one busy key: ${bytes} bytes in Redis (${fields - 3} slots live)`);
  } finally {
    await limiter.close();
    let cursor = '0';
    do {
      const [nextCursor, keys] = await probe.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await probe.del(...keys);
      cursor = nextCursor;
    } while (cursor !== '0');
    await probe.quit();
  }
}

await memory();
await redis();
