/**
 * The key format, after GitHub's tokens: a prefix that says what the string is, random base62
 * characters, and a CRC-32 checksum of the rest (also base62), so that a mistyped, truncated
 * or made-up key is refused without a store lookup, and secret scanners can recognise ours.
 *
 *   ocw_live_ 4Hq8dXk2P0sWzY1bN7cV3mR9tL5gJ6fA 0aBc9Z
 *   prefix    32 random base62 chars (190 bits) checksum (6 chars)
 *
 * The first 8 random characters after the prefix form the lookup prefix (`ocw_live_4Hq8dXk2`):
 * stored in clear, shown in lists, used to find the key's record. The rest never leaves the
 * client except as a digest (digest.ts).
 */
import { randomBytes } from 'node:crypto';
import { GatewayError } from '../../errors/index.js';
import type { KeyEnvironment } from '../../store/types.js';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const RANDOM_CHARS = 32;
const CHECKSUM_CHARS = 6;
const LOOKUP_CHARS = 8;

/** The prefix of each kind of key. */
export const KEY_PREFIXES: Readonly<Record<KeyEnvironment, string>> = { live: 'ocw_live_', test: 'ocw_test_' };

/** Length of every key: prefix (9) + random (32) + checksum (6). */
export const KEY_LENGTH = 9 + RANDOM_CHARS + CHECKSUM_CHARS;

/** Length of a lookup prefix: `ocw_live_` and 8 random characters. */
export const LOOKUP_PREFIX_LENGTH = 9 + LOOKUP_CHARS;

const SHAPE = /^ocw_(live|test)_[0-9A-Za-z]{38}$/;

/** Why a presented key is refused before any lookup. */
export type KeyFormatProblem = 'malformed' | 'checksum';

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

/** CRC-32 (IEEE, as zlib) of an ASCII string. Node 20.11 has no `zlib.crc32` yet. */
export function crc32(text: string): number {
  let crc = -1;
  for (let i = 0; i < text.length; i += 1) crc = (CRC_TABLE[(crc ^ text.charCodeAt(i)) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/** `value` in base62, left-padded with `0` to `width` characters. */
function base62(value: number, width: number): string {
  let out = '';
  let rest = value;
  while (rest > 0) {
    out = ALPHABET[rest % 62] + out;
    rest = Math.floor(rest / 62);
  }
  return out.padStart(width, '0');
}

/** `count` uniformly random base62 characters (rejection sampling: no modulo bias). */
export function randomBase62(count: number): string {
  let out = '';
  while (out.length < count) {
    for (const byte of randomBytes(count * 2)) {
      // 248 = 4 * 62: bytes above it would make the first characters likelier.
      if (byte < 248) out += ALPHABET[byte % 62];
      if (out.length === count) break;
    }
  }
  return out;
}

function checksumOf(body: string): string {
  return base62(crc32(body), CHECKSUM_CHARS);
}

/** A new key of `environment`: prefix, 190 random bits from `crypto.randomBytes`, checksum. */
export function generateKey(environment: KeyEnvironment): string {
  const body = KEY_PREFIXES[environment] + randomBase62(RANDOM_CHARS);
  return body + checksumOf(body);
}

/** What the format says about a well-formed key. */
export interface ParsedKey {
  readonly environment: KeyEnvironment;
  /** The non-secret lookup prefix (`ocw_live_` + 8 characters). */
  readonly lookupPrefix: string;
}

/**
 * Checks `presented` against the format. Returns the key's environment and lookup prefix, or
 * the problem: `malformed` (not a string of our shape) or `checksum` (the right shape, but the
 * checksum does not match: a typo, a truncation, a made-up key).
 */
export function checkKeyFormat(presented: unknown): ParsedKey | KeyFormatProblem {
  if (typeof presented !== 'string' || presented.length !== KEY_LENGTH || !SHAPE.test(presented)) return 'malformed';
  const body = presented.slice(0, KEY_LENGTH - CHECKSUM_CHARS);
  if (checksumOf(body) !== presented.slice(KEY_LENGTH - CHECKSUM_CHARS)) return 'checksum';
  return { environment: presented.charCodeAt(4) === 108 /* l */ ? 'live' : 'test', lookupPrefix: presented.slice(0, LOOKUP_PREFIX_LENGTH) };
}

/** The messages of the two format refusals; they describe the format, never the key. */
export const FORMAT_MESSAGES: Readonly<Record<KeyFormatProblem, string>> = {
  malformed: 'API key is malformed: expected "ocw_live_" or "ocw_test_" followed by 38 letters and digits.',
  checksum: 'API key checksum does not match: the key was mistyped, truncated or made up.',
};

/** Like `checkKeyFormat`, but throws `UNAUTHENTICATED` (with `details.reason`) for a bad key. */
export function parseKey(presented: unknown): ParsedKey {
  const parsed = checkKeyFormat(presented);
  if (typeof parsed === 'string') throw new GatewayError('UNAUTHENTICATED', FORMAT_MESSAGES[parsed], { reason: parsed });
  return parsed;
}

/** True when `text` looks like one of our keys (for redacting: logs, CLI echo); the checksum is not checked. */
export function looksLikeKey(text: string): boolean {
  return /ocw_(live|test)_[0-9A-Za-z]{38}/.test(text);
}

/** A new key id: `key_` and 16 base62 characters (95 bits); not secret. */
export function generateKeyId(): string {
  return `key_${randomBase62(16)}`;
}
