// The JWKS cache against a real provider: a key added while requests flow is picked up with one
// refetch; unknown kids refetch at most once per cooldown; with the provider down, known keys
// keep working until the stale limit and are refused after it; a withdrawn key stops verifying.
// Time is the injected clock; the provider's tokens live an hour so they outlast it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeProtectedHeader } from 'jose';
import { createTokenService } from '../../../gateway/src/auth/tokens/index.js';
import { startOidcProvider } from '../../support/oidc.js';
import { assertRefused, authConfig, testClock } from './helpers.js';

const CACHE = { maxAgeSeconds: 60, cooldownSeconds: 10, staleLimitSeconds: 300 };

test('a signing key added to the provider while requests flow is picked up with one refetch', async () => {
  const provider = await startOidcProvider({ signingAlg: 'ES256', accessTokenTtlSeconds: 3600 });
  try {
    const clock = testClock();
    const service = await createTokenService(
      authConfig({ providers: { main: { issuer: provider.issuer, audience: provider.audience, jwksCache: CACHE } } }),
      { clock },
    );
    const before = await Promise.all([1, 2, 3].map(() => provider.clientCredentialsToken()));
    await service.verifyBearer(before[0] ?? '');
    clock.advance(15_000);
    const flowing = before.map((token) => service.verifyBearer(token));
    const kid = await provider.addSigningKey('ES256');
    const after = await Promise.all([1, 2, 3, 4, 5].map(() => provider.clientCredentialsToken()));
    assert.equal(decodeProtectedHeader(after[0] ?? '').kid, kid);

    // In flight together: tokens under the old key and a burst under the new one.
    const principals = await Promise.all([...flowing, ...after.map((token) => service.verifyBearer(token)), ...before.map((token) => service.verifyBearer(token))]);
    assert.equal(principals.length, 11);
    assert.ok(principals.every((principal) => principal.subject === provider.serviceClient.id));
    // The first fetch, and one refetch for the new kid shared by the whole burst.
    assert.equal(provider.requestCount('/jwks'), 2);
  } finally {
    await provider.close();
  }
});

test('unknown kids cause at most one refetch per cooldown', async () => {
  const provider = await startOidcProvider({ signingAlg: 'ES256', accessTokenTtlSeconds: 3600 });
  try {
    const clock = testClock();
    const service = await createTokenService(
      authConfig({ providers: { main: { issuer: provider.issuer, audience: provider.audience, jwksCache: CACHE } } }),
      { clock },
    );
    await service.verifyBearer(await provider.clientCredentialsToken());
    await provider.addSigningKey('ES256');
    const first = await provider.clientCredentialsToken();
    // Within the cooldown of the first fetch, even the first unknown kid waits.
    clock.advance(5_000);
    await assertRefused(service.verifyBearer(first), 'unknown_key');
    assert.equal(provider.requestCount('/jwks'), 1);
    clock.advance(6_000);
    await service.verifyBearer(first);
    assert.equal(provider.requestCount('/jwks'), 2);

    // Another rotation 5 s later: within the 10 s cooldown the new kid is refused, unfetched.
    await provider.addSigningKey('ES256');
    const rotated = await provider.clientCredentialsToken();
    clock.advance(5_000);
    await assertRefused(service.verifyBearer(rotated), 'unknown_key');
    await assertRefused(service.verifyBearer(rotated), 'unknown_key');
    assert.equal(provider.requestCount('/jwks'), 2);

    clock.advance(6_000);
    assert.equal((await service.verifyBearer(rotated)).subject, provider.serviceClient.id);
    assert.equal(provider.requestCount('/jwks'), 3);
  } finally {
    await provider.close();
  }
});

test('provider down: known keys keep working until the stale limit, then tokens are refused until it is back', async () => {
  const provider = await startOidcProvider({ signingAlg: 'RS256', accessTokenTtlSeconds: 3600 });
  try {
    const clock = testClock();
    const service = await createTokenService(
      authConfig({ providers: { main: { issuer: provider.issuer, audience: provider.audience, jwksCache: CACHE } } }),
      { clock },
    );
    const remembered = await provider.clientCredentialsToken();
    const fresh = await Promise.all([1, 2, 3, 4].map(() => provider.clientCredentialsToken()));
    await service.verifyBearer(remembered);
    await provider.takeDown();

    // Past the max age (60 s): still verified with the known keys, while refetches fail behind.
    clock.advance(61_000);
    assert.equal((await service.verifyBearer(fresh[0] ?? '')).kind, 'jwt');
    assert.equal((await service.verifyBearer(remembered)).kind, 'jwt');
    clock.advance(237_000); // 298 s after the last successful fetch
    assert.equal((await service.verifyBearer(fresh[1] ?? '')).kind, 'jwt');

    // Past the stale limit (300 s): refused, whether the token was seen before or not.
    clock.advance(3_000);
    const message = await assertRefused(service.verifyBearer(fresh[2] ?? ''), 'keys_unavailable');
    assert.match(message, /stale limit of 300 s/);
    await assertRefused(service.verifyBearer(remembered), 'keys_unavailable');

    // Back up: after the cooldown the next request fetches and verifies again.
    await provider.bringUp();
    clock.advance(11_000);
    assert.equal((await service.verifyBearer(fresh[3] ?? '')).kind, 'jwt');
    assert.equal((await service.verifyBearer(remembered)).kind, 'jwt');
  } finally {
    await provider.close();
  }
});

test('a key the provider withdraws stops verifying at the next refetch, remembered tokens too', async () => {
  const provider = await startOidcProvider({ signingAlg: 'ES256', accessTokenTtlSeconds: 3600 });
  try {
    const clock = testClock();
    const service = await createTokenService(
      authConfig({ providers: { main: { issuer: provider.issuer, audience: provider.audience, jwksCache: CACHE } } }),
      { clock },
    );
    const compromisedKid = provider.currentKid;
    const token = await provider.clientCredentialsToken();
    await service.verifyBearer(token);
    await provider.addSigningKey('ES256');
    await provider.removeKey(compromisedKid);

    // The max age passes: this request still uses the old set and starts the refetch...
    clock.advance(61_000);
    await service.verifyBearer(token);
    // ...after which (once its answer is in) the withdrawn key verifies nothing.
    await waitFor(async () => {
      try {
        await service.verifyBearer(token);
        return false;
      } catch {
        return true;
      }
    });
    await assertRefused(service.verifyBearer(token), 'unknown_key');
    assert.equal(provider.requestCount('/jwks'), 2);
    assert.equal((await service.verifyBearer(await provider.clientCredentialsToken())).kind, 'jwt');
  } finally {
    await provider.close();
  }
});

/** Polls `condition` until it holds: for the answer of a fetch running in the background. */
async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail('condition not reached');
}
