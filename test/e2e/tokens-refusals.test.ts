/**
 * Refusals of bearer tokens through HTTP: a bad, expired or unverifiable token refuses the
 * whole request with 401 and `WWW-Authenticate: Bearer error="invalid_token"` (RFC 6750 §3.1),
 * a few RFC 8725 attack tokens as a smoke test (test/auth/tokens/jwt-verifier.attacks.test.ts
 * has the whole table), reject mode, and how a key and a token compose on one request.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPublicKey, createHmac, type JsonWebKey } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { startDemoGateway, type DemoGateway, type JsonResponse } from '../support/demo-gateway.js';
import { startTokenGateway, type TokenGateway } from '../support/token-gateway.js';

const READ_ORDERS = '{ orders(userId: "1") { id } }';
const PLACE_ORDER = 'mutation { placeOrder(input: { userId: "1", upc: "2", quantity: 1 }) { status } }';
/** The issuer and audience of the tokens a batch job signs with its own key pair (a provider with static keys). */
const BATCH = { issuer: 'urn:batch-runner', audience: 'urn:openclaw' };

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
const seconds = (): number => Math.floor(Date.now() / 1000);

/** Asserts a 401 whose challenge is `invalid_token` and whose reason is `reason`. */
function assertInvalidToken(response: JsonResponse, reason: string): void {
  assert.equal(response.status, 401, JSON.stringify(response.body));
  assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer realm="openclaw", error="invalid_token", error_description="[^"]+"$/);
  assert.equal(response.body.data, undefined, 'a refused request has no data');
  assert.equal(response.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  assert.equal(response.body.errors?.[0]?.extensions?.reason, reason, response.body.errors?.[0]?.message);
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('bad, expired and unverifiable tokens', () => {
  let gateway: TokenGateway;
  let batchKey: { privateKey: CryptoKey; publicJwk: JWK };
  /** An attacker's server a token's `jku` points at: it must never be asked. */
  let attacker: Server;
  let attackerHits = 0;
  let attackerUrl: string;

  before(async () => {
    const pair = await generateKeyPair('ES256', { extractable: true });
    batchKey = { privateKey: pair.privateKey, publicJwk: { ...(await exportJWK(pair.publicKey)), kid: 'batch-1', alg: 'ES256' } };
    attacker = createServer((_req, res) => {
      attackerHits += 1;
      res.end('{"keys":[]}');
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/jwks.json`;
    const offlinePort = await closedPort();
    gateway = await startTokenGateway({
      config: (provider) => ({
        auth: {
          providers: {
            bank: { issuer: provider.issuer, audience: provider.audience },
            batch: { ...BATCH, keys: [{ ...batchKey.publicJwk, kty: 'EC' }] },
            // A provider whose keys cannot be fetched: its tokens cannot be verified.
            offline: { issuer: 'urn:offline', audience: 'urn:openclaw', jwksUrl: `http://127.0.0.1:${offlinePort}/jwks`, timeoutMs: 500 },
          },
        },
      }),
    });
  });
  after(async () => {
    await gateway?.close();
    await new Promise((resolve) => attacker?.close(resolve));
  });

  const batchToken = (claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> =>
    new SignJWT({ iss: BATCH.issuer, aud: BATCH.audience, sub: 'nightly-export', scope: 'orders:read', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'batch-1', ...header })
      .sign(batchKey.privateKey);

  test('a valid token of the static-key provider is accepted (the baseline for the refusals below)', async () => {
    const { status, body } = await gateway.query(READ_ORDERS, await batchToken({ exp: seconds() + 300 }));
    assert.equal(status, 200);
    assert.deepEqual(body.data, { orders: [] }, JSON.stringify(body.errors));
  });

  test('bad tokens: not a token, not a JWT, a changed payload, another audience', async () => {
    assertInvalidToken(await gateway.query(READ_ORDERS, 'not-a-token'), 'malformed');
    assertInvalidToken(await gateway.query(READ_ORDERS, 'a.b.c'), 'malformed');
    const token = await batchToken({ exp: seconds() + 300 });
    const [header, , signature] = token.split('.');
    const forged = `${header}.${b64({ iss: BATCH.issuer, aud: BATCH.audience, sub: 'nightly-export', scope: 'orders:read orders:write', exp: seconds() + 300 })}.${signature}`;
    assertInvalidToken(await gateway.query(READ_ORDERS, forged), 'bad_signature');
    assertInvalidToken(await gateway.query(READ_ORDERS, await batchToken({ exp: seconds() + 300, aud: 'urn:someone-else' })), 'wrong_audience');
  });

  test('expired and not-yet-valid tokens (beyond the 30 s tolerance)', async () => {
    const expired = await gateway.query(READ_ORDERS, await batchToken({ exp: seconds() - 60 }));
    assertInvalidToken(expired, 'expired');
    assert.match(expired.headers.get('www-authenticate') ?? '', /error_description="The bearer token has expired."/);
    assertInvalidToken(await gateway.query(READ_ORDERS, await batchToken({ exp: seconds() + 600, nbf: seconds() + 300 })), 'not_yet_valid');
  });

  test('unverifiable tokens: a kid the provider does not have, keys that cannot be fetched, an unknown issuer', async () => {
    const stranger = await generateKeyPair('RS256');
    const unknownKid = await new SignJWT({ sub: 'mallory', scope: 'orders:read' })
      .setProtectedHeader({ alg: 'RS256', kid: 'not-a-published-kid' })
      .setIssuer(gateway.provider.issuer)
      .setAudience(gateway.provider.audience)
      .setExpirationTime('5m')
      .sign(stranger.privateKey);
    assertInvalidToken(await gateway.query(READ_ORDERS, unknownKid), 'unknown_key');
    const offline = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer('urn:offline').setAudience('urn:openclaw').setExpirationTime('5m').sign(stranger.privateKey);
    assertInvalidToken(await gateway.query(READ_ORDERS, offline), 'keys_unavailable');
    const foreign = await new SignJWT({ sub: 'x' }).setProtectedHeader({ alg: 'RS256' }).setIssuer('https://evil.example').setAudience('urn:openclaw').setExpirationTime('5m').sign(stranger.privateKey);
    assertInvalidToken(await gateway.query(READ_ORDERS, foreign), 'unknown_issuer');
  });

  test('RFC 8725 attack tokens are refused through HTTP (smoke test)', async () => {
    const { provider } = gateway;
    const claims = { iss: provider.issuer, aud: provider.audience, sub: 'mallory', scope: 'orders:read orders:write', exp: seconds() + 300 };
    // alg "none": no signature at all.
    assertInvalidToken(await gateway.query(READ_ORDERS, `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`), 'algorithm_not_allowed');
    // RS/HS confusion: HS256 "signed" with the provider's public RSA key as the HMAC secret.
    const jwks = (await (await fetch(provider.jwksUrl)).json()) as { keys: JWK[] };
    const rsa = jwks.keys.find((key) => key.kty === 'RSA');
    assert.ok(rsa);
    const pem = createPublicKey({ key: rsa as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const input = `${b64({ alg: 'HS256', typ: 'JWT', kid: rsa.kid })}.${b64(claims)}`;
    assertInvalidToken(await gateway.query(READ_ORDERS, `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`), 'algorithm_not_allowed');
    // An extension the gateway does not understand, marked critical.
    assertInvalidToken(await gateway.query(READ_ORDERS, `${b64({ alg: 'RS256', kid: rsa.kid, crit: ['x-bind'], 'x-bind': 1 })}.${b64(claims)}.c2ln`), 'critical_header');
    // jku pointing at the attacker's key set, signed with the attacker's key: never fetched.
    const mallory = await generateKeyPair('RS256');
    const withJku = await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'mallory-1', jku: attackerUrl }).sign(mallory.privateKey);
    assertInvalidToken(await gateway.query(READ_ORDERS, withJku), 'unknown_key');
    // The attacker's public key embedded in the header (jwk): never used.
    const embedded = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: rsa.kid, jwk: await exportJWK(mallory.publicKey) })
      .sign(mallory.privateKey);
    assertInvalidToken(await gateway.query(READ_ORDERS, embedded), 'bad_signature');
    // Larger than auth.maxTokenBytes (8192): refused before any parsing.
    assertInvalidToken(await gateway.query(READ_ORDERS, `${b64({ alg: 'RS256' })}.${'A'.repeat(9000)}.sig`), 'too_large');
    assert.equal(attackerHits, 0, 'the jku URL was never fetched');
  });

  test('a bad token refuses the request even beside a valid API key', async () => {
    const { key } = await gateway.demo.createKey({ name: 'partner', scopes: ['orders:read'] });
    assertInvalidToken(await gateway.query(READ_ORDERS, 'not-a-token', { 'x-api-key': key }), 'malformed');
    const { status, body } = await gateway.query(READ_ORDERS, undefined, { 'x-api-key': key });
    assert.equal(status, 200);
    assert.deepEqual(body.data, { orders: [] });
  });
});

describe('a key and a token on one request', () => {
  let gateway: TokenGateway;

  before(async () => {
    gateway = await startTokenGateway();
  });
  after(async () => {
    await gateway?.close();
  });

  test('placeOrder accepts either credential: a key with orders:write lets a token without MFA through', async () => {
    const token = await gateway.userToken({ sub: '1', claims: { amr: ['pwd'] } }, 'offline_access orders:read orders:write');
    const alone = await gateway.query(PLACE_ORDER, token);
    assert.equal(alone.body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const { key } = await gateway.demo.createKey({ name: 'partner', scopes: ['orders:write'] });
    const both = await gateway.query(PLACE_ORDER, token, { 'x-api-key': key });
    assert.equal(both.body.errors, undefined, JSON.stringify(both.body.errors));
    assert.deepEqual(both.body.data, { placeOrder: { status: 'PLACED' } });
  });
});

describe('reject mode', () => {
  let gateway: TokenGateway;

  before(async () => {
    gateway = await startTokenGateway({ config: () => ({ authorization: { mode: 'reject' } }) });
  });
  after(async () => {
    await gateway?.close();
  });

  test('a refused field refuses the whole operation (403); no backend is called', async () => {
    const token = await gateway.userToken({ sub: '1', claims: { amr: ['pwd'] } }, 'offline_access orders:read');
    gateway.demo.resetCalls();
    const { status, body } = await gateway.query(`mutation { placeOrder(input: { userId: "1", upc: "2", quantity: 1 }) { status } }`, token);
    assert.equal(status, 403);
    assert.equal(body.data, undefined);
    assert.equal(body.errors?.length, 1);
    assert.equal(body.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    assert.match(body.errors?.[0]?.message ?? '', /Mutation\.placeOrder/);
    const mixed = await gateway.query('{ product(upc: "1") { name } user(id: "1") { orders { id } } }', undefined);
    assert.equal(mixed.status, 401, 'public fields beside a refused one are refused too');
    assert.equal(mixed.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    // A 401 says how to authenticate (RFC 9110 §15.5.2): User.orders takes a token or a key.
    assert.equal(mixed.headers.get('www-authenticate'), 'Bearer realm="openclaw", ApiKey realm="openclaw-gateway", header="x-api-key"');
    for (const name of ['accounts', 'reviews', 'products', 'inventory', 'orders'] as const) assert.deepEqual(gateway.demo.subgraphs[name].calls, [], name);
  });

  test('an operation the token may run entirely still runs', async () => {
    const token = await gateway.userToken({ sub: '1', claims: { amr: ['pwd'] } }, 'offline_access orders:read');
    const { status, body } = await gateway.query('{ product(upc: "1") { name } user(id: "1") { orders { id } } }', token);
    assert.equal(status, 200);
    assert.deepEqual(body.data, { product: { name: 'Table' }, user: { orders: [] } });
  });
});

describe('without a token provider', () => {
  let demo: DemoGateway;

  before(async () => {
    demo = await startDemoGateway();
  });
  after(async () => {
    await demo?.close();
  });

  test('a bearer token is none of the gateway\'s business: public data answers, protected fields need a credential', async () => {
    const { status, body } = await demo.query('{ product(upc: "1") { name } user(id: "1") { orders { id } } }', undefined, { authorization: 'Bearer whatever.it.is' });
    assert.equal(status, 200);
    assert.deepEqual(body.data, { product: { name: 'Table' }, user: { orders: null } });
    assert.equal(body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });
});
