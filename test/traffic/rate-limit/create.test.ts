// createRateLimiter: which store it builds, and a bad Redis URL refused at start-up without
// showing its password.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGatewayError } from '../../../gateway/src/errors/index.js';
import { createRateLimiter } from '../../../gateway/src/traffic/rate-limit/index.js';
import { REDIS_URL } from './support.js';

test('no Redis URL means the in-memory store, on the injected clock', async () => {
  let now = 0;
  const limiter = createRateLimiter({ clock: () => now, redisUrl: '' });
  assert.equal(limiter.store, 'memory');
  const policy = { limit: 1, windowMs: 1000 };
  assert.equal((await limiter.consume('k', policy)).allowed, true);
  assert.equal((await limiter.consume('k', policy)).allowed, false);
  now = 1010;
  assert.equal((await limiter.consume('k', policy)).allowed, true);
  await limiter.ping();
  await limiter.close();
});

test('a Redis URL means the Redis store', async () => {
  const limiter = createRateLimiter({ redisUrl: REDIS_URL });
  assert.equal(limiter.store, 'redis');
  await limiter.ping();
  await limiter.close();
});

function configError(redisUrl: string): string {
  try {
    createRateLimiter({ redisUrl });
  } catch (error) {
    assert.ok(isGatewayError(error));
    assert.equal(error.code, 'CONFIG_INVALID');
    return error.message;
  }
  assert.fail(`expected ${redisUrl} to be refused`);
}

test('a URL that is not redis:// or rediss:// is refused, its password hidden', () => {
  assert.equal(
    configError('http://admin:s3cret@cache.internal:6379/0'),
    "The rate limiter's Redis URL (OPENCLAW_REDIS_URL) must be a redis:// or rediss:// URL; received http://admin:***@cache.internal:6379/0.",
  );
  assert.equal(configError('s3cret@localhost'), "The rate limiter's Redis URL (OPENCLAW_REDIS_URL) must be a redis:// or rediss:// URL; received a value that is not a URL.");
});
