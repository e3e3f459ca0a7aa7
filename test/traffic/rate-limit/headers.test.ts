// The IETF RateLimit-Policy / RateLimit fields (draft-ietf-httpapi-ratelimit-headers-11) and
// Retry-After, from decisions; and the RATE_LIMITED error a refusal becomes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRateLimiter, mergeRateLimitHeaders, rateLimitedError, rateLimitHeaders, type Decision } from '../../../gateway/src/traffic/rate-limit/index.js';

const base: Decision = { allowed: true, limit: 100, windowMs: 60_000, cost: 1, remaining: 42, reset: 16_200, retryAfterMs: 0 };

test('an admitted request gets the policy (q, w in seconds) and what is left (r, t rounded up)', () => {
  assert.deepEqual(rateLimitHeaders('default', base), {
    'ratelimit-policy': '"default";q=100;w=60',
    ratelimit: '"default";r=42;t=17',
  });
});

test('a refusal adds Retry-After in whole seconds, never before t', () => {
  const refused: Decision = { ...base, allowed: false, remaining: 0, reset: 16_200, retryAfterMs: 16_200, reason: 'limit-reached' };
  assert.deepEqual(rateLimitHeaders('default', refused), {
    'ratelimit-policy': '"default";q=100;w=60',
    ratelimit: '"default";r=0;t=17',
    'retry-after': '17',
  });
  const soon = rateLimitHeaders('default', { ...refused, reset: 3, retryAfterMs: 3 });
  assert.equal(soon['retry-after'], '1', 'a wait under a second is still 1');
  assert.equal(soon.ratelimit, '"default";r=0;t=1');
});

test('a cost over the limit gets no Retry-After: waiting does not help', () => {
  const refused: Decision = { ...base, allowed: false, cost: 250, remaining: 100, reset: 60_000, retryAfterMs: Number.POSITIVE_INFINITY, reason: 'cost-over-limit' };
  assert.deepEqual(rateLimitHeaders('default', refused), { 'ratelimit-policy': '"default";q=100;w=60', ratelimit: '"default";r=100;t=60' });
});

test('w is left out for a window that is not whole seconds; names are escaped Structured Field Strings', () => {
  assert.equal(rateLimitHeaders('burst', { ...base, windowMs: 1500 })['ratelimit-policy'], '"burst";q=100');
  assert.equal(rateLimitHeaders('a "b" \\c', base).ratelimit, '"a \\"b\\" \\\\c";r=42;t=17');
  assert.throws(() => rateLimitHeaders('clé', base), { name: 'TypeError', message: 'Rate-limit policy name must be printable ASCII (a Structured Field String); received "clé".' });
});

test('headers of several policies merge into one list each, and the longest Retry-After', () => {
  const perKey = rateLimitHeaders('key', { ...base, allowed: false, remaining: 0, reset: 4000, retryAfterMs: 4000, reason: 'limit-reached' });
  const perIp = rateLimitHeaders('ip', { ...base, limit: 1000, windowMs: 3_600_000, remaining: 0, reset: 9000, allowed: false, retryAfterMs: 9000, reason: 'limit-reached' });
  assert.deepEqual(mergeRateLimitHeaders([perKey, perIp]), {
    'ratelimit-policy': '"key";q=100;w=60, "ip";q=1000;w=3600',
    ratelimit: '"key";r=0;t=4, "ip";r=0;t=9',
    'retry-after': '9',
  });
});

test('headers from a real refusal agree with each other', async () => {
  const limiter = new MemoryRateLimiter({ clock: () => 1_000_000 });
  const policy = { limit: 1, windowMs: 10_000 };
  await limiter.consume('k', policy);
  const headers = rateLimitHeaders('partner', await limiter.consume('k', policy));
  assert.deepEqual(headers, { 'ratelimit-policy': '"partner";q=1;w=10', ratelimit: '"partner";r=0;t=11', 'retry-after': '11' });
});

test('a refusal becomes RATE_LIMITED (429) saying which limit and when to come back', () => {
  const limited = rateLimitedError('partner-a', { ...base, allowed: false, remaining: 0, retryAfterMs: 16_200, reason: 'limit-reached' });
  assert.equal(limited.code, 'RATE_LIMITED');
  assert.equal(limited.httpStatus, 429);
  assert.equal(limited.message, 'Rate limit "partner-a" (100/min) reached: retry in 17 s.');
  assert.deepEqual(limited.extensions, { code: 'RATE_LIMITED', policy: 'partner-a', retryAfterSeconds: 17 });

  const tooCostly = rateLimitedError('partner-a', { ...base, allowed: false, cost: 250, retryAfterMs: Number.POSITIVE_INFINITY, reason: 'cost-over-limit' });
  assert.equal(tooCostly.message, 'This request costs 250, more than rate limit "partner-a" (100/min) allows in a whole window; waiting will not help: send a cheaper operation or ask for a higher limit.');
  assert.deepEqual(tooCostly.extensions, { code: 'RATE_LIMITED', policy: 'partner-a' });

  assert.throws(() => rateLimitedError('partner-a', base), TypeError);
});
