/**
 * Bearer tokens end to end, through HTTP: a real OpenID provider (oidc-provider) on loopback,
 * the demo gateway and its backends. The mobile-banking story on the demo's orders backend,
 * a partner service with client credentials, opaque tokens by introspection, the refresh
 * endpoint, and a signing key added to the provider while requests flow.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { resolveConfig, startGateway, type RunningGateway } from '../../gateway/src/index.js';
import { startDemoSubgraphs, type DemoSubgraphs } from '../../subgraphs/index.js';
import { postGraphQL, REPO_ROOT } from '../support/demo-gateway.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc.js';
import { startTokenGateway, type TokenGateway } from '../support/token-gateway.js';

const LIST_ORDERS = '{ orders(userId: "2") { id quantity product { upc name } } }';
const PLACE_ORDER = 'mutation { placeOrder(input: { userId: "2", upc: "1", quantity: 2 }) { id status quantity product { name } } }';

/** The calls the orders backend received, by operation. */
function ordersCalls(gateway: TokenGateway): string[] {
  return gateway.demo.subgraphs.orders.calls.map((call) => call.operation);
}

describe('the mobile-banking story', () => {
  let gateway: TokenGateway;

  before(async () => {
    gateway = await startTokenGateway();
  });
  after(async () => {
    await gateway?.close();
  });

  test('a user token with orders:read lists the user\'s orders', async () => {
    const token = await gateway.userToken({ sub: '2', claims: { amr: ['pwd'] } }, 'offline_access orders:read');
    const { status, body } = await gateway.query(`${LIST_ORDERS.slice(0, -1)} user(id: "2") { name orders { id } } }`, token);
    assert.equal(status, 200);
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.deepEqual(body.data, { orders: [], user: { name: 'Dotan Simha', orders: [] } });
  });

  test('orders:read cannot place an order: FORBIDDEN at placeOrder, and the orders backend is never asked', async () => {
    const token = await gateway.userToken({ sub: '2', claims: { amr: ['pwd', 'mfa'] } }, 'offline_access orders:read');
    gateway.demo.resetCalls();
    const { status, body } = await gateway.query(PLACE_ORDER, token);
    assert.equal(status, 200);
    assert.deepEqual(body.data, { placeOrder: null });
    assert.equal(body.errors?.length, 1);
    assert.deepEqual(body.errors?.[0]?.path, ['placeOrder']);
    assert.equal(body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.match(body.errors?.[0]?.message ?? '', /scope "orders:write"/);
    assert.deepEqual(ordersCalls(gateway), []);
  });

  test('orders:write without the MFA claim is refused on placeOrder; nothing is placed', async () => {
    const token = await gateway.userToken({ sub: '2', claims: { amr: ['pwd'] } }, 'offline_access orders:read orders:write');
    gateway.demo.resetCalls();
    const { body } = await gateway.query(PLACE_ORDER, token);
    assert.deepEqual(body.data, { placeOrder: null });
    assert.equal(body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.match(body.errors?.[0]?.message ?? '', /claim "amr" holding "mfa"/);
    assert.deepEqual(ordersCalls(gateway), []);
    const listed = await gateway.query(LIST_ORDERS, token);
    assert.deepEqual(listed.body.data, { orders: [] }, 'no order was placed');
  });

  test('orders:write with MFA places the order, and the user then lists it', async () => {
    const token = await gateway.userToken({ sub: '2', claims: { amr: ['pwd', 'mfa'] } }, 'offline_access orders:read orders:write');
    gateway.demo.resetCalls();
    const { status, body } = await gateway.query(PLACE_ORDER, token);
    assert.equal(status, 200);
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    const placed = (body.data as { placeOrder: { id: string; status: string; quantity: number; product: { name: string } } }).placeOrder;
    assert.deepEqual({ ...placed, id: typeof placed.id }, { id: 'string', status: 'PLACED', quantity: 2, product: { name: 'Table' } });
    assert.deepEqual(ordersCalls(gateway), ['POST /orders']);
    const listed = await gateway.query(LIST_ORDERS, token);
    assert.deepEqual(listed.body.data, { orders: [{ id: placed.id, quantity: 2, product: { upc: '1', name: 'Table' } }] });
  });

  test('a partner\'s API key with orders:write places an order without any MFA', async () => {
    const { key } = await gateway.demo.createKey({ name: 'partner', scopes: ['orders:write'] });
    const { body } = await gateway.query(PLACE_ORDER.replace('quantity: 2', 'quantity: 1'), undefined, { 'x-api-key': key });
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.equal((body.data as { placeOrder: { status: string } }).placeOrder.status, 'PLACED');
  });

  test('without a credential, the orders are UNAUTHENTICATED and the public data still comes back', async () => {
    gateway.demo.resetCalls();
    const { status, body } = await gateway.query('{ user(id: "2") { name orders { id } } product(upc: "1") { name } }');
    assert.equal(status, 200);
    assert.deepEqual(body.data, { user: { name: 'Dotan Simha', orders: null }, product: { name: 'Table' } });
    assert.equal(body.errors?.length, 1);
    assert.equal(body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.deepEqual(body.errors?.[0]?.path, ['user', 'orders']);
    assert.deepEqual(ordersCalls(gateway), [], 'the orders backend is not asked for a refused field');
  });
});

describe('service clients, opaque tokens and the refresh endpoint', () => {
  let gateway: TokenGateway;

  before(async () => {
    gateway = await startTokenGateway({ provider: { signingAlg: 'ES256' } });
  });
  after(async () => {
    await gateway?.close();
  });

  test('a partner service\'s client-credentials JWT reads orders; its subject is the client', async () => {
    const token = await gateway.provider.clientCredentialsToken({ scope: 'orders:read' });
    assert.equal(decodeProtectedHeader(token).alg, 'ES256');
    const { status, body } = await gateway.query('{ orders(userId: "1") { id } }', token);
    assert.equal(status, 200);
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    assert.deepEqual(body.data, { orders: [] });
    const write = await gateway.query(PLACE_ORDER, token);
    assert.equal(write.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
  });

  test('an opaque token is introspected once, then served from the cache; revoked at the provider, it ends when the cache does', async () => {
    const token = await gateway.provider.opaqueToken({ scope: 'orders:read' });
    assert.equal(token.split('.').length, 1, 'not a JWT');
    const before = gateway.provider.requestCount('/token/introspection');
    for (let index = 0; index < 3; index += 1) {
      const { status, body } = await gateway.query('{ orders(userId: "1") { id } }', token);
      assert.equal(status, 200);
      assert.deepEqual(body.data, { orders: [] }, JSON.stringify(body.errors));
    }
    assert.equal(gateway.provider.requestCount('/token/introspection') - before, 1, 'one introspection call for three requests');
  });

  test('an opaque token the provider reports inactive is refused with 401 invalid_token', async () => {
    const token = await gateway.provider.opaqueToken({ scope: 'orders:read' });
    await gateway.provider.revoke(token);
    const { status, headers, body } = await gateway.query('{ orders(userId: "1") { id } }', token);
    assert.equal(status, 401);
    assert.match(headers.get('www-authenticate') ?? '', /^Bearer realm="openclaw", error="invalid_token"/);
    assert.equal(body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.equal(body.errors?.[0]?.extensions?.reason, 'inactive');
  });

  test('a mobile app refreshes at the gateway without a client secret; a reused refresh token is refused', async () => {
    const refreshToken = await gateway.provider.userRefreshToken({ sub: '3', claims: { amr: ['pwd'] } }, 'offline_access orders:read');
    const refresh = (token: string) =>
      fetch(`${gateway.origin}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }),
      });
    const first = await refresh(refreshToken);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('cache-control'), 'no-store');
    const tokens = (await first.json()) as { access_token: string; refresh_token: string };
    assert.notEqual(tokens.refresh_token, refreshToken, 'the refresh token rotates');
    const { body } = await gateway.query('{ orders(userId: "3") { id } }', tokens.access_token);
    assert.deepEqual(body.data, { orders: [] });

    const reused = await refresh(refreshToken);
    assert.equal(reused.status, 400);
    assert.equal(((await reused.json()) as { error: string }).error, 'invalid_grant');
  });
});

describe('a signing key added to the provider while requests flow', () => {
  let gateway: TokenGateway;

  before(async () => {
    gateway = await startTokenGateway({
      // A cooldown of one second between JWKS refetches keeps the test short; the default is 30.
      config: (provider) => ({
        auth: {
          providers: { bank: { issuer: provider.issuer, audience: provider.audience, jwksCache: { cooldownSeconds: 1 } } },
        },
      }),
    });
  });
  after(async () => {
    await gateway?.close();
  });

  test('tokens of the old and the new key are both accepted, no request fails, and the JWKS is fetched once more', async () => {
    const oldToken = await gateway.provider.clientCredentialsToken({ scope: 'orders:read' });
    const oldKid = decodeProtectedHeader(oldToken).kid;
    const failures: string[] = [];
    let answered = 0;
    let flowing = true;
    const flow = (async () => {
      while (flowing) {
        const { status, body } = await gateway.query('{ orders(userId: "1") { id } }', oldToken);
        if (status !== 200 || body.errors !== undefined) failures.push(`${status} ${JSON.stringify(body.errors)}`);
        answered += 1;
      }
    })();
    try {
      // Past the cooldown of the first fetch, so the new kid may trigger a refetch.
      while (answered < 20 || gateway.provider.requestCount('/jwks') === 0) await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const fetchesBefore = gateway.provider.requestCount('/jwks');
      const newKid = await gateway.provider.addSigningKey('ES256');
      const newToken = await gateway.provider.clientCredentialsToken({ scope: 'orders:read' });
      assert.equal(decodeProtectedHeader(newToken).kid, newKid);
      assert.notEqual(newKid, oldKid);
      const answers = await Promise.all(Array.from({ length: 10 }, () => gateway.query('{ orders(userId: "1") { id } }', newToken)));
      for (const { status, body } of answers) {
        assert.equal(status, 200, JSON.stringify(body.errors));
        assert.deepEqual(body.data, { orders: [] });
      }
      assert.equal(gateway.provider.requestCount('/jwks') - fetchesBefore, 1, 'ten concurrent requests with the new kid cost one JWKS fetch');
      const settled = answered;
      while (answered < settled + 10) await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      flowing = false;
      await flow;
    }
    assert.deepEqual(failures, [], 'every request with the old token succeeded throughout');
  });
});

describe('one provider from the environment alone (OPENCLAW_JWT_*)', () => {
  let provider: TestOidcProvider;
  let subgraphs: DemoSubgraphs;
  let dataDir: string;
  let gateway: RunningGateway;

  before(async () => {
    provider = await startOidcProvider({ signingAlg: 'ES256' });
    subgraphs = await startDemoSubgraphs();
    dataDir = await mkdtemp(join(tmpdir(), 'openclaw-jwt-env-'));
    const sources = Object.fromEntries((['accounts', 'reviews', 'products', 'inventory', 'orders'] as const).map((name) => [name, { url: subgraphs[name].url }]));
    // No auth section at all: the issuer and audience come from the environment, the keys
    // through the issuer's discovery document, the algorithms from the variable.
    gateway = await startGateway(resolveConfig(
      { schema: 'schema', server: { port: 0 }, logging: { level: 'silent' }, store: { dataDir }, sources },
      { rootDir: REPO_ROOT, env: { OPENCLAW_JWT_ISSUER: provider.issuer, OPENCLAW_JWT_AUDIENCE: `urn:other,${provider.audience}`, OPENCLAW_JWT_ALGORITHMS: 'ES256' } },
    ));
  });
  after(async () => {
    await gateway?.close();
    await subgraphs?.close();
    await provider?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('the provider\'s tokens are accepted, found through discovery; another algorithm is refused', async () => {
    const token = await provider.clientCredentialsToken({ scope: 'orders:read' });
    const { status, body } = await postGraphQL(gateway.url, { query: '{ orders(userId: "1") { id } }' }, { authorization: `Bearer ${token}` });
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body.data, { orders: [] });
    assert.ok(provider.requestCount('/.well-known/openid-configuration') >= 1, 'the JWKS URL came from discovery');
    await provider.addSigningKey('RS256');
    const rs256 = await provider.clientCredentialsToken({ scope: 'orders:read' });
    const refused = await postGraphQL(gateway.url, { query: '{ orders(userId: "1") { id } }' }, { authorization: `Bearer ${rs256}` });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.errors?.[0]?.extensions?.reason, 'algorithm_not_allowed');
  });
});
