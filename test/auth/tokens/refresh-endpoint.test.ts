// The refresh endpoint for public clients, mounted on a real HTTP server in front of a real
// provider: the client sends only its refresh token, the gateway adds its own client
// credentials; rotation hands out a new refresh token and a reused one is refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTokenService, type TokenService } from '../../../gateway/src/auth/tokens/index.js';
import { startOidcProvider, type TestOidcProvider } from '../../support/oidc.js';
import { authConfig } from './helpers.js';

let provider: TestOidcProvider;
let service: TokenService;
let server: Server;
let endpoint: string;

before(async () => {
  provider = await startOidcProvider({ signingAlg: 'ES256' });
  service = await createTokenService(
    authConfig({
      providers: { main: { issuer: provider.issuer, audience: provider.audience, client: { id: provider.gatewayClient.id, secret: provider.gatewayClient.secret } } },
      refresh: {},
    }),
  );
  const refresh = service.refresh;
  assert.ok(refresh);
  assert.equal(refresh.path, '/auth/token');
  server = createServer((req, res) => {
    if (req.url === refresh.path) void refresh.handle(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}${refresh.path}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await service.close();
  await provider.close();
});

/** What a mobile app sends: its refresh token, no client secret. */
async function refresh(refreshToken: string, extra: Record<string, string> = {}) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, ...extra }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

test('a public client refreshes without a secret; the new access token verifies; the refresh token rotates', async () => {
  const first = await provider.userRefreshToken({ sub: 'bob', claims: { amr: ['pwd'] } });
  const answer = await refresh(first);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.headers.get('cache-control'), 'no-store');
  assert.equal(answer.body.token_type, 'Bearer');
  const principal = await service.verifyBearer(String(answer.body.access_token));
  assert.equal(principal.subject, 'bob');
  assert.equal(typeof answer.body.refresh_token, 'string');
  assert.notEqual(answer.body.refresh_token, first);

  // The rotated token works once more; asking for fewer scopes is passed through.
  const second = await refresh(String(answer.body.refresh_token), { scope: 'orders:read' });
  assert.equal(second.status, 200, JSON.stringify(second.body));
  assert.deepEqual([...(await service.verifyBearer(String(second.body.access_token))).scopes], ['orders:read']);
});

test('a refresh token reused after rotation is refused, and the provider then ends the whole grant', async () => {
  const original = await provider.userRefreshToken({ sub: 'carol' });
  const rotated = await refresh(original);
  assert.equal(rotated.status, 200);

  // An attacker replays the stolen, already-used token.
  const replay = await refresh(original);
  assert.equal(replay.status, 400);
  assert.equal(replay.body.error, 'invalid_grant');
  // Reuse detection revokes the grant: the legitimate client's rotated token is dead too.
  const after = await refresh(String(rotated.body.refresh_token));
  assert.equal(after.status, 400);
  assert.equal(after.body.error, 'invalid_grant');
});

test('requests that are not a refresh-token grant are refused in the OAuth error shape', async () => {
  const get = await fetch(endpoint);
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');

  const json = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  assert.equal(json.status, 415);

  const clientCredentials = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials',
  });
  assert.equal(clientCredentials.status, 400);
  assert.deepEqual(await clientCredentials.json(), { error: 'unsupported_grant_type', error_description: 'This endpoint performs the refresh_token grant only.' });

  const missing = await refresh('');
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error, 'invalid_request');

  const unknown = await refresh('never-issued');
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error, 'invalid_grant');

  const big = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `grant_type=refresh_token&refresh_token=${'x'.repeat(20_000)}` });
  assert.equal(big.status, 413);
});

test('the gateway\'s own credentials never reach the client; a wrong secret is a server error, not the client\'s', async () => {
  const ok = await refresh(await provider.userRefreshToken({ sub: 'dave' }));
  assert.equal(JSON.stringify(ok.body).includes(provider.gatewayClient.secret), false);

  const misconfigured = await createTokenService(
    authConfig({
      providers: { main: { issuer: provider.issuer, audience: provider.audience, client: { id: provider.gatewayClient.id, secret: 'wrong-secret' } } },
      refresh: { path: '/token' },
    }),
  );
  const handler = misconfigured.refresh?.handle;
  assert.ok(handler);
  const other = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    const response = await fetch(`http://127.0.0.1:${(other.address() as AddressInfo).port}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: await provider.userRefreshToken({ sub: 'erin' }) }),
    });
    assert.equal(response.status, 500);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.error, 'server_error');
    assert.equal(JSON.stringify(body).includes('wrong-secret'), false);
  } finally {
    await new Promise((resolve) => other.close(resolve));
  }
});

test('a provider that is down: 503 temporarily_unavailable with Retry-After', async () => {
  const own = await startOidcProvider();
  const tokens = await createTokenService(
    authConfig({
      providers: { main: { issuer: own.issuer, audience: own.audience, client: { id: own.gatewayClient.id, secret: own.gatewayClient.secret }, timeoutMs: 2000 } },
      refresh: {},
    }),
  );
  const handler = tokens.refresh?.handle;
  assert.ok(handler);
  const other = createServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
  try {
    const refreshToken = await own.userRefreshToken({ sub: 'frank' });
    await own.takeDown();
    const response = await fetch(`http://127.0.0.1:${(other.address() as AddressInfo).port}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
    });
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '5');
    assert.equal(((await response.json()) as Record<string, unknown>).error, 'temporarily_unavailable');
  } finally {
    await new Promise((resolve) => other.close(resolve));
    await own.close();
  }
});
