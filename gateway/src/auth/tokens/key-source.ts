/**
 * Where a provider's verification keys come from, behind one interface: a remote JWKS
 * (`remote-jwks.ts`), static public keys, or a shared HMAC secret. Key selection for a token
 * is jose's (`createLocalJWKSet`): by `kid`, `alg`, key type, curve, `use` and `key_ops`, never
 * from the token's own `jwk`, `jku`, `x5u` or `x5c` headers (RFC 8725 §3.10), which are never
 * read, let alone fetched.
 */
import { createPublicKey, X509Certificate } from 'node:crypto';
import { createLocalJWKSet, errors, type CryptoKey, type JSONWebKeySet, type JWK, type JWSHeaderParameters } from 'jose';
import { GatewayError } from '../../errors/index.js';
import type { JwkConfig } from '../../config/types.js';
import { tokenRefused } from './refusal.js';

/** A key jose can verify with. */
export type VerificationKey = CryptoKey | Uint8Array;

/** A provider's keys. */
export interface KeySource {
  /**
   * The keys that may have signed a token with `header`: usually one; several when the token
   * names no `kid` and more than one key fits (each is tried). Throws `UNAUTHENTICATED` with
   * reason `unknown_key` when none fits, `keys_unavailable` when the keys cannot be had.
   */
  keysFor(header: JWSHeaderParameters, now: number): Promise<VerificationKey[]>;
  /** Changes whenever the set of trusted keys changes; verifications made under an older one are redone. */
  readonly generation: number;
  /** False while the keys are past their stale limit: earlier verifications stop counting. */
  usable(now: number): boolean;
  /**
   * Starts a background refetch when the keys are past their max age (and the cooldown allows),
   * as a request that uses them would; called when a remembered verification is reused, so
   * keys are refreshed (and withdrawn keys dropped) even when every request hits that cache.
   */
  refreshIfOld(now: number): void;
  /**
   * Fetches what can be fetched ahead of the first token; rejects when that fails. A failure
   * does not count against the refetch cooldown: the first token tries again at once.
   */
  warmUp(): Promise<void>;
}

type LocalSet = ReturnType<typeof createLocalJWKSet>;

/**
 * The keys of `set` fitting `header`. jose reports several fitting keys as an error that
 * iterates over them; this returns them all.
 */
export async function keysFromSet(set: LocalSet, header: JWSHeaderParameters): Promise<VerificationKey[]> {
  try {
    return [(await set(header)) as VerificationKey];
  } catch (error) {
    if (error instanceof errors.JWKSMultipleMatchingKeys) {
      const keys: VerificationKey[] = [];
      for await (const key of error) keys.push(key as VerificationKey);
      return keys;
    }
    throw error;
  }
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;

/** True when `jwk` is a public asymmetric key a JWKS may hold (no private or secret part). */
export function isPublicJwk(jwk: unknown): jwk is JWK {
  if (typeof jwk !== 'object' || jwk === null) return false;
  const record = jwk as Record<string, unknown>;
  return ['RSA', 'EC', 'OKP'].includes(String(record.kty)) && PRIVATE_MEMBERS.every((member) => record[member] === undefined);
}

function configKeyToJwk(key: string | JwkConfig, where: string): JWK {
  if (typeof key !== 'string') {
    if (!isPublicJwk(key)) {
      throw new GatewayError('CONFIG_INVALID', `Invalid config: "${where}" must be a public JWK (kty RSA, EC or OKP, without private members); use "secret" for an HMAC key.`);
    }
    return { ...key } as JWK;
  }
  try {
    const publicKey = key.includes('BEGIN CERTIFICATE') ? new X509Certificate(key).publicKey : createPublicKey(key);
    if (publicKey.type !== 'public') throw new Error('not a public key');
    return publicKey.export({ format: 'jwk' }) as JWK;
  } catch {
    throw new GatewayError('CONFIG_INVALID', `Invalid config: "${where}" must be a PEM public key (SPKI or PKCS#1) or an X.509 certificate.`);
  }
}

/**
 * Static public keys from the config (JWK objects, PEM keys or certificates). A PEM key has no
 * `kid`; it is tried for a token whose `kid` matches no keyed entry. Throws `CONFIG_INVALID`
 * naming the key (`path[i]`) for a key that is not a usable public key.
 */
export function staticKeySource(keys: ReadonlyArray<string | JwkConfig>, path: string): KeySource {
  const jwks: JSONWebKeySet = { keys: keys.map((key, index) => configKeyToJwk(key, `${path}[${index}]`)) };
  const set = createLocalJWKSet(jwks);
  const hasKeyless = jwks.keys.some((jwk) => jwk.kid === undefined);
  return {
    generation: 0,
    usable: () => true,
    refreshIfOld: () => undefined,
    warmUp: async () => undefined,
    async keysFor(header) {
      try {
        return await keysFromSet(set, header);
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey && hasKeyless && header.kid !== undefined) {
          try {
            return await keysFromSet(set, { ...header, kid: undefined });
          } catch {
            // fall through to the refusal below
          }
        }
        throw keySelectionRefusal(error, header);
      }
    },
  };
}

const HMAC_HASH: Record<string, string> = { HS256: 'SHA-256', HS384: 'SHA-384', HS512: 'SHA-512' };

/** A shared HMAC secret: one key for HS256/384/512 (imported once per algorithm). */
export function secretKeySource(secret: string): KeySource {
  const bytes = new TextEncoder().encode(secret);
  const imported = new Map<string, Promise<CryptoKey>>();
  return {
    generation: 0,
    usable: () => true,
    refreshIfOld: () => undefined,
    warmUp: async () => undefined,
    async keysFor(header) {
      const hash = typeof header.alg === 'string' ? HMAC_HASH[header.alg] : undefined;
      if (hash === undefined) throw tokenRefused('algorithm_not_allowed', `The token's algorithm ${JSON.stringify(header.alg)} does not fit an HMAC secret.`);
      let key = imported.get(hash);
      if (key === undefined) {
        key = crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash }, false, ['verify']);
        imported.set(hash, key);
      }
      return [await key];
    },
  };
}

/** The refusal for a key-selection failure of jose's JWKS functions. */
export function keySelectionRefusal(error: unknown, header: JWSHeaderParameters): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof errors.JWKSNoMatchingKey) {
    const kid = header.kid === undefined ? 'no kid' : `kid ${JSON.stringify(header.kid)}`;
    return tokenRefused('unknown_key', `No key of the token's issuer fits the token (${kid}, alg ${String(header.alg)}).`, error);
  }
  if (error instanceof errors.JOSENotSupported) {
    return tokenRefused('algorithm_not_allowed', `The token's algorithm ${JSON.stringify(header.alg)} is not accepted.`, error);
  }
  return tokenRefused('keys_unavailable', 'The keys of the token\'s issuer cannot be used.', error);
}
