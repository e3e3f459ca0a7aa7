// What only the Redis store has to show: Redis's clock decides (instances with skewed clocks
// agree), a refusal writes nothing, state stays small and expires, and an unreachable Redis
// fails fast instead of holding requests.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { isGatewayError } from '../../../gateway/src/errors/index.js';
import { createRateLimiter, RedisRateLimiter, slotMsFor } from '../../../gateway/src/traffic/rate-limit/index.js';
import { adminConnection, randomPrefix, REDIS_URL, removeKeys, sleep } from './support.js';

const prefix = randomPrefix();
let admin: Redis;

before(() => {
  admin = adminConnection();
});
after(async () => {
  await removeKeys(admin, prefix);
  await admin.quit();
});

test('instances whose clocks disagree by a day still admit exactly N between them', async () => {
  const behind = createRateLimiter({ redisUrl: REDIS_URL, keyPrefix: prefix, clock: () => Date.now() - 86_400_000 });
  const ahead = createRateLimiter({ redisUrl: REDIS_URL, keyPrefix: prefix, clock: () => Date.now() + 86_400_000 });
  try {
    const policy = { limit: 10, windowMs: 60_000 };
    const decisions = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? behind : ahead).consume('skew', policy)));
    assert.equal(decisions.filter((d) => d.allowed).length, 10);
    for (const d of decisions) assert.ok(d.reset > 0 && d.reset <= 60_000 + slotMsFor(60_000), `reset ${d.reset}`);
  } finally {
    await Promise.all([behind.close(), ahead.close()]);
  }
});

test('a refusal writes nothing: the stored state and its expiry stay as they were', async () => {
  const limiter = new RedisRateLimiter({ redis: admin, ownsConnection: false, keyPrefix: prefix });
  const policy = { limit: 2, windowMs: 60_000 };
  await limiter.consume('quiet', policy, 2);
  const key = limiter.redisKey('quiet');
  const before = await admin.hgetall(key);
  const ttlBefore = await admin.pttl(key);
  for (let i = 0; i < 10; i += 1) assert.equal((await limiter.consume('quiet', policy)).allowed, false);
  assert.equal((await limiter.consume('quiet', policy, 3)).reason, 'cost-over-limit');
  assert.deepEqual(await admin.hgetall(key), before);
  assert.ok((await admin.pttl(key)) <= ttlBefore, 'refusals do not push the expiry out');
});

test('state is one small hash per key that expires when its newest units leave the window', async () => {
  const limiter = new RedisRateLimiter({ redis: admin, ownsConnection: false, keyPrefix: prefix });
  const key = limiter.redisKey('busy');
  assert.equal(key, `${prefix}{busy}`, 'the key is a Redis Cluster hash tag under the prefix');
  const policy = { limit: 100_000, windowMs: 300 };
  // 20 rounds over ~400 ms: slots of 3 ms come and go, and no more than 101 are ever live.
  for (let round = 0; round < 20; round += 1) {
    await Promise.all(Array.from({ length: 50 }, () => limiter.consume('busy', policy)));
    await sleep(20);
  }
  assert.equal(await admin.type(key), 'hash');
  assert.ok((await admin.hlen(key)) <= 3 + 101, `fields ${await admin.hlen(key)}`);
  const ttl = await admin.pttl(key);
  assert.ok(ttl > 0 && ttl <= 300 + slotMsFor(300), `pttl ${ttl}`);
  await sleep(ttl + 50);
  assert.equal(await admin.exists(key), 0, 'nothing is left once the window has passed');
});

test('a Redis that cannot be reached makes consume and ping reject quickly with a gateway error', async () => {
  const limiter = createRateLimiter({ redisUrl: 'redis://user:hunter2@127.0.0.1:1', keyPrefix: prefix, commandTimeoutMs: 300 });
  try {
    const started = Date.now();
    const failure = await limiter.consume('k', { limit: 1, windowMs: 1000 }).then(
      () => assert.fail('expected a rejection'),
      (error: unknown) => error,
    );
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
    assert.ok(isGatewayError(failure));
    assert.equal(failure.code, 'INTERNAL_SERVER_ERROR');
    assert.match(failure.message, /^The rate limiter's Redis store did not answer: /);
    assert.doesNotMatch(failure.message, /hunter2/);
    await assert.rejects(limiter.ping(), /did not answer/);
  } finally {
    await limiter.close();
  }
});

test('close() closes a connection the limiter opened, and leaves a shared one open', async () => {
  const shared = new Redis(REDIS_URL);
  const borrowing = createRateLimiter({ redis: shared, keyPrefix: prefix });
  await borrowing.consume('c', { limit: 1, windowMs: 1000 });
  await borrowing.close();
  await borrowing.close();
  assert.equal(await shared.ping(), 'PONG');
  await shared.quit();

  const owning = createRateLimiter({ redisUrl: REDIS_URL, keyPrefix: prefix });
  await owning.ping();
  await owning.close();
  await assert.rejects(owning.consume('c', { limit: 1, windowMs: 1000 }), /did not answer/);
});
