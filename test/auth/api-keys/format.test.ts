/**
 * The key format: what a generated key looks like, and that the checksum refuses typos,
 * swaps, truncations and made-up keys before any lookup.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkKeyFormat, crc32, generateKey, generateKeyId, parseKey } from '../../../gateway/src/auth/api-keys/format.js';
import { isGatewayError } from '../../../gateway/src/errors/index.js';

const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

test('a generated key: prefix, 38 base62 characters, a valid checksum; each one different', () => {
  const live = generateKey('live');
  const test = generateKey('test');
  assert.match(live, /^ocw_live_[0-9A-Za-z]{38}$/);
  assert.match(test, /^ocw_test_[0-9A-Za-z]{38}$/);
  assert.deepEqual(checkKeyFormat(live), { environment: 'live', lookupPrefix: live.slice(0, 17) });
  assert.deepEqual(checkKeyFormat(test), { environment: 'test', lookupPrefix: test.slice(0, 17) });
  const many = new Set(Array.from({ length: 2000 }, () => generateKey('live')));
  assert.equal(many.size, 2000);
  // Every base62 character turns up in the random part: the alphabet is used whole.
  const seen = new Set([...many].flatMap((key) => [...key.slice(9, 41)]));
  assert.equal(seen.size, 62);
});

test('key ids are key_ and 16 base62 characters', () => {
  assert.match(generateKeyId(), /^key_[0-9A-Za-z]{16}$/);
  assert.notEqual(generateKeyId(), generateKeyId());
});

test('CRC-32 is the IEEE one (the check value of "123456789" is CBF43926)', () => {
  assert.equal(crc32('123456789'), 0xcbf43926);
  assert.equal(crc32(''), 0);
});

test('any one changed character is refused by the checksum', () => {
  fc.assert(
    fc.property(fc.constantFrom('live', 'test' as const), fc.nat(37), fc.nat(61), (environment, offset, shift) => {
      const key = generateKey(environment);
      const index = 9 + offset;
      const original = key[index] ?? '0';
      const replacement = ALNUM[(ALNUM.indexOf(original) + 1 + (shift % 61)) % 62] ?? '0';
      const typo = key.slice(0, index) + replacement + key.slice(index + 1);
      return checkKeyFormat(typo) === 'checksum';
    }),
    { numRuns: 2000 },
  );
});

test('two swapped neighbours are refused by the checksum', () => {
  fc.assert(
    fc.property(fc.nat(36), (offset) => {
      const key = generateKey('live');
      const i = 9 + offset;
      if (key[i] === key[i + 1]) return true;
      const swapped = key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2);
      return checkKeyFormat(swapped) === 'checksum';
    }),
    { numRuns: 1000 },
  );
});

test('a made-up key of the right shape is refused by the checksum; a live key relabelled test too', () => {
  let refused = 0;
  for (let i = 0; i < 500; i += 1) {
    const madeUp = `ocw_live_${Array.from({ length: 38 }, () => ALNUM[Math.floor(Math.random() * 62)]).join('')}`;
    if (checkKeyFormat(madeUp) === 'checksum') refused += 1;
  }
  assert.equal(refused, 500);
  const live = generateKey('live');
  assert.equal(checkKeyFormat(`ocw_test_${live.slice(9)}`), 'checksum');
});

test('wrong shapes are malformed: truncated, too long, other prefix, other characters, not a string', () => {
  const key = generateKey('live');
  for (const bad of [key.slice(0, -1), `${key}x`, `ghp_${key.slice(4)}`, `OCW_LIVE_${key.slice(9)}`, `${key.slice(0, 20)}-${key.slice(21)}`, '', ' '.repeat(47), undefined, 42, null]) {
    assert.equal(checkKeyFormat(bad), 'malformed', String(bad));
  }
});

test('parseKey refuses with UNAUTHENTICATED, a reason, and a message that does not contain the key', () => {
  const key = generateKey('live');
  const typo = key.slice(0, 20) + (key[20] === 'a' ? 'b' : 'a') + key.slice(21);
  for (const [presented, reason, message] of [
    [typo, 'checksum', 'API key checksum does not match: the key was mistyped, truncated or made up.'],
    [key.slice(0, 30), 'malformed', 'API key is malformed: expected "ocw_live_" or "ocw_test_" followed by 38 letters and digits.'],
  ] as const) {
    assert.throws(() => parseKey(presented), (error: unknown) => {
      assert.ok(isGatewayError(error));
      assert.equal(error.code, 'UNAUTHENTICATED');
      assert.equal(error.httpStatus, 401);
      assert.deepEqual(error.details, { reason });
      assert.equal(error.message, message);
      assert.ok(!error.message.includes(presented.slice(9, 20)));
      return true;
    });
  }
  assert.deepEqual(parseKey(key), { environment: 'live', lookupPrefix: key.slice(0, 17) });
});
