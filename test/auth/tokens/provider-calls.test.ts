// What a client can make the gateway send to its identity provider is bounded, counted at a
// real OpenID provider (oidc-provider): a repeated unknown opaque token reaches introspection
// once per inactive TTL, whatever the refusal (inactive, no audience, expired by the gateway's
// clock); introspection calls are limited per client address (cached answers cost nothing,
// other addresses are not affected); an opaque token whose introspection names no audience is
// refused as a JWT without one is.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createTokenService, type TokenService } from '../../../gateway/src/auth/tokens/index.js';
import { isGatewayError } from '../../../gateway/src/errors/index.js';
import { MemoryRateLimiter } from '../../../gateway/src/traffic/rate-limit/index.js';
import { startOidcProvider, type TestOidcProvider } from '../../support/oidc.js';
import { assertRefused, authConfig, testClock, type TestClock } from './helpers.js';

const INTROSPECT = '/token/introspection';
let provider: TestOidcProvider;

before(async () => {
  provider = await startOidcProvider({ accessTokenTtlSeconds: 300 });
});
after(() => provider.close());

async function service(clock: TestClock, introspection: Record<string, number> = {}): Promise<TokenService> {
  const client = provider.gatewayClient;
  return createTokenService(
    authConfig({
      providers: { main: { issuer: provider.issuer, audience: provider.audience, client: { id: client.id, secret: client.secret }, introspection: { inactiveCacheTtlSeconds: 10, ...introspection } } },
    }),
    { clock, limiter: new MemoryRateLimiter({ clock }) },
  );
}

const madeUp = () => `made-up-${randomBytes(12).toString('base64url')}`;

test('a repeated unknown token reaches the provider once per inactive TTL', async () => {
  const clock = testClock();
  const tokens = await service(clock);
  const token = madeUp();
  const calls = provider.requestCount(INTROSPECT);
  await assertRefused(tokens.verifyBearer(token, undefined, '203.0.113.1'), 'inactive');
  for (let index = 0; index < 20; index += 1) await tokens.verifyBearer(token, undefined, '203.0.113.1').catch(() => undefined);
  assert.equal(provider.requestCount(INTROSPECT), calls + 1);
  // On the revocation list for the active TTL, refused there first: still no call.
  clock.advance(10_001);
  await tokens.verifyBearer(token).catch(() => undefined);
  assert.equal(provider.requestCount(INTROSPECT), calls + 1);
});

test('an opaque token whose introspection names no audience is refused, and that refusal is cached', async () => {
  const clock = testClock();
  const tokens = await service(clock);
  assert.equal((await tokens.verifyBearer(await provider.opaqueToken())).kind, 'opaque', 'with an audience it is accepted');
  const token = await provider.opaqueToken({ audience: false });
  const calls = provider.requestCount(INTROSPECT);
  const message = await assertRefused(tokens.verifyBearer(token), 'wrong_audience');
  assert.match(message, /names no audience/);
  await assertRefused(tokens.verifyBearer(token), 'wrong_audience');
  assert.equal(provider.requestCount(INTROSPECT), calls + 1);
  clock.advance(10_001);
  await assertRefused(tokens.verifyBearer(token), 'wrong_audience');
  assert.equal(provider.requestCount(INTROSPECT), calls + 2, 'asked again after the inactive TTL');
});

test('a token active at the provider but expired by the gateway\'s clock is refused from the cache, not asked again', async () => {
  // The gateway's clock is 10 minutes ahead of the provider's: the 5-minute token is active there.
  const clock = testClock(Date.now() + 600_000);
  const tokens = await service(clock);
  const token = await provider.opaqueToken();
  const calls = provider.requestCount(INTROSPECT);
  for (let index = 0; index < 5; index += 1) await assertRefused(tokens.verifyBearer(token), 'expired');
  assert.equal(provider.requestCount(INTROSPECT), calls + 1);
});

test('introspection calls are limited per client address; cached answers and other addresses are not affected', async () => {
  const clock = testClock();
  const tokens = await service(clock, { clientCallsPerMinute: 5 });
  const good = await provider.opaqueToken();
  const calls = provider.requestCount(INTROSPECT);
  await tokens.verifyBearer(good, undefined, '203.0.113.7');
  for (let index = 0; index < 4; index += 1) await assertRefused(tokens.verifyBearer(madeUp(), undefined, '203.0.113.7'), 'inactive');
  assert.equal(provider.requestCount(INTROSPECT), calls + 5);
  let limited = 0;
  for (let index = 0; index < 100; index += 1) {
    try {
      await tokens.verifyBearer(madeUp(), undefined, '203.0.113.7');
    } catch (error) {
      assert.ok(isGatewayError(error));
      if (error.code === 'RATE_LIMITED') {
        limited += 1;
        assert.equal(error.httpStatus, 429);
        assert.ok(Number(error.headers['retry-after']) >= 1);
        assert.match(error.headers['ratelimit-policy'] ?? '', /"introspection";q=5;w=60/);
      }
    }
  }
  assert.equal(limited, 100);
  assert.equal(provider.requestCount(INTROSPECT), calls + 5, '100 made-up tokens, no call');
  // The address's cached answers still work; another address has its own budget.
  assert.equal((await tokens.verifyBearer(good, undefined, '203.0.113.7')).kind, 'opaque');
  await assertRefused(tokens.verifyBearer(madeUp(), undefined, '198.51.100.2'), 'inactive');
  assert.equal(provider.requestCount(INTROSPECT), calls + 6);
  // Once its calls leave the sliding minute (in slots of 1/100 of it), the address may ask again.
  clock.advance(61_000);
  await assertRefused(tokens.verifyBearer(madeUp(), undefined, '203.0.113.7'), 'inactive');
  assert.equal(provider.requestCount(INTROSPECT), calls + 7);
});
