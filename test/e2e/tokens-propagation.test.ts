/**
 * What each backend learns about the caller (auth.propagation), end to end: the demo's five
 * backends record the identity headers of every call they receive (gRPC: metadata), and each
 * receives exactly what its source's policy says: the caller's own token (orders), chosen
 * claims as headers (accounts), a short-lived token signed by the gateway with only the claims
 * listed, verifiable with the gateway's /.well-known/jwks.json (inventory over gRPC, reviews),
 * or nothing (products). An API key is never forwarded, and a client's own identity headers
 * never pass through.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import type { CallRecord } from '../../subgraphs/index.js';
import { authFor, startTokenGateway, type TokenGateway } from '../support/token-gateway.js';

/** Every header any policy could send, and the credentials none may pass on. */
const RECORDED = ['authorization', 'x-api-key', 'x-user-id', 'x-scopes', 'x-amr', 'x-email', 'cookie'];
/** One query that reaches all five backends. */
const EVERYWHERE = '{ user(id: "2") { name reviews { body product { name price inStock } } orders { id } } }';
const SOURCES = ['accounts', 'reviews', 'products', 'inventory', 'orders'] as const;
type Source = (typeof SOURCES)[number];

describe('propagation of the caller\'s identity to each backend', () => {
  let gateway: TokenGateway;
  let jwks: ReturnType<typeof createRemoteJWKSet>;

  before(async () => {
    gateway = await startTokenGateway({
      start: { recordHeaders: RECORDED },
      config: (provider) => ({
        auth: {
          ...authFor(provider),
          propagation: {
            orders: { mode: 'forward' },
            accounts: { mode: 'claims', headers: { 'x-user-id': 'sub', 'x-scopes': 'scope', 'x-amr': 'amr' } },
            inventory: { mode: 'jwt', claims: ['scope', 'amr'], audience: 'urn:inventory' },
            reviews: { mode: 'jwt' },
            // products: not listed, no "*": nothing.
          },
        },
      }),
    });
    jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', gateway.origin));
  });
  after(async () => {
    await gateway?.close();
  });

  /** The headers each backend recorded, per call, after resetting and running `send` (which reaches all five). */
  async function received(send: () => Promise<unknown>): Promise<Record<Source, Array<Record<string, string>>>> {
    gateway.demo.resetCalls();
    await send();
    const out = {} as Record<Source, Array<Record<string, string>>>;
    for (const source of SOURCES) {
      const calls: CallRecord[] = gateway.demo.subgraphs[source].calls;
      assert.ok(calls.length > 0, `${source} was called`);
      out[source] = calls.map((call) => call.headers ?? {});
    }
    return out;
  }

  /** The one distinct set of headers a backend received on every call. */
  function only(calls: Array<Record<string, string>>): Record<string, string> {
    const distinct = [...new Set(calls.map((headers) => JSON.stringify(headers)))];
    assert.equal(distinct.length, 1, `every call carried the same identity: ${distinct.join(' | ')}`);
    return JSON.parse(distinct[0] ?? '{}') as Record<string, string>;
  }

  /** Verifies a gateway-signed token with the gateway's published JWKS; returns its claims. */
  async function gatewayToken(headers: Record<string, string>, audience: string): Promise<Record<string, unknown>> {
    assert.deepEqual(Object.keys(headers), ['authorization'], 'a jwt-mode backend gets the token and nothing else');
    const token = (headers.authorization ?? '').replace(/^Bearer /, '');
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: 'openclaw-gateway', audience });
    assert.equal(protectedHeader.alg, 'ES256');
    assert.ok(Number(payload.exp) - Number(payload.iat) <= 60, 'short-lived: 60 s by default');
    assert.equal(typeof payload.jti, 'string');
    const { iss: _iss, aud: _aud, iat: _iat, exp: _exp, jti: _jti, ...rest } = payload;
    return rest;
  }

  test('a user\'s token: each backend receives exactly what its policy says', async () => {
    const token = await gateway.userToken({ sub: '2', claims: { amr: ['pwd', 'mfa'], email: 'dotan@example.com' } }, 'offline_access orders:read');
    assert.equal(decodeJwt(token).email, 'dotan@example.com', 'the caller\'s token carries a claim no backend is configured to get');
    const headers = await received(async () => {
      const { body } = await gateway.query(EVERYWHERE, token);
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    });
    assert.deepEqual(only(headers.orders), { authorization: `Bearer ${token}` }, 'orders: the caller\'s own token');
    assert.deepEqual(only(headers.accounts), { 'x-user-id': '2', 'x-scopes': 'orders:read', 'x-amr': 'pwd,mfa' }, 'accounts: the claims as headers');
    assert.deepEqual(only(headers.products), {}, 'products: nothing');
    assert.deepEqual(await gatewayToken(only(headers.inventory), 'urn:inventory'), { sub: '2', scope: 'orders:read', amr: ['pwd', 'mfa'] }, 'inventory: only the listed claims');
    assert.deepEqual(await gatewayToken(only(headers.reviews), 'reviews'), { sub: '2', scope: 'orders:read' }, 'reviews: the default claims, the source\'s name as audience');
    assert.notEqual(decodeProtectedHeader(only(headers.reviews).authorization?.slice(7) ?? '').kid, decodeProtectedHeader(token).kid, 'signed by the gateway, not the provider');
  });

  test('a client\'s own identity headers and its API key never pass through', async () => {
    const token = await gateway.userToken({ sub: '2', claims: { amr: ['pwd'] } }, 'offline_access orders:read');
    const { key } = await gateway.demo.createKey({ name: 'partner', scopes: ['orders:read'] });
    const spoofed = { 'x-user-id': '1', 'x-scopes': 'orders:write admin', 'x-amr': 'mfa', 'x-email': 'root@example.com', cookie: 'session=stolen', 'x-api-key': key };
    const headers = await received(() => gateway.query(EVERYWHERE, token, spoofed));
    assert.deepEqual(only(headers.orders), { authorization: `Bearer ${token}` });
    assert.deepEqual(only(headers.accounts), { 'x-user-id': '2', 'x-scopes': 'orders:read', 'x-amr': 'pwd' });
    assert.deepEqual(only(headers.products), {});
    assert.deepEqual(await gatewayToken(only(headers.inventory), 'urn:inventory'), { sub: '2', scope: 'orders:read', amr: ['pwd'] });
    for (const source of SOURCES) {
      for (const call of headers[source]) assert.equal(call['x-api-key'], undefined, `${source} never sees the API key`);
    }
  });

  test('an API key alone: forward sends nothing, claims and jwt carry the key\'s id and scopes, never the key', async () => {
    const { id, key } = await gateway.demo.createKey({ name: 'partner', scopes: ['orders:read'] });
    const headers = await received(async () => {
      const { body } = await gateway.query(EVERYWHERE, undefined, { 'x-api-key': key, 'x-user-id': '1' });
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    });
    assert.deepEqual(only(headers.orders), {}, 'orders: no bearer token to forward, and never the key');
    assert.deepEqual(only(headers.accounts), { 'x-user-id': id, 'x-scopes': 'orders:read' });
    assert.deepEqual(only(headers.products), {});
    assert.deepEqual(await gatewayToken(only(headers.inventory), 'urn:inventory'), { sub: id, scope: 'orders:read' });
    assert.deepEqual(await gatewayToken(only(headers.reviews), 'reviews'), { sub: id, scope: 'orders:read' });
  });

  test('an anonymous caller: no backend hears of any identity, whatever the client sends', async () => {
    gateway.demo.resetCalls();
    const { body } = await gateway.query('{ user(id: "2") { name reviews { body product { name price inStock } } } }', undefined, {
      'x-user-id': '1',
      'x-scopes': 'orders:write',
      authorization: 'Basic YWRtaW46YWRtaW4=',
      cookie: 'session=abc',
    });
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    for (const source of ['accounts', 'reviews', 'products', 'inventory'] as const) {
      const calls = gateway.demo.subgraphs[source].calls;
      assert.ok(calls.length > 0, `${source} was called`);
      for (const call of calls) assert.deepEqual(call.headers, {}, source);
    }
  });

  test('the gateway publishes only public keys at /.well-known/jwks.json', async () => {
    const response = await fetch(new URL('/.well-known/jwks.json', gateway.origin));
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/jwk-set\+json/);
    const { keys } = (await response.json()) as { keys: Array<Record<string, unknown>> };
    assert.equal(keys.length, 1);
    assert.deepEqual(Object.keys(keys[0] ?? {}).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
  });
});
