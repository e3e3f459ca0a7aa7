// JWT verification against tokens from a real OpenID provider (oidc-provider on loopback): keys
// found through discovery, scopes and claims in the principal, audience lists, clock tolerance,
// typ, several providers routed by iss, and the verified-token cache.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { createTokenService } from '../../../gateway/src/auth/tokens/index.js';
import { startOidcProvider, type TestOidcProvider } from '../../support/oidc.js';
import { assertRefused, authConfig, signToken, signingKey, testClock } from './helpers.js';

let rsa: TestOidcProvider;
let ec: TestOidcProvider;

before(async () => {
  rsa = await startOidcProvider({ signingAlg: 'RS256' });
  ec = await startOidcProvider({ signingAlg: 'ES256', audience: 'https://orders.openclaw.test' });
});
after(async () => {
  await rsa.close();
  await ec.close();
});

test('a client-credentials token from the provider verifies through discovery, RS256 and ES256', async () => {
  const service = await createTokenService(
    authConfig({
      providers: {
        main: { issuer: rsa.issuer, audience: rsa.audience },
        orders: { issuer: ec.issuer, audience: ['https://other.example', ec.audience] },
      },
    }),
  );
  const fromRsa = await service.verifyBearer(await rsa.clientCredentialsToken({ scope: 'orders:read orders:write' }));
  assert.equal(fromRsa.kind, 'jwt');
  assert.equal(fromRsa.subject, rsa.serviceClient.id);
  assert.deepEqual([...fromRsa.scopes].sort(), ['orders:read', 'orders:write']);
  assert.equal(fromRsa.claims.iss, rsa.issuer);
  assert.equal(typeof fromRsa.expiresAt, 'number');

  // The second provider is picked by iss; its audience list names the token's aud among others.
  const fromEc = await service.verifyBearer(await ec.clientCredentialsToken());
  assert.equal(fromEc.claims.iss, ec.issuer);
  assert.deepEqual([...fromEc.scopes], ['orders:read']);
  assert.equal(rsa.requestCount('/.well-known/openid-configuration'), 1);
  assert.equal(rsa.requestCount('/jwks'), 1);

  // Warm keys: the next tokens cost no further call to the provider.
  await service.verifyBearer(await rsa.clientCredentialsToken());
  assert.equal(rsa.requestCount('/jwks'), 1);
  await service.close();
});

test('a user token from the refresh grant carries the user, scopes and MFA claims', async () => {
  const service = await createTokenService(authConfig({ providers: { main: { issuer: rsa.issuer, audience: rsa.audience, typ: 'at+jwt' } } }));
  const refreshToken = await rsa.userRefreshToken({ sub: 'alice', claims: { amr: ['pwd', 'mfa'], acr: 'urn:openclaw:mfa' } }, 'offline_access orders:read');
  const answer = await rsa.refresh(refreshToken);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const principal = await service.verifyBearer(String(answer.body.access_token));
  assert.equal(principal.subject, 'alice');
  assert.deepEqual([...principal.scopes], ['orders:read']);
  assert.deepEqual(principal.claims.amr, ['pwd', 'mfa']);
  assert.equal(principal.claims.acr, 'urn:openclaw:mfa');
  await service.close();
});

test('a token for another audience, from another issuer, or of another typ is refused', async () => {
  const token = await rsa.clientCredentialsToken();
  const wrongAudience = await createTokenService(authConfig({ providers: { main: { issuer: rsa.issuer, audience: 'https://elsewhere.example' } } }));
  await assertRefused(wrongAudience.verifyBearer(token), 'wrong_audience');

  const otherIssuer = await createTokenService(authConfig({ providers: { main: { issuer: ec.issuer, audience: ec.audience } } }));
  await assertRefused(otherIssuer.verifyBearer(token), 'unknown_issuer');

  const wrongTyp = await createTokenService(authConfig({ providers: { main: { issuer: rsa.issuer, audience: rsa.audience, typ: 'id+jwt' } } }));
  await assertRefused(wrongTyp.verifyBearer(token), 'wrong_type');

  const none = await createTokenService(authConfig({}));
  assert.equal(none.enabled, false);
  await assertRefused(none.verifyBearer(token), 'unknown_issuer');
});

test('exp and nbf are checked against the injected clock with the configured tolerance', async () => {
  const key = await signingKey('ES256');
  const clock = testClock(1_800_000_000_000);
  const nowSeconds = clock.now / 1000;
  const service = await createTokenService(
    authConfig({ providers: { local: { issuer: 'https://local.example', audience: 'api', keys: [key.publicJwk], clockToleranceSeconds: 10 } } }),
    { clock },
  );
  const token = await signToken(key, { iss: 'https://local.example', aud: 'api', sub: 'u1', exp: nowSeconds + 60, nbf: nowSeconds + 5 });
  // nbf 5 s ahead is within the 10 s tolerance.
  assert.equal((await service.verifyBearer(token)).subject, 'u1');
  // 65 s later: 5 s past exp, still within tolerance; 75 s later: refused.
  clock.advance(65_000);
  assert.equal((await service.verifyBearer(token)).subject, 'u1');
  clock.advance(10_000);
  await assertRefused(service.verifyBearer(token), 'expired');

  clock.now = 1_800_000_000_000;
  const early = await signToken(key, { iss: 'https://local.example', aud: 'api', sub: 'u1', nbf: nowSeconds + 30 }, {}, clock.now);
  await assertRefused(service.verifyBearer(early), 'not_yet_valid');
  clock.advance(25_000);
  assert.equal((await service.verifyBearer(early)).subject, 'u1');

  const forever = await signToken(key, { iss: 'https://local.example', aud: 'api', sub: 'u1', exp: undefined });
  await assertRefused(service.verifyBearer(forever), 'claim_invalid');
});

test('scopes come from scope, else scp, else the configured claim (Entra ID roles)', async () => {
  const key = await signingKey('RS256');
  const config = (scopeClaim?: string) =>
    authConfig({ providers: { local: { issuer: 'https://local.example', audience: 'api', keys: [key.publicJwk], ...(scopeClaim ? { scopeClaim } : {}) } } });
  const base = { iss: 'https://local.example', aud: 'api', sub: 'u1' };
  const plain = await createTokenService(config());
  assert.deepEqual([...(await plain.verifyBearer(await signToken(key, { ...base, scope: 'a  b' }))).scopes], ['a', 'b']);
  assert.deepEqual([...(await plain.verifyBearer(await signToken(key, { ...base, scp: ['c', 'd'] }))).scopes], ['c', 'd']);
  assert.deepEqual([...(await plain.verifyBearer(await signToken(key, { ...base, scp: 'e f' }))).scopes], ['e', 'f']);
  assert.deepEqual([...(await plain.verifyBearer(await signToken(key, { ...base, roles: ['r'] }))).scopes], []);

  const entra = await createTokenService(config('roles'));
  const principal = await entra.verifyBearer(await signToken(key, { ...base, scope: 'ignored', roles: ['Orders.Read', 'Orders.Write'] }));
  assert.deepEqual([...principal.scopes], ['Orders.Read', 'Orders.Write']);

  // No sub: the client_id stands in (client credentials at some providers); neither: refused.
  assert.equal((await plain.verifyBearer(await signToken(key, { ...base, sub: undefined, client_id: 'svc' }))).subject, 'svc');
  await assertRefused(plain.verifyBearer(await signToken(key, { ...base, sub: undefined })), 'claim_invalid');
});

test('static PEM keys and HMAC secrets verify their own tokens', async () => {
  const { generateKeyPairSync, createPublicKey } = await import('node:crypto');
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const { SignJWT } = await import('jose');
  const now = Math.floor(Date.now() / 1000);
  const pemToken = await new SignJWT({ iss: 'pem-issuer', aud: 'api', sub: 'p', exp: now + 60 })
    .setProtectedHeader({ alg: 'ES256', kid: 'whatever' })
    .sign(pair.privateKey);
  const pemService = await createTokenService(authConfig({ providers: { pem: { issuer: 'pem-issuer', audience: 'api', keys: [pem] } } }));
  assert.equal((await pemService.verifyBearer(pemToken)).subject, 'p');
  assert.equal(createPublicKey(pem).asymmetricKeyType, 'ec');

  const secret = 'a-shared-secret-of-at-least-32-bytes!!';
  const hmacToken = await new SignJWT({ iss: 'hmac-issuer', aud: 'api', sub: 'h', exp: now + 60 })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(secret));
  const hmacService = await createTokenService(authConfig({ providers: { hmac: { issuer: 'hmac-issuer', audience: 'api', secret } } }));
  assert.equal((await hmacService.verifyBearer(hmacToken)).subject, 'h');
  const forged = await new SignJWT({ iss: 'hmac-issuer', aud: 'api', sub: 'h', exp: now + 60 })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode(`${secret}x`));
  await assertRefused(hmacService.verifyBearer(forged), 'bad_signature');
});

test('a remembered verification still honours revocation, expiry and a changed key set', async () => {
  const provider = await startOidcProvider({ signingAlg: 'ES256' });
  try {
    const clock = testClock();
    const service = await createTokenService(authConfig({ providers: { main: { issuer: provider.issuer, audience: provider.audience } } }), { clock });
    const token = await provider.clientCredentialsToken();
    const first = await service.verifyBearer(token);
    // The second verification is served from memory: same principal object.
    assert.equal(await service.verifyBearer(token), first);

    const { jti, exp } = decodeJwt(token);
    await service.revokeToken(String(jti), Number(exp));
    await assertRefused(service.verifyBearer(token), 'revoked');

    const other = await provider.clientCredentialsToken();
    await service.verifyBearer(other);
    clock.advance((Number(decodeJwt(other).exp) + 60) * 1000 - clock.now);
    await assertRefused(service.verifyBearer(other), 'expired');
  } finally {
    await provider.close();
  }
});

test('warmUp fetches the keys ahead of the first token and lists the providers it could not reach', async () => {
  const down = await startOidcProvider();
  await down.takeDown();
  try {
    const service = await createTokenService(
      authConfig({ providers: { up: { issuer: ec.issuer, audience: ec.audience }, down: { issuer: down.issuer, audience: down.audience, timeoutMs: 1000 } } }),
    );
    const fetched = ec.requestCount('/jwks');
    const failures = await service.warmUp();
    assert.deepEqual(failures.map((failure) => failure.provider), ['down']);
    assert.equal(ec.requestCount('/jwks'), fetched + 1);
    await service.verifyBearer(await ec.clientCredentialsToken());
    assert.equal(ec.requestCount('/jwks'), fetched + 1);
    // The provider that was down at start comes up: its first token is not held back by the
    // failed warm-up's cooldown (30 s by default), it fetches discovery and keys at once.
    await down.bringUp();
    assert.equal((await service.verifyBearer(await down.clientCredentialsToken())).kind, 'jwt');
  } finally {
    await down.close();
  }
});
