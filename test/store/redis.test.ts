/**
 * The shared Redis connection factory: it connects to the real Redis, fails fast and clearly
 * (STORE_UNAVAILABLE, no password in the message) when Redis is not there, and closes cleanly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeRedis, createRedisConnection, redactRedisUrl, waitForRedis } from '../../gateway/src/store/index.js';
import { isGatewayError } from '../../gateway/src/errors/index.js';
import { freshRedisPrefix, TEST_REDIS_URL } from '../support/stores.js';

test('a connection to the real Redis is ready, works, and closes', async () => {
  const prefix = freshRedisPrefix();
  const redis = createRedisConnection(TEST_REDIS_URL, { name: 'test' });
  try {
    await waitForRedis(redis, TEST_REDIS_URL);
    await redis.set(`${prefix.prefix}k`, 'v');
    assert.equal(await redis.get(`${prefix.prefix}k`), 'v');
    assert.match(String(await redis.client('GETNAME')), /^openclaw-test$/);
  } finally {
    await closeRedis(redis);
    await prefix.cleanup();
  }
  assert.equal(redis.status, 'end');
});

test('no Redis at the URL: STORE_UNAVAILABLE within the timeout, naming the URL without its password', async () => {
  const url = 'redis://:hunter2-secret@127.0.0.1:1';
  const errors: Error[] = [];
  const redis = createRedisConnection(url, { onError: (error) => errors.push(error) });
  const start = performance.now();
  try {
    await assert.rejects(waitForRedis(redis, url, 1000), (error: unknown) => {
      assert.ok(isGatewayError(error));
      assert.equal(error.code, 'STORE_UNAVAILABLE');
      assert.match(error.message, /^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 could not be reached: /);
      assert.doesNotMatch(error.message, /hunter2/);
      return true;
    });
    assert.ok(performance.now() - start < 1500);
    assert.ok(errors.length > 0, 'connection errors reach onError instead of being printed');
  } finally {
    await closeRedis(redis);
  }
  assert.equal(redactRedisUrl('redis://127.0.0.1:6379'), 'redis://127.0.0.1:6379');
});
