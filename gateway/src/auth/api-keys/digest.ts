/**
 * What is stored instead of a key: its digest. HMAC-SHA-256 keyed with the server's secret
 * (`apiKeys.hashSecret` / `OPENCLAW_API_KEY_SECRET`) when one is configured, else SHA-256.
 *
 * A key carries 143 secret random bits, so neither digest can be reversed or brute-forced, and
 * a slow password hash would add cost for nothing. The secret adds this: someone who reads the
 * database but not the secret can neither test a candidate key offline nor plant a digest for
 * a key they made up. Digests are compared in constant time.
 */
import { createHash, createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { DigestScheme } from '../../store/types.js';

/** Computes key digests under the configured scheme, and under a stored record's own. */
export interface KeyDigester {
  /** The scheme new keys get: `hmac-sha256` with a secret, `sha256` without. */
  readonly scheme: DigestScheme;
  /** The digest of `key` under `scheme` (default: this digester's). `undefined` for `hmac-sha256` without a secret. */
  digest(key: string, scheme?: DigestScheme): Buffer | undefined;
}

/** A digester with `secret` (HMAC-SHA-256), or without one (SHA-256). */
export function createKeyDigester(secret?: string): KeyDigester {
  const hmacKey: KeyObject | undefined = secret === undefined ? undefined : createSecretKey(Buffer.from(secret, 'utf8'));
  const scheme: DigestScheme = hmacKey === undefined ? 'sha256' : 'hmac-sha256';
  return {
    scheme,
    digest(key, wanted = scheme) {
      if (wanted === 'sha256') return createHash('sha256').update(key, 'utf8').digest();
      return hmacKey === undefined ? undefined : createHmac('sha256', hmacKey).update(key, 'utf8').digest();
    },
  };
}

/** True when `a` and `b` hold the same bytes; the time taken does not depend on where they differ. */
export function constantTimeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
