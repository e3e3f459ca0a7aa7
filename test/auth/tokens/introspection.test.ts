// Opaque tokens through RFC 7662 introspection at a real provider: client authentication (basic
// and post), answers cached until exp or the TTL, inactive answers cached briefly, one call for
// concurrent requests, and a provider that cannot be asked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createMemoryRevocationList, createTokenService, type TokenService } from '../../../gateway/src/auth/tokens/index.js';
import { startOidcProvider, type TestOidcProvider } from '../../support/oidc.js';
import { assertRefused, authConfig, testClock, type TestClock } from './helpers.js';

const INTROSPECT = '/token/introspection';
let provider: TestOidcProvider;

before(async () => {
  provider = await startOidcProvider({ signingAlg: 'ES256', accessTokenTtlSeconds: 300 });
});
after(() => provider.close());

async function service(clock: TestClock, introspection = { cacheTtlSeconds: 60, inactiveCacheTtlSeconds: 10 }, authMethod: 'client_secret_basic' | 'client_secret_post' = 'client_secret_basic'): Promise<TokenService> {
  const client = authMethod === 'client_secret_basic' ? provider.gatewayClient : provider.serviceClient;
  return createTokenService(
    authConfig({
      providers: {
        main: { issuer: provider.issuer, audience: provider.audience, client: { id: client.id, secret: client.secret, authMethod }, introspection },
      },
    }),
    { clock },
  );
}

test('an opaque token is introspected once and its answer reused until the TTL', async () => {
  const clock = testClock();
  const tokens = await service(clock);
  const token = await provider.opaqueToken({ scope: 'orders:read orders:write' });
  const calls = provider.requestCount(INTROSPECT);
  const principal = await tokens.verifyBearer(token);
  assert.equal(principal.kind, 'opaque');
  assert.equal(principal.subject, provider.serviceClient.id);
  assert.deepEqual([...principal.scopes].sort(), ['orders:read', 'orders:write']);
  assert.equal(principal.claims.active, undefined);

  clock.advance(59_000);
  await tokens.verifyBearer(token);
  assert.equal(provider.requestCount(INTROSPECT), calls + 1);
  clock.advance(2_000);
  await tokens.verifyBearer(token);
  assert.equal(provider.requestCount(INTROSPECT), calls + 2);

  // JWTs of the same provider are still verified locally, not introspected.
  await tokens.verifyBearer(await provider.clientCredentialsToken());
  assert.equal(provider.requestCount(INTROSPECT), calls + 2);
});

test('an active answer is not reused past the token\'s exp when that comes before the TTL', async () => {
  const clock = testClock();
  const tokens = await service(clock, { cacheTtlSeconds: 3600, inactiveCacheTtlSeconds: 10 });
  const token = await provider.opaqueToken();
  const principal = await tokens.verifyBearer(token);
  const calls = provider.requestCount(INTROSPECT);
  clock.now = (principal.expiresAt ?? 0) * 1000 + 31_000;
  await assertRefused(tokens.verifyBearer(token), 'expired');
  assert.equal(provider.requestCount(INTROSPECT), calls + 1);
});

test('a token revoked at the provider is refused once the cached answer runs out; the inactive answer is cached briefly', async () => {
  const clock = testClock();
  const tokens = await service(clock, { cacheTtlSeconds: 30, inactiveCacheTtlSeconds: 10 });
  const token = await provider.opaqueToken();
  await tokens.verifyBearer(token);
  await provider.revoke(token);
  const calls = provider.requestCount(INTROSPECT);

  clock.advance(31_000);
  await assertRefused(tokens.verifyBearer(token), 'inactive');
  assert.equal(provider.requestCount(INTROSPECT), calls + 1);
  // Now on the revocation list as well: refused at once, without asking again.
  clock.advance(5_000);
  await assertRefused(tokens.verifyBearer(token), 'revoked');
  assert.equal(provider.requestCount(INTROSPECT), calls + 1);

  // A token the provider never issued: inactive, cached for 10 s.
  const garbage = 'not-a-token-the-provider-issued';
  const before = provider.requestCount(INTROSPECT);
  await assertRefused(tokens.verifyBearer(garbage), 'inactive');
  await assertRefused(tokens.verifyBearer(garbage), 'revoked');
  assert.equal(provider.requestCount(INTROSPECT), before + 1);
});

test('concurrent requests with one new token share one introspection call', async () => {
  const tokens = await service(testClock());
  const token = await provider.opaqueToken();
  const calls = provider.requestCount(INTROSPECT);
  const principals = await Promise.all(Array.from({ length: 8 }, () => tokens.verifyBearer(token)));
  assert.equal(new Set(principals).size, 1);
  assert.equal(provider.requestCount(INTROSPECT), calls + 1);
});

test('client_secret_post works too, and wrong client credentials never make a token valid', async () => {
  const clock = testClock();
  const post = await service(clock, undefined, 'client_secret_post');
  assert.equal((await post.verifyBearer(await provider.opaqueToken())).kind, 'opaque');

  const wrong = await createTokenService(
    authConfig({
      providers: {
        main: { issuer: provider.issuer, audience: provider.audience, client: { id: provider.gatewayClient.id, secret: 'wrong' }, introspection: {} },
      },
    }),
    { clock },
  );
  await assertRefused(wrong.verifyBearer(await provider.opaqueToken()), 'introspection_failed');
});

test('a provider that cannot be asked: refused, not cached, asked again next time', async () => {
  const own = await startOidcProvider();
  try {
    const clock = testClock();
    const tokens = await createTokenService(
      authConfig({
        providers: {
          main: { issuer: own.issuer, audience: own.audience, client: { id: own.gatewayClient.id, secret: own.gatewayClient.secret }, introspection: {}, timeoutMs: 2000 },
        },
      }),
      { clock },
    );
    const token = await own.opaqueToken();
    await tokens.verifyBearer(await own.opaqueToken()); // discovery is known from here on
    await own.takeDown();
    const message = await assertRefused(tokens.verifyBearer(token), 'introspection_failed');
    assert.doesNotMatch(message, new RegExp(token));
    await own.bringUp();
    assert.equal((await tokens.verifyBearer(token)).kind, 'opaque');
  } finally {
    await own.close();
  }
});

test('an active answer for another audience, another token type or a bound token is refused, and that refusal is cached', async () => {
  // Real providers rarely answer this way on demand, so a loopback endpoint speaking RFC 7662
  // plays a provider whose answers the test chooses.
  const answers: Record<string, Record<string, unknown>> = {
    'other-audience': { active: true, sub: 'u', aud: ['https://elsewhere.example'], iss: 'https://idp.example' },
    'refresh-token': { active: true, sub: 'u', aud: 'https://api.example', token_type: 'refresh_token' },
    bound: { active: true, sub: 'u', aud: 'https://api.example', cnf: { jkt: 'x' } },
    'other-issuer': { active: true, sub: 'u', iss: 'https://evil.example' },
    'no-audience': { active: true, sub: 'u', iss: 'https://idp.example', token_type: 'Bearer' },
    good: { active: true, sub: 'u', aud: 'https://api.example', token_type: 'Bearer', scope: 'a b', iss: 'https://idp.example' },
  };
  let calls = 0;
  const { createServer } = await import('node:http');
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      calls += 1;
      const token = new URLSearchParams(body).get('token') ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answers[token] ?? { active: false }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = server.address() as { port: number };
    const clock = testClock();
    const tokens = await createTokenService(
      authConfig({
        providers: {
          idp: { issuer: 'https://idp.example', audience: 'https://api.example', keys: [{ kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }], client: { id: 'gw', secret: 's' }, introspection: { url: `http://127.0.0.1:${port}/introspect` } },
        },
      }),
      { clock },
    );
    await assertRefused(tokens.verifyBearer('other-audience'), 'wrong_audience');
    await assertRefused(tokens.verifyBearer('refresh-token'), 'wrong_type');
    await assertRefused(tokens.verifyBearer('bound'), 'sender_constrained');
    await assertRefused(tokens.verifyBearer('other-issuer'), 'unknown_issuer');
    const message = await assertRefused(tokens.verifyBearer('no-audience'), 'wrong_audience');
    assert.match(message, /names no audience/);
    assert.deepEqual([...(await tokens.verifyBearer('good')).scopes], ['a', 'b']);
    assert.equal(calls, 6);
    for (const token of ['other-audience', 'refresh-token', 'bound', 'other-issuer', 'no-audience']) await tokens.verifyBearer(token).catch(() => undefined);
    assert.equal(calls, 6, 'every refusal kind is cached');
    clock.advance(10_001);
    await assertRefused(tokens.verifyBearer('no-audience'), 'wrong_audience');
    assert.equal(calls, 7, 'asked again once the inactive TTL has passed');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('made-up opaque tokens: each is refused, but at most 50 a second go on the shared revocation list', async () => {
  const clock = testClock();
  const revocations = createMemoryRevocationList(clock);
  const warnings: string[] = [];
  const ignore = () => undefined;
  const tokens = await createTokenService(
    authConfig({
      providers: {
        main: { issuer: provider.issuer, audience: provider.audience, client: { id: provider.gatewayClient.id, secret: provider.gatewayClient.secret }, introspection: {} },
      },
    }),
    { clock, revocations, logger: { debug: ignore, info: ignore, error: ignore, warn: (message) => warnings.push(message) } },
  );
  for (let index = 0; index < 60; index += 1) await assertRefused(tokens.verifyBearer(`made-up-token-${index}`), 'inactive');
  assert.equal(revocations.size(), 50, 'the rest are not announced to other instances');
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /many inactive opaque tokens this second/);
  // Past the bound, a made-up token is still refused on this instance from its cached answer.
  await assertRefused(tokens.verifyBearer('made-up-token-59'), 'inactive');
  clock.advance(1000);
  await assertRefused(tokens.verifyBearer('made-up-token-60'), 'inactive');
  assert.equal(revocations.size(), 51, 'a new second, a new budget');
});
