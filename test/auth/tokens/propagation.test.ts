// What each backend receives about the caller, per source: nothing, the caller's token, chosen
// claims as headers, or a token signed by the gateway that backends verify against the JWKS the
// gateway publishes. API keys are never forwarded, and sensitive claims never leave.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPairSync } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import {
  createInternalTokenIssuer,
  createTokenService,
  headerValue,
  upstreamIdentityHeaders,
} from '../../../gateway/src/auth/tokens/index.js';
import type { Principal } from '../../../gateway/src/auth/principal.js';
import { ANONYMOUS } from '../../../gateway/src/auth/principal.js';
import { isGatewayError } from '../../../gateway/src/errors/index.js';
import { authConfig } from './helpers.js';

const NOW = 1_900_000_000_000;
const RAW_TOKEN = 'eyJ.user-token.sig';

const user: Principal = Object.freeze({
  kind: 'jwt',
  subject: 'alice',
  scopes: new Set(['orders:read', 'orders:write']),
  claims: Object.freeze({
    iss: 'https://idp.example',
    sub: 'alice',
    aud: 'https://api.example',
    exp: NOW / 1000 + 600,
    jti: 'user-token-1',
    email: 'alice@example.com',
    amr: ['pwd', 'mfa'],
    tenant: 'acme',
    sid: 'session-secret',
    cnf: { jkt: 'thumb' },
    name: 'Zoë\r\nx-admin: true',
  }),
  expiresAt: NOW / 1000 + 600,
});

const partnerKey: Principal = Object.freeze({
  kind: 'apiKey',
  subject: 'partner-42',
  scopes: new Set(['orders:write']),
  claims: Object.freeze({}),
  keyId: 'key_abc',
});

const config = authConfig({
  propagation: {
    orders: { mode: 'forward' },
    accounts: { mode: 'claims', headers: { 'X-User-Id': 'sub', 'x-scopes': 'scope', 'x-tenant': 'tenant', 'x-amr': 'amr', 'x-name': 'name', 'x-kind': 'kind' } },
    inventory: { mode: 'jwt', claims: ['scope', 'tenant', 'amr', 'sid', 'cnf', 'iss'], audience: 'urn:inventory' },
    reviews: { mode: 'claims' },
    '*': { mode: 'none' },
  },
});

test('forward: the caller\'s own bearer token, and only a bearer token', async () => {
  const service = await createTokenService(config);
  assert.deepEqual(service.upstreamHeaders(user, RAW_TOKEN, 'orders', NOW), { authorization: `Bearer ${RAW_TOKEN}` });
  assert.deepEqual(service.upstreamHeaders({ ...user, kind: 'opaque' }, 'opaque-token', 'orders', NOW), { authorization: 'Bearer opaque-token' });
  // An API key is the partner's secret with the gateway: never passed on, whatever is asked.
  assert.deepEqual(service.upstreamHeaders(partnerKey, 'the-api-key', 'orders', NOW), {});
  assert.deepEqual(service.upstreamHeaders(ANONYMOUS, undefined, 'orders', NOW), {});
});

test('claims: the configured claims as lower-case headers, values made safe', async () => {
  const service = await createTokenService(config);
  assert.deepEqual(service.upstreamHeaders(user, RAW_TOKEN, 'accounts', NOW), {
    'x-user-id': 'alice',
    'x-scopes': 'orders:read orders:write',
    'x-tenant': 'acme',
    'x-amr': 'pwd,mfa',
    // A line break cannot smuggle a header: non-printable values are sent percent-encoded.
    'x-name': 'Zo%C3%AB%0D%0Ax-admin%3A%20true',
    'x-kind': 'jwt',
  });
  // The default mapping: x-user-id and x-scopes. An API key's subject and scopes, never the key.
  assert.deepEqual(service.upstreamHeaders(partnerKey, 'the-api-key', 'reviews', NOW), { 'x-user-id': 'partner-42', 'x-scopes': 'orders:write' });
  assert.deepEqual(service.upstreamHeaders(ANONYMOUS, undefined, 'reviews', NOW), {});
  assert.equal(headerValue({ a: 1 }), '{"a":1}');
  assert.equal(headerValue(undefined), undefined);
});

test('none, and sources the config does not name (the "*" entry, else none)', async () => {
  const service = await createTokenService(config);
  assert.deepEqual(service.upstreamHeaders(user, RAW_TOKEN, 'somewhere-else', NOW), {});
  const bare = await createTokenService(authConfig({}));
  assert.deepEqual(bare.upstreamHeaders(user, RAW_TOKEN, 'orders', NOW), {});
});

test('jwt: a short-lived token signed by the gateway, with only the listed, non-sensitive claims', async () => {
  const service = await createTokenService(config);
  const headers = service.upstreamHeaders(user, RAW_TOKEN, 'inventory', NOW);
  const token = headers.authorization?.replace(/^Bearer /, '') ?? '';
  assert.notEqual(token, RAW_TOKEN);
  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(service.jwks()), {
    issuer: 'openclaw-gateway',
    audience: 'urn:inventory',
    currentDate: new Date(NOW),
    algorithms: ['ES256'],
  });
  assert.equal(protectedHeader.kid, service.jwks().keys[0]?.kid);
  const { jti, ...rest } = payload;
  assert.equal(typeof jti, 'string');
  assert.notEqual(jti, 'user-token-1');
  assert.deepEqual(rest, {
    iss: 'openclaw-gateway',
    aud: 'urn:inventory',
    sub: 'alice',
    iat: NOW / 1000,
    exp: NOW / 1000 + 60,
    scope: 'orders:read orders:write',
    tenant: 'acme',
    amr: ['pwd', 'mfa'],
  });
  // No email (not listed), no sid/cnf (stripped even when listed), the caller's iss replaced.
  assert.equal(JSON.stringify(payload).includes('alice@example.com'), false);
  assert.equal(JSON.stringify(payload).includes('session-secret'), false);

  // The same caller, source and claims within half the lifetime: the same token, signed once.
  assert.equal(service.upstreamHeaders(user, RAW_TOKEN, 'inventory', NOW + 29_000).authorization, headers.authorization);
  assert.notEqual(service.upstreamHeaders(user, RAW_TOKEN, 'inventory', NOW + 31_000).authorization, headers.authorization);
  // An API key's principal gets a gateway token too (its subject, its scopes), never the key.
  const forKey = service.upstreamHeaders(partnerKey, 'the-api-key', 'inventory', NOW).authorization ?? '';
  assert.equal(forKey.includes('the-api-key'), false);
  assert.equal((await jwtVerify(forKey.slice(7), createLocalJWKSet(service.jwks()), { currentDate: new Date(NOW) })).payload.sub, 'partner-42');
});

test('a backend verifies the gateway\'s token against the JWKS published over HTTP', async () => {
  const service = await createTokenService(config);
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/.well-known/jwks.json' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(service.jwks()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const jwks = createRemoteJWKSet(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`));
    const token = service.upstreamHeaders(user, RAW_TOKEN, 'inventory', Date.now()).authorization?.slice(7) ?? '';
    const { payload } = await jwtVerify(token, jwks, { issuer: 'openclaw-gateway', audience: 'urn:inventory' });
    assert.equal(payload.sub, 'alice');
    // Only the public key is published.
    const [key] = service.jwks().keys;
    assert.equal(key?.d, undefined);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});

test('the gateway token never outlives the caller\'s credential; a configured key is used and checked', async () => {
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const issuer = createInternalTokenIssuer({ issuer: 'gw', algorithm: 'EdDSA', privateKey: pem, ttlSeconds: 300 });
  const shortLived: Principal = { ...user, expiresAt: NOW / 1000 + 20 };
  const headers = upstreamIdentityHeaders(shortLived, RAW_TOKEN, { mode: 'jwt', claims: [] }, { source: 'inventory', issuer, now: NOW });
  const token = headers.authorization?.slice(7) ?? '';
  assert.equal(decodeProtectedHeader(token).alg, 'EdDSA');
  const { payload } = await jwtVerify(token, createLocalJWKSet(issuer.jwks()), { currentDate: new Date(NOW), audience: 'inventory' });
  assert.equal(payload.exp, NOW / 1000 + 20);

  // Two instances given the same key publish the same kid.
  assert.equal(createInternalTokenIssuer({ issuer: 'gw', algorithm: 'EdDSA', privateKey: pem, ttlSeconds: 60 }).kid, issuer.kid);
  assert.throws(
    () => createInternalTokenIssuer({ issuer: 'gw', algorithm: 'ES256', privateKey: pem, ttlSeconds: 60 }),
    (error: unknown) => isGatewayError(error) && error.code === 'CONFIG_INVALID' && /must be an EC P-256 key/.test(error.message),
  );
  assert.throws(
    () => createInternalTokenIssuer({ issuer: 'gw', algorithm: 'ES256', privateKey: 'not a key', ttlSeconds: 60 }),
    (error: unknown) => isGatewayError(error) && error.code === 'CONFIG_INVALID' && !error.message.includes('not a key'),
  );
});
