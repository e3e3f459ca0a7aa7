/**
 * What a person gives to revoke a token (the admin API's `revokeToken`, `openclaw tokens
 * revoke`): its `jti`, and until when it must be refused, as the token's `exp` (an ISO 8601
 * time or seconds since the epoch, as the decoded token shows it) or as a duration from now.
 * Both callers check input here, so they accept and refuse the same things with the same words.
 */
import { parseDuration } from '../api-keys/duration.js';

/** A revocation, checked: `expiresAt` in seconds since the epoch, in the future. */
export interface RevocationInput {
  readonly jti: string;
  readonly expiresAt: number;
}

/** What was wrong, for a person: the caller turns it into BAD_USER_INPUT or a usage error. */
export class RevocationInputError extends Error {
  constructor(
    /** `jti`, `expiresAt` or `expiresIn`: the field (or option) at fault. */
    readonly field: 'jti' | 'expiresAt' | 'expiresIn',
    message: string,
  ) {
    super(message);
    this.name = 'RevocationInputError';
  }
}

/** Longest `jti` accepted: far more than any provider's (UUIDs, 16-32 random bytes). */
export const MAX_JTI_LENGTH = 256;

// Seconds since the epoch beyond this are milliseconds by mistake (the year 5138).
const MAX_EPOCH_SECONDS = 1e11;

// Visible ASCII: a jti is an identifier, and it travels in Redis messages and logs.
const JTI = /^[\x21-\x7e]+$/;

/** What `expiresAt` / `--expires-at` may be. */
export const EXPIRES_AT_SHAPE = 'the token\'s exp: an ISO 8601 time ("2030-01-31T12:00:00Z") or seconds since the epoch ("1906545600")';

/** How the fields are named in messages: the admin API's argument names, or the CLI's. */
export interface RevocationFieldNames {
  jti: string;
  expiresAt: string;
  expiresIn: string;
}

const API_NAMES: RevocationFieldNames = { jti: 'jti', expiresAt: 'expiresAt', expiresIn: 'expiresIn' };

function expiresAtFrom(value: string, name: string): number {
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const seconds = Number(text);
    if (seconds >= MAX_EPOCH_SECONDS) {
      throw new RevocationInputError('expiresAt', `${name} ${JSON.stringify(value)} is too large for seconds since the epoch (milliseconds?); give ${EXPIRES_AT_SHAPE}.`);
    }
    return seconds;
  }
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(ms)) throw new RevocationInputError('expiresAt', `${name} must be ${EXPIRES_AT_SHAPE}; received ${JSON.stringify(value)}.`);
  return Math.ceil(ms / 1000);
}

/**
 * Checks a revocation: `jti` non-empty visible ASCII of at most 256 characters; exactly one of
 * `expiresAt` and `expiresIn` (a duration such as `1h`); the resulting time after `now`
 * (milliseconds; a token past its `exp` is refused anyway). Throws `RevocationInputError`,
 * whose message names the fields as `names` does (default: the admin API's argument names).
 */
export function parseRevocation(
  input: { jti: string; expiresAt?: string | undefined; expiresIn?: string | undefined },
  now: number,
  names: RevocationFieldNames = API_NAMES,
): RevocationInput {
  const { jti } = input;
  if (jti.length === 0 || jti.length > MAX_JTI_LENGTH || !JTI.test(jti)) {
    throw new RevocationInputError('jti', `${names.jti} must be the token's "jti" claim: 1 to ${MAX_JTI_LENGTH} visible ASCII characters; received ${JSON.stringify(jti.slice(0, 80))}${jti.length > 80 ? '...' : ''}.`);
  }
  if ((input.expiresAt === undefined) === (input.expiresIn === undefined)) {
    const field = input.expiresAt === undefined ? 'expiresAt' : 'expiresIn';
    throw new RevocationInputError(field, `Give exactly one of ${names.expiresAt} (the token's exp) and ${names.expiresIn} (how long from now, e.g. "1h"): the revocation is kept until then.`);
  }
  let expiresAt: number;
  if (input.expiresIn !== undefined) {
    const ms = parseDuration(input.expiresIn);
    if (ms === undefined || ms === 0) {
      throw new RevocationInputError('expiresIn', `${names.expiresIn} must be a duration like "1h", "30m", "7d" (units s, m, h, d, w); received ${JSON.stringify(input.expiresIn)}.`);
    }
    expiresAt = Math.ceil((now + ms) / 1000);
  } else {
    expiresAt = expiresAtFrom(input.expiresAt ?? '', names.expiresAt);
    if (expiresAt * 1000 <= now) {
      throw new RevocationInputError('expiresAt', `${names.expiresAt} ${new Date(expiresAt * 1000).toISOString()} is not in the future: a token past its exp is refused anyway, there is nothing to revoke.`);
    }
  }
  return { jti, expiresAt };
}
