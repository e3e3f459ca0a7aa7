/**
 * Quotas with Redis, through HTTP:
 *
 * - Redis down (`rateLimits.redis`): a redis-server of the test's own is killed while requests
 *   flow. With `fail: 'open'` (the default) requests go on, each limit still holding in each
 *   instance's memory; with `fail: 'closed'` requests under a limit get 503 STORE_UNAVAILABLE
 *   with `Retry-After`. Either way no request waits more than the timeout (200 ms, the default) plus a
 *   margin. Restarted on the same port, Redis counts again: its counters move with each request.
 * - Two instances sharing Redis admit exactly a cost budget's worth across both.
 *
 * Latencies measured are printed as test diagnostics.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { startGateway, type RunningGateway } from '../../gateway/src/index.js';
import { call, captureLogger, type Call } from '../support/api-keys-e2e.js';
import { startDemoGateway, type DemoGateway } from '../support/demo-gateway.js';
import { startOwnRedis, type OwnRedis } from '../support/redis-server.js';
import { freshRedisPrefix, TEST_REDIS_URL } from '../support/stores.js';

const QUERY = '{ __typename }';
/**
 * What a request may take beyond one the limiter has no part in, measured at the same time
 * (so a loaded test machine slows both): the default 200 ms timeout and a margin.
 */
const EXTRA_LATENCY_BOUND_MS = 200 + 200;

async function timed(url: string, query: string, key: string | undefined): Promise<Call & { ms: number }> {
  const start = performance.now();
  const response = await call(url, query, key);
  return { ...response, ms: performance.now() - start };
}

/** The units Redis holds for `redisKey` (0 when it holds none). */
async function counted(client: Redis, redisKey: string): Promise<number> {
  return Number((await client.hget(redisKey, 'n')) ?? 0);
}

describe('Redis down: the fail policy holds with bounded latency, and counting resumes when it is back', () => {
  let redis: OwnRedis;
  let demo: DemoGateway;
  let closed: RunningGateway;
  let prefix: string;

  before(async () => {
    redis = await startOwnRedis();
    prefix = `openclaw-test-${process.pid}-${Date.now()}:`;
    const logger = captureLogger();
    demo = await startDemoGateway({ store: { redisUrl: redis.url, redisPrefix: prefix } }, { logger });
    closed = await startGateway({ ...demo.config, rateLimits: { ...demo.config.rateLimits, redis: { fail: 'closed', timeoutMs: 200 } } }, { logger });
  });
  after(async () => {
    await closed?.close();
    await demo?.close();
    await redis?.close();
  });

  test('open by default, closed when configured; both within the timeout; both count in Redis again once it is back', async (t) => {
    const open = demo.gateway.url;
    const wide = await demo.createKey({ name: 'wide', rateLimit: { limit: 1000, windowMs: 60_000 } });
    const narrow = await demo.createKey({ name: 'narrow', rateLimit: { limit: 3, windowMs: 60_000 } });
    const redisKey = `${prefix}rl:{key:${wide.id}}`;
    const inspect = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    try {
      await inspect.connect();
      for (const url of [open, closed.url]) assert.equal((await call(url, QUERY, wide.key)).status, 200);
      assert.equal(await counted(inspect, redisKey), 2, 'both instances count in Redis');
      inspect.disconnect();

      await redis.kill();
      // Requests no limit applies to, beside each limited one: the machine's own latency now.
      const baseline: number[] = [];
      const unlimited = async (url: string) => {
        const response = await timed(url, QUERY, undefined);
        assert.equal(response.status, 200, response.raw);
        baseline.push(response.ms);
      };
      const openLatencies: number[] = [];
      for (let i = 0; i < 10; i += 1) {
        await unlimited(open);
        const response = await timed(open, QUERY, wide.key);
        assert.equal(response.status, 200, response.raw);
        openLatencies.push(response.ms);
      }
      // Failing open is not "no limit": each instance holds the limit in its memory meanwhile.
      const narrowStatuses = [];
      for (let i = 0; i < 4; i += 1) narrowStatuses.push((await timed(open, QUERY, narrow.key)).status);
      assert.deepEqual(narrowStatuses, [200, 200, 200, 429]);
      const closedLatencies: number[] = [];
      for (let i = 0; i < 10; i += 1) {
        await unlimited(closed.url);
        const response = await timed(closed.url, QUERY, wide.key);
        assert.equal(response.status, 503, response.raw);
        assert.equal(response.body.errors?.[0]?.extensions?.code, 'STORE_UNAVAILABLE');
        assert.match(response.body.errors?.[0]?.message ?? '', /rateLimits\.redis\.fail is "closed"/);
        assert.equal(response.headers.get('retry-after'), '1');
        closedLatencies.push(response.ms);
      }
      // (A request no limit applies to does not need the limiter, even failing closed: `unlimited` got 200s.)
      const slowestBaseline = Math.max(...baseline);
      const worst = Math.max(...openLatencies, ...closedLatencies);
      t.diagnostic(`Redis down: open max ${Math.max(...openLatencies).toFixed(1)} ms (first ${openLatencies[0]?.toFixed(1)} ms), closed max ${Math.max(...closedLatencies).toFixed(1)} ms; requests without a limit max ${slowestBaseline.toFixed(1)} ms`);
      assert.ok(worst - slowestBaseline < EXTRA_LATENCY_BOUND_MS, `no request waited more than ${EXTRA_LATENCY_BOUND_MS} ms beyond an unlimited one; the slowest took ${worst.toFixed(0)} ms, the slowest unlimited ${slowestBaseline.toFixed(0)} ms`);

      await redis.start();
      const back = performance.now();
      await inspect.connect();
      // Requests flow; within a few seconds (the connection's reconnect back-off, then the
      // limiter's 1 s pause) both instances count in the new Redis again.
      const deadline = performance.now() + 10_000;
      let before = 0;
      for (;;) {
        const start = await counted(inspect, redisKey);
        assert.equal((await call(open, QUERY, wide.key)).status, 200);
        const closedAnswer = await call(closed.url, QUERY, wide.key);
        before = await counted(inspect, redisKey);
        // Both instances' requests of this round were counted in Redis.
        if (closedAnswer.status === 200 && before - start === 2) break;
        assert.ok(performance.now() < deadline, `counting in Redis did not resume within 10 s (counted ${before})`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      t.diagnostic(`Redis back: both instances counting in it after ${(performance.now() - back).toFixed(0)} ms`);
      for (const url of [open, closed.url, open]) assert.equal((await call(url, QUERY, wide.key)).status, 200);
      assert.equal(await counted(inspect, redisKey), before + 3, 'each request counted in Redis once');
    } finally {
      inspect.disconnect();
    }
  });
});

describe('two gateway instances sharing Redis', () => {
  let demo: DemoGateway;
  let second: RunningGateway;
  let cleanup: () => Promise<void>;

  before(async () => {
    const redis = freshRedisPrefix();
    cleanup = () => redis.cleanup();
    demo = await startDemoGateway({ store: { redisUrl: TEST_REDIS_URL, redisPrefix: redis.prefix } });
    second = await startGateway(demo.config, { logger: captureLogger() });
  });
  after(async () => {
    await second?.close();
    await demo?.close();
    await cleanup?.();
  });

  test('admit exactly a cost budget across both: 40 concurrent requests of estimated cost 2 under 20/min, 10 admitted', async () => {
    const key = await demo.createKey({ name: 'shared budget', costLimit: { limit: 20, windowMs: 60_000 } });
    const urls = [demo.gateway.url, second.url];
    const responses = await Promise.all(Array.from({ length: 40 }, (_, i) => call(urls[i % 2] as string, '{ topProducts(first: 2) { name } }', key.key)));
    const admitted = responses.filter((response) => response.status === 200);
    assert.equal(admitted.length, 10, 'exactly the budget admitted');
    const remaining = admitted.map((response) => Number(/^"cost";r=(\d+);t=\d+$/.exec(response.headers.get('ratelimit') ?? '')?.[1])).sort((x, y) => x - y);
    assert.deepEqual(remaining, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18], 'each admission one atomic step across both');
    for (const response of responses.filter((r) => r.status !== 200)) {
      assert.equal(response.status, 429, response.raw);
      assert.equal(response.body.errors?.[0]?.extensions?.policy, 'cost');
      assert.equal(response.headers.get('ratelimit-policy'), '"cost";q=20;w=60');
      assert.ok(Number(response.headers.get('retry-after')) >= 1);
    }
    assert.ok([0, 1].every((parity) => responses.some((response, i) => i % 2 === parity && response.status === 200)), 'both instances admitted some');
  });
});
