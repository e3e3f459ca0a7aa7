// The `100/min` policy syntax of config, the keys CLI and the admin API: what it accepts, the
// message for what it does not, and printing a policy back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isGatewayError } from '../../../gateway/src/errors/index.js';
import { formatRatePolicy, MAX_LIMIT, parseRatePolicy } from '../../../gateway/src/traffic/rate-limit/index.js';

test('reads count/window with an optional amount and a unit', () => {
  const cases: Array<[string, number, number]> = [
    ['100/min', 100, 60_000],
    ['10/s', 10, 1000],
    ['5000/h', 5000, 3_600_000],
    ['100/30s', 100, 30_000],
    ['1/d', 1, 86_400_000],
    ['7/2days', 7, 172_800_000],
    ['60/m', 60, 60_000],
    ['3 / 15 minutes', 3, 900_000],
    ['20/500ms', 20, 500],
    [' 100/MIN ', 100, 60_000],
    ['1/365d', 1, 31_536_000_000],
  ];
  for (const [text, limit, windowMs] of cases) assert.deepEqual(parseRatePolicy(text), { limit, windowMs }, text);
});

function messageOf(value: unknown): string {
  try {
    parseRatePolicy(value as string);
  } catch (error) {
    assert.ok(isGatewayError(error));
    assert.equal(error.code, 'BAD_USER_INPUT');
    return error.message;
  }
  assert.fail(`expected ${String(value)} to be refused`);
}

test('a bad policy is refused with a message that quotes it and says what is expected', () => {
  assert.equal(messageOf('100'), 'Invalid rate limit "100": expected <count>/<window>, such as "100/min", "10/s", "5000/h" or "100/30s".');
  assert.equal(messageOf('100 per minute'), 'Invalid rate limit "100 per minute": expected <count>/<window>, such as "100/min", "10/s", "5000/h" or "100/30s".');
  assert.equal(messageOf('1.5/s'), 'Invalid rate limit "1.5/s": expected <count>/<window>, such as "100/min", "10/s", "5000/h" or "100/30s".');
  assert.equal(messageOf('-1/s'), 'Invalid rate limit "-1/s": expected <count>/<window>, such as "100/min", "10/s", "5000/h" or "100/30s".');
  assert.equal(messageOf('100/fortnight'), 'Invalid rate limit "100/fortnight": unknown window unit "fortnight"; use ms, s, min, h or d (as in "100/min", "10/s", "5000/h" or "100/30s").');
  assert.equal(messageOf('0/min'), `Invalid rate limit "0/min": the count must be a whole number from 1 to ${MAX_LIMIT}.`);
  assert.equal(messageOf('2000000000/min'), `Invalid rate limit "2000000000/min": the count must be a whole number from 1 to ${MAX_LIMIT}.`);
  assert.equal(messageOf('10/0s'), 'Invalid rate limit "10/0s": the window must be from 1 ms to 365 days.');
  assert.equal(messageOf('10/366d'), 'Invalid rate limit "10/366d": the window must be from 1 ms to 365 days.');
  assert.equal(messageOf(''), 'Invalid rate limit "": expected <count>/<window>, such as "100/min", "10/s", "5000/h" or "100/30s".');
  assert.equal(messageOf(100), 'Invalid rate limit 100 (number): expected a string such as "100/min", "10/s", "5000/h" or "100/30s".');
  assert.equal(messageOf(undefined), 'Invalid rate limit undefined (undefined): expected a string such as "100/min", "10/s", "5000/h" or "100/30s".');
});

test('formatRatePolicy writes the largest whole unit, and parseRatePolicy reads it back', () => {
  assert.equal(formatRatePolicy({ limit: 100, windowMs: 60_000 }), '100/min');
  assert.equal(formatRatePolicy({ limit: 100, windowMs: 30_000 }), '100/30s');
  assert.equal(formatRatePolicy({ limit: 5000, windowMs: 3_600_000 }), '5000/h');
  assert.equal(formatRatePolicy({ limit: 10, windowMs: 1000 }), '10/s');
  assert.equal(formatRatePolicy({ limit: 10, windowMs: 5_400_000 }), '10/90min');
  assert.equal(formatRatePolicy({ limit: 2, windowMs: 1500 }), '2/1500ms');
  fc.assert(
    fc.property(fc.integer({ min: 1, max: MAX_LIMIT }), fc.integer({ min: 1, max: 31_536_000_000 }), (limit, windowMs) => {
      assert.deepEqual(parseRatePolicy(formatRatePolicy({ limit, windowMs })), { limit, windowMs });
    }),
  );
});
