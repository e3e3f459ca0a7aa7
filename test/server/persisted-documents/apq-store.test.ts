// APQ registrations: bounded by bytes in memory, shared through the real Redis, and a Redis
// value that is not the hash's document is a miss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { createApqStore, REDIS_LOOKUP_TIMEOUT_MS } from '../../../gateway/src/server/persisted-documents/apq-store.js';
import { freshRedisPrefix, TEST_REDIS_URL } from '../../support/stores.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const doc = (n: number) => `{ topProducts(first: ${n}) { upc } } # ${'x'.repeat(1000)}`;

test('memory is bounded by bytes: older registrations leave first', async () => {
  // Each document is about 1040 characters, 2080 bytes: 10 fit in 21000 bytes.
  const store = createApqStore({ maxBytes: 21_000, ttlSeconds: 60 });
  for (let n = 0; n < 30; n++) await store.set(sha(doc(n)), doc(n));
  assert.equal(await store.get(sha(doc(0))), undefined, 'the oldest is gone');
  assert.equal(await store.get(sha(doc(29))), doc(29));
  let kept = 0;
  for (let n = 0; n < 30; n++) if ((await store.get(sha(doc(n)))) !== undefined) kept++;
  assert.ok(kept <= 10, `${kept} kept`);
});

test('with Redis, a registration made by one instance is found by another; a foreign value is a miss', async () => {
  const { prefix, cleanup } = freshRedisPrefix();
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const keyPrefix = `${prefix}apq:`;
    const one = createApqStore({ maxBytes: 1 << 20, ttlSeconds: 60, redis, keyPrefix });
    const two = createApqStore({ maxBytes: 1 << 20, ttlSeconds: 60, redis, keyPrefix });
    await one.set(sha(doc(1)), doc(1));
    assert.equal(await two.get(sha(doc(1))), doc(1));
    assert.ok((await redis.ttl(`${keyPrefix}${sha(doc(1))}`)) > 0, 'registrations expire');
    await redis.set(`${keyPrefix}${sha(doc(2))}`, 'not that document');
    assert.equal(await two.get(sha(doc(2))), undefined);
  } finally {
    await cleanup();
    redis.disconnect();
  }
});

test('Redis that does not answer makes a lookup a miss within REDIS_LOOKUP_TIMEOUT_MS, never a hang', async () => {
  // Nothing listens on port 1: commands wait for a connection that never comes.
  const redis = new Redis('redis://127.0.0.1:1', { maxRetriesPerRequest: null, retryStrategy: () => 50 });
  redis.on('error', () => undefined);
  try {
    const store = createApqStore({ maxBytes: 1 << 20, ttlSeconds: 60, redis, keyPrefix: 'x:' });
    const started = performance.now();
    assert.equal(await store.get(sha(doc(3))), undefined);
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= REDIS_LOOKUP_TIMEOUT_MS - 5 && elapsed < REDIS_LOOKUP_TIMEOUT_MS + 500, `${elapsed} ms`);
  } finally {
    redis.disconnect();
  }
});
