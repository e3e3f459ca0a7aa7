// Revocation across two gateway instances over the real Redis (127.0.0.1:6379): a token revoked
// by jti on one, or reported inactive by introspection on one, is refused by the other within a
// second, and an instance started later loads what was revoked before. Each run uses its own
// key prefix and deletes its keys after.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { decodeJwt } from 'jose';
import { createRedisRevocationList, createTokenService, type TokenService } from '../../../gateway/src/auth/tokens/index.js';
import { startOidcProvider, type TestOidcProvider } from '../../support/oidc.js';
import { assertRefused, authConfig, testClock } from './helpers.js';

const PREFIX = `test:openclaw:tokens:${randomUUID()}:`;
const connections: Redis[] = [];
let provider: TestOidcProvider;

function connect(): Redis {
  const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: false, maxRetriesPerRequest: 1 });
  connections.push(redis);
  return redis;
}

before(async () => {
  provider = await startOidcProvider({ signingAlg: 'ES256' });
});

after(async () => {
  await connect().del(`${PREFIX}revoked`, `${PREFIX}expiry:revoked`);
  await provider.close();
  await Promise.all(connections.map((connection) => connection.quit()));
});

function config() {
  return authConfig({
    providers: {
      main: {
        issuer: provider.issuer,
        audience: provider.audience,
        client: { id: provider.gatewayClient.id, secret: provider.gatewayClient.secret },
        introspection: { cacheTtlSeconds: 60, inactiveCacheTtlSeconds: 5 },
      },
    },
  });
}

/** Milliseconds until `check` throws (polled as fast as the event loop allows), at most 2 s. */
async function msUntilRefused(check: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < 2000) {
    try {
      await check();
    } catch {
      return performance.now() - start;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail('still accepted after 2 s');
}

test('a jti revoked on one instance is refused on the other within a second, and by an instance started later', async (t) => {
  const a = await createTokenService(config(), { redis: connect(), redisPrefix: PREFIX });
  const b = await createTokenService(config(), { redis: connect(), redisPrefix: PREFIX });
  const services: TokenService[] = [a, b];
  try {
    const token = await provider.clientCredentialsToken();
    await a.verifyBearer(token);
    await b.verifyBearer(token); // remembered on b: only the revocation list can stop it now
    const { jti, exp } = decodeJwt(token);

    const revoked = a.revokeToken(String(jti), Number(exp));
    const elapsed = await msUntilRefused(() => b.verifyBearer(token));
    await revoked;
    t.diagnostic(`refused on the other instance ${elapsed.toFixed(1)} ms after the revocation call`);
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
    await assertRefused(a.verifyBearer(token), 'revoked');
    await assertRefused(b.verifyBearer(token), 'revoked');

    const c = await createTokenService(config(), { redis: connect(), redisPrefix: PREFIX });
    services.push(c);
    await assertRefused(c.verifyBearer(token), 'revoked');
    // Other tokens are unaffected.
    assert.equal((await c.verifyBearer(await provider.clientCredentialsToken())).kind, 'jwt');
  } finally {
    await Promise.all(services.map((service) => service.close()));
  }
});

test('an opaque token found inactive by introspection on one instance is refused on the other within a second', async (t) => {
  const clockA = testClock();
  const clockB = testClock();
  const a = await createTokenService(config(), { redis: connect(), redisPrefix: PREFIX, clock: clockA });
  const b = await createTokenService(config(), { redis: connect(), redisPrefix: PREFIX, clock: clockB });
  try {
    const token = await provider.opaqueToken();
    await a.verifyBearer(token);
    await b.verifyBearer(token); // b now holds an active answer for 60 s
    await provider.revoke(token);

    // a's cached answer runs out first; it asks again and learns the token is inactive.
    clockA.advance(61_000);
    const asked = assertRefused(a.verifyBearer(token), 'inactive');
    const elapsed = await msUntilRefused(() => b.verifyBearer(token));
    await asked;
    t.diagnostic(`refused on the other instance ${elapsed.toFixed(1)} ms after the introspection began`);
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
    await assertRefused(b.verifyBearer(token), 'revoked');
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});

test('the list forgets entries past their expiry, in Redis and in memory', async () => {
  const clock = testClock(1_900_000_000_000);
  const list = await createRedisRevocationList({ redis: connect(), prefix: `${PREFIX}expiry:`, clock });
  try {
    const now = clock.now / 1000;
    await list.revoke('short', now + 10);
    await list.revoke('long', now + 1000);
    assert.equal(list.isRevoked('short', clock.now), true);
    clock.advance(11_000);
    assert.equal(list.isRevoked('short', clock.now), false);
    assert.equal(list.isRevoked('long', clock.now), true);
    // The next revocation trims expired members from the sorted set.
    await list.revoke('later', now + 500);
    const members = await connect().zrange(`${PREFIX}expiry:revoked`, '0', '-1');
    assert.deepEqual(members.sort(), ['later', 'long']);
  } finally {
    await list.close();
  }
});
