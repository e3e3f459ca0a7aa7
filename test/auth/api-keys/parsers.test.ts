/**
 * What users type: rate limits (`100/min`, read by the limiter's parser), durations (`30d`,
 * `2s`, `0`), IP allow lists (IPv4 and IPv6 CIDRs), and the digests that are stored instead
 * of keys.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { constantTimeEqual, createKeyDigester } from '../../../gateway/src/auth/api-keys/digest.js';
import { formatDuration, parseDuration } from '../../../gateway/src/auth/api-keys/duration.js';
import { compileAllowList, normalizeCidr } from '../../../gateway/src/auth/api-keys/ip-allow-list.js';
import { formatRatePolicy, parseKeyRateLimit, parseRatePolicy } from '../../../gateway/src/auth/api-keys/rate-policy.js';
import { isGatewayError } from '../../../gateway/src/errors/index.js';
import { formatRatePolicy as limiterFormat, parseRatePolicy as limiterParse } from '../../../gateway/src/traffic/rate-limit/policy.js';

test('a key\'s rate limit is read by the limiter\'s one parser: same values, same messages; "none" is no limit', () => {
  const cases: Array<[string, { limit: number; windowMs: number } | null]> = [
    ['100/min', { limit: 100, windowMs: 60_000 }],
    ['10 / second', { limit: 10, windowMs: 1000 }],
    ['5000/hour', { limit: 5000, windowMs: 3_600_000 }],
    ['500/15min', { limit: 500, windowMs: 900_000 }],
    ['100000/day', { limit: 100_000, windowMs: 86_400_000 }],
    ['7/1500ms', { limit: 7, windowMs: 1500 }],
    ['none', null],
  ];
  for (const [text, expected] of cases) assert.deepEqual(parseKeyRateLimit(text), expected, text);
  assert.equal(parseKeyRateLimit(null), null);
  assert.equal(parseRatePolicy, limiterParse, 'one parser');
  assert.equal(formatRatePolicy, limiterFormat, 'one printer');
  for (const text of ['100', '0/min', '100/fortnight', '1.5/min', '1/366d', '2000000000/s']) {
    let limiterMessage = '';
    try {
      limiterParse(text);
    } catch (error) {
      limiterMessage = (error as Error).message;
    }
    assert.throws(() => parseKeyRateLimit(text), (error: unknown) => isGatewayError(error) && error.code === 'BAD_USER_INPUT' && error.message === limiterMessage, text);
  }
});

test('durations: a number and one unit; 0 alone means none', () => {
  const cases: Array<[string, number | undefined]> = [
    ['30d', 30 * 86_400_000],
    ['2s', 2000],
    ['24h', 86_400_000],
    ['90m', 5_400_000],
    ['1w', 604_800_000],
    ['250ms', 250],
    ['0', 0],
    ['0s', 0],
    ['10', undefined],
    ['1.5h', undefined],
    ['-1d', undefined],
    ['1y', undefined],
    ['', undefined],
    ['40000d', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(parseDuration(text), expected, text);
  assert.equal(formatDuration(86_400_000), '1d');
  assert.equal(formatDuration(5_400_000), '90m');
  assert.equal(formatDuration(0), '0');
  assert.equal(formatDuration(1500), '1500ms');
});

test('CIDRs are normalised: host bits cleared, bare addresses made single-address ranges, mapped IPv4 unwrapped', () => {
  const cases: Array<[string, string | undefined]> = [
    ['203.0.113.7/24', '203.0.113.0/24'],
    ['203.0.113.7', '203.0.113.7/32'],
    ['2001:DB8::1', '2001:db8::1/128'],
    ['2001:db8:abcd::/48', '2001:db8:abcd::/48'],
    ['::ffff:10.0.0.0/104', '10.0.0.0/8'],
    ['0.0.0.0/0', '0.0.0.0/0'],
    ['::/0', '::/0'],
    [' 10.0.0.1 ', '10.0.0.1/32'],
    ['10.1', undefined],
    ['0x0a.0.0.1', undefined],
    ['1.2.3.4/33', undefined],
    ['2001:db8::/129', undefined],
    ['1.2.3.4/', undefined],
    ['1.2.3.4/8/8', undefined],
    ['example.com', undefined],
  ];
  for (const [text, expected] of cases) assert.equal(normalizeCidr(text), expected, text);
});

test('an allow list admits addresses inside its IPv4 and IPv6 ranges only; an empty list admits all', () => {
  const list = compileAllowList(['203.0.113.0/24', '2001:db8::/32']);
  assert.equal(list.allows('203.0.113.9'), true);
  assert.equal(list.allows('::ffff:203.0.113.9'), true, 'IPv4-mapped IPv6, as a dual-stack socket reports IPv4 clients');
  assert.equal(list.allows('203.0.114.1'), false);
  assert.equal(list.allows('2001:db8:1::5'), true);
  assert.equal(list.allows('2001:db9::1'), false);
  assert.equal(list.allows('::1'), false);
  assert.equal(list.allows(undefined), false);
  assert.equal(list.allows('not an ip'), false);
  const any = compileAllowList([]);
  assert.equal(any.allows('198.51.100.1'), true);
  assert.equal(any.allows(undefined), true);
});

test('digests: HMAC-SHA-256 with the secret, SHA-256 without; compared in constant time', () => {
  const key = 'ocw_live_0000000000000000000000000000000000000000';
  const secret = 's'.repeat(32);
  const keyed = createKeyDigester(secret);
  const plain = createKeyDigester();
  assert.equal(keyed.scheme, 'hmac-sha256');
  assert.equal(plain.scheme, 'sha256');
  assert.deepEqual(keyed.digest(key), createHmac('sha256', secret).update(key).digest());
  assert.deepEqual(plain.digest(key), createHash('sha256').update(key).digest());
  assert.deepEqual(keyed.digest(key, 'sha256'), plain.digest(key), 'a key stored before the secret was set still verifies');
  assert.equal(plain.digest(key, 'hmac-sha256'), undefined, 'an HMAC digest cannot be checked without the secret');
  assert.notDeepEqual(createKeyDigester('t'.repeat(32)).digest(key), keyed.digest(key));
  const a = keyed.digest(key) as Buffer;
  assert.equal(constantTimeEqual(a, Buffer.from(a)), true);
  assert.equal(constantTimeEqual(a, Buffer.alloc(32)), false);
  assert.equal(constantTimeEqual(a, a.subarray(0, 16)), false);
});
