// RFC 8725 (JWT Best Current Practices), table-driven: every attack token must be refused, with
// the reason saying why, and the URLs a token points at (jku, x5u) must never be fetched.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createHmac, createPublicKey, generateKeyPairSync, KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK } from 'jose';
import { createTokenService, type TokenService } from '../../../gateway/src/auth/tokens/index.js';
import { assertRefused, authConfig, b64json, signToken, signingKey, type SigningKey } from './helpers.js';

const ISSUER = 'https://idp.victim.example';
const OTHER_ISSUER = 'https://idp.other.example';
const AUDIENCE = 'https://api.openclaw.test';

interface CountingServer {
  url: string;
  hits: () => number;
  close: () => Promise<void>;
}

async function serveJson(body: () => unknown): Promise<CountingServer> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits: () => hits,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let rsa: SigningKey;
let ec: SigningKey;
let otherProviderKey: SigningKey;
let attacker: SigningKey;
let victimJwks: CountingServer;
let otherJwks: CountingServer;
let attackerSite: CountingServer;
let service: TokenService;

const now = () => Math.floor(Date.now() / 1000);
const claims = () => ({ iss: ISSUER, aud: AUDIENCE, sub: 'mallory', scope: 'orders:write', exp: now() + 600 });

/** header.payload.signature from parts, for tokens no library would produce. */
function raw(header: unknown, payload: unknown, signature = ''): string {
  return `${b64json(header)}.${b64json(payload)}.${signature}`;
}

/** A token signed with `key` whatever its header says (jose refuses to produce some of these). */
function signedRaw(key: SigningKey, header: Record<string, unknown>, payload: unknown, pss = false): string {
  const input = `${b64json(header)}.${b64json(payload)}`;
  const privateKey = KeyObject.from(key.privateKey as never);
  const options = privateKey.asymmetricKeyType === 'ec'
    ? { key: privateKey, dsaEncoding: 'ieee-p1363' as const }
    : pss ? { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : { key: privateKey };
  return `${input}.${sign('sha256', Buffer.from(input), options).toString('base64url')}`;
}

function hmacToken(header: Record<string, unknown>, payload: unknown, secret: Buffer | string): string {
  const input = `${b64json(header)}.${b64json(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

before(async () => {
  rsa = await signingKey('RS256', 'victim-rsa');
  ec = await signingKey('ES256', 'victim-ec');
  otherProviderKey = await signingKey('ES256', 'other-ec');
  attacker = await signingKey('ES256', 'attacker');
  victimJwks = await serveJson(() => ({ keys: [rsa.publicJwk, ec.publicJwk] }));
  otherJwks = await serveJson(() => ({ keys: [otherProviderKey.publicJwk] }));
  attackerSite = await serveJson(() => ({ keys: [attacker.publicJwk] }));
  service = await createTokenService(
    authConfig({
      maxTokenBytes: 4096,
      providers: {
        victim: { issuer: ISSUER, audience: AUDIENCE, jwksUrl: `${victimJwks.url}/jwks`, algorithms: ['RS256', 'ES256'] },
        other: { issuer: OTHER_ISSUER, audience: AUDIENCE, jwksUrl: `${otherJwks.url}/jwks` },
      },
    }),
  );
});

after(async () => {
  await service.close();
  await Promise.all([victimJwks.close(), otherJwks.close(), attackerSite.close()]);
});

test('the legitimate tokens the attacks are built from verify', async () => {
  assert.equal((await service.verifyBearer(signedRaw(ec, { alg: 'ES256', kid: 'victim-ec' }, claims()))).subject, 'mallory');
  assert.equal((await service.verifyBearer(signedRaw(rsa, { alg: 'RS256', kid: 'victim-rsa' }, claims()))).subject, 'mallory');
  assert.equal((await service.verifyBearer(await signToken(rsa, claims()))).subject, 'mallory');
  assert.equal((await service.verifyBearer(await signToken(ec, claims()))).subject, 'mallory');
  assert.equal((await service.verifyBearer(await signToken(otherProviderKey, { ...claims(), iss: OTHER_ISSUER }))).subject, 'mallory');
});

interface Attack {
  name: string;
  reason: string;
  token: () => Promise<string> | string;
}

const ATTACKS: Attack[] = [
  // §2.1 / §3.1: algorithm choice belongs to the verifier.
  { name: 'alg "none" with an empty signature', reason: 'algorithm_not_allowed', token: () => raw({ alg: 'none', typ: 'JWT' }, claims()) },
  { name: 'alg "None" (case variant)', reason: 'algorithm_not_allowed', token: () => raw({ alg: 'None' }, claims()) },
  { name: 'alg "NONE" with a kid of a real key', reason: 'algorithm_not_allowed', token: () => raw({ alg: 'NONE', kid: 'victim-rsa' }, claims()) },
  { name: 'no alg at all', reason: 'algorithm_not_allowed', token: () => raw({ kid: 'victim-rsa' }, claims(), 'c2ln') },
  {
    name: 'RS/HS confusion: HS256 keyed with the RSA public key (PEM)',
    reason: 'algorithm_not_allowed',
    token: () => {
      const pem = createPublicKey({ key: rsa.publicJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
      return hmacToken({ alg: 'HS256', kid: 'victim-rsa' }, claims(), pem);
    },
  },
  {
    name: 'RS/HS confusion: HS256 keyed with the JWK modulus',
    reason: 'algorithm_not_allowed',
    token: () => hmacToken({ alg: 'HS256' }, claims(), Buffer.from(String(rsa.publicJwk.n), 'base64url')),
  },
  {
    name: 'RS/HS confusion against a provider with the default allow-list',
    reason: 'algorithm_not_allowed',
    token: () => {
      const pem = createPublicKey({ key: otherProviderKey.publicJwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
      return hmacToken({ alg: 'HS256', kid: 'other-ec' }, { ...claims(), iss: OTHER_ISSUER }, pem);
    },
  },
  { name: 'an algorithm outside the allow-list (PS256 with the RSA key)', reason: 'algorithm_not_allowed', token: () => signedRaw(rsa, { alg: 'PS256', kid: 'victim-rsa' }, claims(), true) },
  // §3.2 / RFC 7515 §4.1.11: unknown critical extensions.
  { name: 'crit naming an unknown extension', reason: 'critical_header', token: () => signedRaw(ec, { alg: 'ES256', kid: 'victim-ec', crit: ['urn:x-ext'], 'urn:x-ext': true }, claims()) },
  { name: 'crit b64=false (unencoded payload)', reason: 'critical_header', token: () => signedRaw(ec, { alg: 'ES256', kid: 'victim-ec', b64: false, crit: ['b64'] }, claims()) },
  // §3.10: keys come from the provider, never from the token.
  { name: 'a kid no key has (attacker-signed)', reason: 'unknown_key', token: () => signToken(attacker, claims()) },
  { name: 'a kid with path traversal', reason: 'unknown_key', token: () => signToken({ ...attacker, kid: '../../../../../dev/null' }, claims()) },
  { name: 'a kid with SQL', reason: 'unknown_key', token: () => signToken({ ...attacker, kid: "' UNION SELECT 'secret' --" }, claims()) },
  { name: 'jku pointing at the attacker\'s JWKS', reason: 'unknown_key', token: () => signToken(attacker, claims(), { jku: `${attackerSite.url}/jwks.json` }) },
  { name: 'x5u pointing at the attacker\'s certificate', reason: 'unknown_key', token: () => signToken(attacker, claims(), { x5u: `${attackerSite.url}/cert.pem` }) },
  {
    name: 'the attacker\'s key embedded as a jwk header, no kid',
    reason: 'bad_signature',
    token: async () => signToken({ ...attacker, kid: undefined as unknown as string }, claims(), { jwk: attacker.publicJwk }),
  },
  {
    name: 'a real kid, the attacker\'s signature and an x5c header',
    reason: 'bad_signature',
    token: () => signToken({ ...attacker, kid: 'victim-ec' }, claims(), { x5c: ['MIIBfake'] }),
  },
  { name: 'a real RSA kid with alg ES256', reason: 'unknown_key', token: () => signToken({ ...attacker, kid: 'victim-rsa' }, claims()) },
  // Signature integrity.
  {
    name: 'payload changed after signing',
    reason: 'bad_signature',
    token: async () => {
      const [header, , signature] = (await signToken(ec, claims())).split('.');
      return `${header}.${b64json({ ...claims(), sub: 'admin' })}.${signature}`;
    },
  },
  {
    name: 'signature stripped',
    reason: 'bad_signature',
    token: async () => `${(await signToken(ec, claims())).split('.').slice(0, 2).join('.')}.`,
  },
  {
    name: 'ECDSA "psychic signature" (r = s = 0)',
    reason: 'bad_signature',
    token: () => raw({ alg: 'ES256', kid: 'victim-ec' }, claims(), Buffer.alloc(64).toString('base64url')),
  },
  {
    name: 'a signature by another key of the right type under the right kid (RSA)',
    reason: 'bad_signature',
    token: () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const input = `${b64json({ alg: 'RS256', kid: 'victim-rsa' })}.${b64json(claims())}`;
      return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
    },
  },
  // §3.8 / §3.9: issuer and audience.
  { name: 'an issuer the gateway does not know', reason: 'unknown_issuer', token: () => signToken(attacker, { ...claims(), iss: 'https://evil.example' }) },
  { name: 'no issuer', reason: 'unknown_issuer', token: () => signToken(ec, { ...claims(), iss: undefined }) },
  { name: 'one provider\'s iss with another provider\'s key', reason: 'unknown_key', token: () => signToken(otherProviderKey, claims()) },
  { name: 'another audience', reason: 'wrong_audience', token: () => signToken(ec, { ...claims(), aud: 'https://other-api.example' }) },
  { name: 'no audience', reason: 'wrong_audience', token: () => signToken(ec, { ...claims(), aud: undefined }) },
  // Lifetime.
  { name: 'expired', reason: 'expired', token: () => signToken(ec, { ...claims(), exp: now() - 3600 }) },
  { name: 'no exp', reason: 'claim_invalid', token: () => signToken(ec, { ...claims(), exp: undefined }) },
  { name: 'not valid before next hour', reason: 'not_yet_valid', token: () => signToken(ec, { ...claims(), nbf: now() + 3600 }) },
  // Shape and size.
  { name: 'larger than maxTokenBytes', reason: 'too_large', token: () => signToken(ec, { ...claims(), pad: 'x'.repeat(5000) }) },
  { name: 'an encrypted token (JWE, five parts)', reason: 'malformed', token: () => 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..aXY.Y2lwaGVy.dGFn' },
  { name: 'a header that is not JSON', reason: 'malformed', token: () => `${Buffer.from('{alg:').toString('base64url')}.${b64json(claims())}.c2ln` },
  { name: 'a payload that is not JSON', reason: 'malformed', token: () => `${b64json({ alg: 'ES256' })}.${Buffer.from('[1,').toString('base64url')}.c2ln` },
  { name: 'characters outside b64token', reason: 'malformed', token: () => 'abc def' },
  // RFC 9449 / RFC 8705: a sender-constrained token whose binding the gateway cannot check.
  { name: 'a token bound with cnf', reason: 'sender_constrained', token: () => signToken(ec, { ...claims(), cnf: { jkt: 'abc' } }) },
];

for (const attack of ATTACKS) {
  test(`refused: ${attack.name}`, async () => {
    await assertRefused(service.verifyBearer(await attack.token()), attack.reason);
  });
}

test('nothing the tokens pointed at was fetched, and forged kids cost at most one JWKS refetch', async () => {
  assert.equal(attackerSite.hits(), 0);
  // One fetch at the first token, one refetch for the first unknown kid; the cooldown (30 s)
  // absorbs every later unknown kid.
  assert.ok(victimJwks.hits() <= 2, `JWKS fetched ${victimJwks.hits()} times`);
});

test('the attacker key is a real ES256 key (the refusals are not an artefact of a broken key)', async () => {
  const ownProvider = await createTokenService(authConfig({ providers: { a: { issuer: ISSUER, audience: AUDIENCE, keys: [await exportJWK(attacker.privateKey).then(({ d: _d, ...pub }) => pub as never)] } } }));
  assert.equal((await ownProvider.verifyBearer(await signToken(attacker, claims()))).subject, 'mallory');
});
