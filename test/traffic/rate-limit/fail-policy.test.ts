/**
 * The fail policy (fail-policy.ts) over a real Redis store whose server is not there (a
 * loopback port nothing listens on), with an injected clock: a decision waits at most the
 * timeout, `open` decides in memory (limits still hold), `closed` refuses with 503
 * STORE_UNAVAILABLE, Redis is skipped for `retryMs` after a failure and tried again after it,
 * and a programming error is not taken for an outage.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { isGatewayError } from '../../../gateway/src/errors/index.js';
import { createRateLimiter, FailPolicyRateLimiter, type RateLimiter } from '../../../gateway/src/traffic/rate-limit/index.js';

/** A loopback port with nothing listening on it. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address !== null && typeof address === 'object');
  return address.port;
}

const POLICY = { limit: 2, windowMs: 60_000 };

async function limiterWith(fail: 'open' | 'closed', clock: () => number): Promise<{ limiter: RateLimiter; outages: unknown[] }> {
  const outages: unknown[] = [];
  const limiter = createRateLimiter({
    redisUrl: `redis://127.0.0.1:${await deadPort()}`,
    keyPrefix: 'fail-policy-test:',
    clock,
    onStoreError: () => undefined,
    onStoreFailure: { fail, timeoutMs: 50, retryMs: 1000, onOutage: (error) => outages.push(error) },
  });
  assert.ok(limiter instanceof FailPolicyRateLimiter);
  return { limiter, outages };
}

test('open: decided in memory within the timeout, the limit still holds; Redis skipped for retryMs, then tried again', async () => {
  let now = 1_000_000;
  const { limiter, outages } = await limiterWith('open', () => now);
  try {
    const start = performance.now();
    const first = await limiter.consume('k', POLICY);
    const waited = performance.now() - start;
    assert.equal(first.allowed, true);
    assert.ok(waited < 50 + 200, `the first decision waited ${waited.toFixed(0)} ms`);
    assert.equal(outages.length, 1, 'the outage is reported once');
    assert.equal((limiter as FailPolicyRateLimiter).degraded, true);
    const skipped = performance.now();
    assert.equal((await limiter.consume('k', POLICY)).allowed, true);
    const third = await limiter.consume('k', POLICY);
    assert.equal(third.allowed, false, 'the limit holds in memory');
    assert.equal(third.reason, 'limit-reached');
    assert.ok(performance.now() - skipped < 20, 'Redis is not asked while it is skipped');
    now += 1000;
    assert.equal((limiter as FailPolicyRateLimiter).degraded, false, 'after retryMs Redis is tried again');
    const retried = performance.now();
    assert.equal((await limiter.consume('other', POLICY)).allowed, true);
    assert.ok(performance.now() - retried >= 40, 'the retry waited for Redis again');
    assert.equal(outages.length, 1, 'still the same outage');
  } finally {
    await limiter.close();
  }
});

test('closed: 503 STORE_UNAVAILABLE with Retry-After, at once while Redis is skipped; bad arguments are not outages', async () => {
  const { limiter } = await limiterWith('closed', () => 5_000_000);
  try {
    for (let i = 0; i < 2; i += 1) {
      await assert.rejects(limiter.consume('k', POLICY), (error: unknown) => {
        assert.ok(isGatewayError(error));
        assert.equal(error.code, 'STORE_UNAVAILABLE');
        assert.equal(error.httpStatus, 503);
        assert.deepEqual(error.headers, { 'retry-after': '1' });
        assert.match(error.message, /^The rate limiter's Redis store does not answer.* and rateLimits\.redis\.fail is "closed": requests under a rate limit are refused until it answers again; retry shortly\.$/);
        return true;
      });
    }
    await assert.rejects(limiter.consume('', POLICY), TypeError);
  } finally {
    await limiter.close();
  }
});
