// Shared by the token tests: config through the real resolver, a movable clock, self-signed
// tokens for the cases a real provider will not produce, and refusal assertions.
import assert from 'node:assert/strict';
import { generateKeyPair, exportJWK, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';
import { resolveConfig, type OpenClawConfig } from '../../../gateway/src/config/index.js';
import type { ResolvedAuthConfig } from '../../../gateway/src/config/types.js';
import { isGatewayError } from '../../../gateway/src/errors/index.js';

/** The resolved `auth` section of `auth` (validated and defaulted by the real config code). */
export function authConfig(auth: NonNullable<OpenClawConfig['auth']>, env: NodeJS.ProcessEnv = {}): ResolvedAuthConfig {
  return resolveConfig({ auth }, { rootDir: '/srv/app', env }).auth;
}

/** A clock tests move by hand. */
export interface TestClock {
  (): number;
  now: number;
  advance(ms: number): void;
}

export function testClock(start = Date.now()): TestClock {
  const clock = (() => clock.now) as TestClock;
  clock.now = start;
  clock.advance = (ms) => {
    clock.now += ms;
  };
  return clock;
}

/** A key pair of our own, standing in for a provider or an attacker. */
export interface SigningKey {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK & { kty: string };
}

export async function signingKey(alg: 'RS256' | 'ES256' | 'PS256' | 'EdDSA' = 'ES256', kid = `${alg}-${Math.random().toString(36).slice(2, 8)}`): Promise<SigningKey> {
  const pair = await generateKeyPair(alg, { extractable: true });
  return { alg, kid, privateKey: pair.privateKey, publicJwk: { ...(await exportJWK(pair.publicKey)), kty: alg === 'RS256' || alg === 'PS256' ? 'RSA' : alg === 'EdDSA' ? 'OKP' : 'EC', kid, alg, use: 'sig' } };
}

/** A JWT signed with `key`: `exp` one hour after `now` unless the payload says otherwise. */
export async function signToken(key: SigningKey, payload: JWTPayload, header: Record<string, unknown> = {}, now = Date.now()): Promise<string> {
  return new SignJWT({ exp: Math.floor(now / 1000) + 3600, ...payload })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
    .sign(key.privateKey);
}

/** Asserts that `promise` rejects with UNAUTHENTICATED and `reason`; returns the error's message. */
export async function assertRefused(promise: Promise<unknown>, reason: string): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isGatewayError(error), `expected a GatewayError, got ${String(error)}`);
    assert.equal(error.code, 'UNAUTHENTICATED');
    assert.equal(error.httpStatus, 401);
    assert.equal(error.details.reason, reason, `reason of: ${error.message}`);
    return error.message;
  }
  assert.fail(`expected a refusal with reason ${reason}`);
}

/** base64url of a JSON value, for hand-built tokens. */
export function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
