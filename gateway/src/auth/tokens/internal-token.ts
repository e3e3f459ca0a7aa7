/**
 * The gateway's own tokens for backends (propagation mode `jwt`): short-lived JWTs signed with
 * the gateway's key, carrying only the claims a source's config lists, and the JWKS document
 * with the public key, which the gateway serves at `/.well-known/jwks.json` so backends verify
 * them like any other provider's tokens.
 *
 * Signing is synchronous (node:crypto; the upstream-request hook that calls it is synchronous)
 * and a token is reused for the same caller, audience and claims for half its lifetime, so a
 * request fanning out to many calls signs once. The key is generated at start unless the config
 * gives one; with several instances behind one load balancer, give them the same key
 * (`auth.internalToken.privateKey`), or a backend would see a kid that the JWKS it fetched from
 * another instance does not have.
 */
import { constants, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { JSONWebKeySet, JWK } from 'jose';
import type { ResolvedAuthConfig } from '../../config/types.js';
import { GatewayError } from '../../errors/index.js';
import type { Principal } from '../principal.js';

type InternalAlgorithm = ResolvedAuthConfig['internalToken']['algorithm'];

/** Claims the gateway sets itself or never passes on, whatever a source's `claims` list says. */
export const RESERVED_CLAIMS: ReadonlySet<string> = new Set([
  'iss', 'aud', 'exp', 'iat', 'nbf', 'jti', 'sub',
  // Binding and session material of the caller's own token: meaningless or dangerous downstream.
  'cnf', 'sid', 'nonce', 'at_hash', 'c_hash', 's_hash',
]);

/** Mints the gateway's tokens. */
export interface InternalTokenIssuer {
  readonly issuer: string;
  readonly algorithm: InternalAlgorithm;
  readonly kid: string;
  /**
   * A token for `principal` with `aud` = `audience`: `sub` is the principal's subject and each
   * name of `claimNames` is copied from `claimValue` (reserved claims and absent values left
   * out). Reuses the token minted for the same principal object, audience and names while less
   * than half its lifetime has passed.
   */
  tokenFor(principal: Principal, audience: string, claimNames: readonly string[], claimValue: (name: string) => unknown, now: number): string;
  /** The JWKS document to publish: the public key only. */
  jwks(): JSONWebKeySet;
}

const KEY_TYPES: Record<InternalAlgorithm, { type: string; curve?: string }> = {
  ES256: { type: 'ec', curve: 'P-256' },
  RS256: { type: 'rsa' },
  PS256: { type: 'rsa' },
  EdDSA: { type: 'ed25519' },
};

function generate(algorithm: InternalAlgorithm): KeyObject {
  switch (algorithm) {
    case 'ES256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    case 'EdDSA':
      return generateKeyPairSync('ed25519').privateKey;
    default:
      return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  }
}

function loadKey(source: string | Record<string, unknown>, algorithm: InternalAlgorithm): KeyObject {
  let key: KeyObject;
  try {
    key = typeof source === 'string' ? createPrivateKey(source) : createPrivateKey({ key: source as JsonWebKey, format: 'jwk' });
  } catch {
    throw new GatewayError('CONFIG_INVALID', 'Invalid config: "auth.internalToken.privateKey" must be a private key: PKCS#8 or PKCS#1 PEM, or a private JWK.');
  }
  const expected = KEY_TYPES[algorithm];
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType !== expected.type || (expected.curve !== undefined && curve !== 'prime256v1' && curve !== expected.curve)) {
    throw new GatewayError(
      'CONFIG_INVALID',
      `Invalid config: "auth.internalToken.privateKey" must be an ${expected.type.toUpperCase()}${expected.curve ? ` ${expected.curve}` : ''} key for "auth.internalToken.algorithm" ${algorithm}; received a ${String(key.asymmetricKeyType)} key.`,
    );
  }
  return key;
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of a public key: a stable `kid`. */
function thumbprint(jwk: JWK): string {
  const members = jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

function signature(algorithm: InternalAlgorithm, input: Buffer, key: KeyObject): Buffer {
  switch (algorithm) {
    case 'ES256':
      return sign('sha256', input, { key, dsaEncoding: 'ieee-p1363' });
    case 'PS256':
      return sign('sha256', input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    case 'EdDSA':
      return sign(null, input, key);
    default:
      return sign('sha256', input, key);
  }
}

/** The issuer for `config`: its key loaded (or generated), its JWKS computed once. Throws `CONFIG_INVALID` for a bad key. */
export function createInternalTokenIssuer(config: ResolvedAuthConfig['internalToken']): InternalTokenIssuer {
  const { algorithm, issuer, ttlSeconds } = config;
  const privateKey = config.privateKey === undefined ? generate(algorithm) : loadKey(config.privateKey, algorithm);
  const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' }) as JWK;
  const kid = thumbprint(publicJwk);
  const document: JSONWebKeySet = { keys: [{ ...publicJwk, kid, alg: algorithm, use: 'sig' }] };
  const encodedHeader = base64url(JSON.stringify({ alg: algorithm, typ: 'JWT', kid }));
  const minted = new WeakMap<Principal, Map<string, { token: string; reuseUntil: number }>>();

  const mint = (claims: Record<string, unknown>): string => {
    const input = `${encodedHeader}.${base64url(JSON.stringify(claims))}`;
    return `${input}.${signature(algorithm, Buffer.from(input), privateKey).toString('base64url')}`;
  };

  return {
    issuer,
    algorithm,
    kid,
    jwks: () => structuredClone(document),
    tokenFor(principal, audience, claimNames, claimValue, now) {
      const cacheKey = `${audience}\n${claimNames.join(',')}`;
      let forPrincipal = minted.get(principal);
      const reusable = forPrincipal?.get(cacheKey);
      if (reusable !== undefined && reusable.reuseUntil > now) return reusable.token;
      const iat = Math.floor(now / 1000);
      // Never outlive the caller's own credential.
      const exp = Math.min(iat + ttlSeconds, principal.expiresAt ?? Number.POSITIVE_INFINITY);
      const claims: Record<string, unknown> = { iss: issuer, aud: audience, sub: principal.subject, iat, exp, jti: randomUUID() };
      for (const name of claimNames) {
        if (RESERVED_CLAIMS.has(name)) continue;
        const value = claimValue(name);
        if (value !== undefined) claims[name] = value;
      }
      const token = mint(claims);
      if (forPrincipal === undefined) {
        forPrincipal = new Map();
        minted.set(principal, forPrincipal);
      }
      forPrincipal.set(cacheKey, { token, reuseUntil: now + ((exp - iat) * 1000) / 2 });
      return token;
    },
  };
}
