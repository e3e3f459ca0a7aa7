// The auth section of the config: providers from the file or from OPENCLAW_JWT_* alone, defaults,
// and the rules that keep a provider's algorithms fitting its keys (RFC 8725 §3.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig, type OpenClawConfig } from '../../gateway/src/config/index.js';
import { isGatewayError } from '../../gateway/src/errors/index.js';

const ROOT = '/srv/app';

function messageFor(input: OpenClawConfig, env: NodeJS.ProcessEnv = {}): string {
  try {
    resolveConfig(input, { rootDir: ROOT, env });
  } catch (error) {
    assert.ok(isGatewayError(error));
    assert.equal(error.code, 'CONFIG_INVALID');
    return error.message;
  }
  assert.fail('expected a CONFIG_INVALID error');
}

test('four variables are enough for one provider, found through discovery', () => {
  const { auth } = resolveConfig(undefined, {
    rootDir: ROOT,
    env: { OPENCLAW_JWT_ISSUER: 'https://login.example.com/', OPENCLAW_JWT_AUDIENCE: 'api://orders, api://gateway', OPENCLAW_JWT_ALGORITHMS: 'RS256,ES256' },
  });
  assert.deepEqual(auth.providers.default, {
    name: 'default',
    issuer: 'https://login.example.com/',
    audience: ['api://orders', 'api://gateway'],
    algorithms: ['RS256', 'ES256'],
    clockToleranceSeconds: 30,
    timeoutMs: 5000,
    jwksCache: { maxAgeSeconds: 600, cooldownSeconds: 30, staleLimitSeconds: 3600 },
  });
  const withUrl = resolveConfig(undefined, {
    rootDir: ROOT,
    env: { OPENCLAW_JWT_ISSUER: 'issuer-name', OPENCLAW_JWT_AUDIENCE: 'api', OPENCLAW_JWT_JWKS_URL: 'https://keys.example.com/jwks.json' },
  }).auth.providers.default;
  assert.equal(withUrl?.jwksUrl, 'https://keys.example.com/jwks.json');
  assert.deepEqual(withUrl?.audience, ['api']);
  // Default algorithms: asymmetric only.
  assert.ok(withUrl?.algorithms.every((alg) => !alg.startsWith('HS')));
});

test('the variables lay over auth.providers.default from the file', () => {
  const { auth } = resolveConfig(
    { auth: { providers: { default: { issuer: 'https://a.example', audience: 'x', scopeClaim: 'roles' }, other: { issuer: 'https://b.example', audience: 'y' } } } },
    { rootDir: ROOT, env: { OPENCLAW_JWT_AUDIENCE: 'z' } },
  );
  assert.deepEqual(auth.providers.default?.audience, ['z']);
  assert.equal(auth.providers.default?.scopeClaim, 'roles');
  assert.deepEqual(auth.providers.other?.audience, ['y']);
});

test('bad or incomplete variables are named', () => {
  assert.equal(
    messageFor({}, { OPENCLAW_JWT_AUDIENCE: 'api' }),
    'Invalid environment: OPENCLAW_JWT_ISSUER must be set (or "auth.providers.default.issuer" in the config) when another OPENCLAW_JWT_* variable is.',
  );
  assert.equal(
    messageFor({}, { OPENCLAW_JWT_ISSUER: 'https://login.example.com' }),
    'Invalid environment: OPENCLAW_JWT_AUDIENCE must be set (or "auth.providers.default.audience" in the config) when another OPENCLAW_JWT_* variable is.',
  );
  assert.match(messageFor({}, { OPENCLAW_JWT_ISSUER: 'https://i', OPENCLAW_JWT_AUDIENCE: 'a', OPENCLAW_JWT_ALGORITHMS: 'RS256,none' }), /OPENCLAW_JWT_ALGORITHMS must be one of RS256, .* \("none" is never accepted\); received "RS256,none"\./);
  assert.match(messageFor({}, { OPENCLAW_JWT_ISSUER: 'https://i', OPENCLAW_JWT_AUDIENCE: 'a', OPENCLAW_JWT_JWKS_URL: 'ftp://x' }), /OPENCLAW_JWT_JWKS_URL must be an http or https URL; received "ftp:\/\/x"\./);
  assert.equal(
    messageFor({}, { OPENCLAW_JWT_ISSUER: 'https://i', OPENCLAW_JWT_AUDIENCE: 'a', OPENCLAW_JWT_ALGORITHMS: 'HS256' }),
    'Invalid environment: "auth.providers.default.algorithms" must list only asymmetric algorithms (RS*, PS*, ES*, EdDSA) when the keys are public; HMAC (HS*) needs "secret" (RFC 8725 §3.1); received ["HS256"] (array).',
  );
});

test('a provider\'s algorithms must fit its keys, and it has one key source', () => {
  assert.equal(
    messageFor({ auth: { providers: { p: { issuer: 'https://i', audience: 'a', jwksUrl: 'https://i/jwks', algorithms: ['RS256', 'HS256'] } } } }),
    'Invalid config: "auth.providers.p.algorithms" must list only asymmetric algorithms (RS*, PS*, ES*, EdDSA) when the keys are public; HMAC (HS*) needs "secret" (RFC 8725 §3.1); received ["RS256","HS256"] (array).',
  );
  const secret = 'a-secret-that-is-long-enough-for-hs256';
  assert.match(messageFor({ auth: { providers: { p: { issuer: 'i', audience: 'a', secret, algorithms: ['RS256'] } } } }), /"auth\.providers\.p\.algorithms" must list only HS256, HS384 or HS512 when "secret" is set/);
  assert.equal(
    messageFor({ auth: { providers: { p: { issuer: 'i', audience: 'a', secret: 'short' } } } }),
    'Invalid config: "auth.providers.p.secret" must be at least 32 bytes long (RFC 7518 §3.2); received "5 bytes" (string).',
  );
  assert.match(messageFor({ auth: { providers: { p: { issuer: 'i', audience: 'a', secret, jwksUrl: 'https://k' } } } }), /"auth\.providers\.p\.secret" must not be set with another key source/);
  assert.match(messageFor({ auth: { providers: { p: { issuer: 'my-app', audience: 'a' } } } }), /"auth\.providers\.p\.issuer" must be an http or https URL when the keys come from OpenID discovery/);
  assert.match(messageFor({ auth: { providers: { p: { issuer: 'https://i', audience: [] } } } }), /"auth\.providers\.p\.audience" must be a non-empty list of strings; received \[\] \(array\)\./);
  const hmac = resolveConfig({ auth: { providers: { p: { issuer: 'i', audience: 'a', secret } } } }, { rootDir: ROOT }).auth.providers.p;
  assert.deepEqual(hmac?.algorithms, ['HS256', 'HS384', 'HS512']);
});

test('introspection needs a client and one provider at most; refresh needs a provider with a client', () => {
  const client = { id: 'gw', secret: 's' };
  assert.match(messageFor({ auth: { providers: { p: { issuer: 'https://i', audience: 'a', introspection: {} } } } }), /"auth\.providers\.p\.introspection" must come with "client"/);
  assert.match(
    messageFor({ auth: { providers: { p: { issuer: 'https://i', audience: 'a', client, introspection: {} }, q: { issuer: 'https://j', audience: 'a', client, introspection: {} } } } }),
    /"auth\.providers" must enable introspection on one provider at most .*; received \["p","q"\]/,
  );
  assert.match(messageFor({ auth: { providers: { p: { issuer: 'https://i', audience: 'a' } }, refresh: {} } }), /"auth\.refresh\.provider" must name a provider of auth.providers that has a "client"/);
  const { auth } = resolveConfig({ auth: { providers: { p: { issuer: 'https://i', audience: 'a', client, introspection: {} } }, refresh: {} } }, { rootDir: ROOT });
  assert.deepEqual(auth.refresh, { provider: 'p', path: '/auth/token', requestsPerMinute: 30, maxBodyBytes: 16_384 });
  assert.deepEqual(auth.providers.p?.client, { id: 'gw', secret: 's', authMethod: 'client_secret_basic' });
  assert.deepEqual(auth.providers.p?.introspection, { cacheTtlSeconds: 60, inactiveCacheTtlSeconds: 10, clientCallsPerMinute: 60 });
});

test('propagation: defaults per mode, and keys that belong to another mode are errors', () => {
  const { auth } = resolveConfig(
    { auth: { propagation: { a: { mode: 'claims' }, b: { mode: 'jwt' }, c: { mode: 'forward' }, '*': { mode: 'none' } } } },
    { rootDir: ROOT },
  );
  assert.deepEqual(auth.propagation, {
    a: { mode: 'claims', headers: { 'x-user-id': 'sub', 'x-scopes': 'scope' } },
    b: { mode: 'jwt', claims: ['scope'] },
    c: { mode: 'forward' },
    '*': { mode: 'none' },
  });
  assert.equal(
    messageFor({ auth: { propagation: { a: { mode: 'forward', headers: { 'x-user-id': 'sub' } } } } }),
    'Invalid config: "auth.propagation.a.headers" must be set only with mode "claims" (mode is "forward"); received {"x-user-id":"sub"} (object).',
  );
  assert.match(messageFor({ auth: { propagation: { a: { mode: 'all' as never } } } }), /"auth\.propagation\.a\.mode" must be one of "none", "claims", "jwt", "forward"/);
  assert.match(messageFor({ auth: { propagation: { a: { mode: 'claims', headers: { 'bad header': 'sub' } } } } }), /must be an HTTP header name/);
});

test('secrets are never echoed into an error message', () => {
  assert.equal(
    messageFor({ auth: { providers: { p: { issuer: 'https://i', audience: 'a', client: { id: 'gw', secret: 4242 as never } } } } }),
    'Invalid config: "auth.providers.p.client.secret" must be a non-empty string (the gateway\'s client secret at the provider); received "(hidden)" (string).',
  );
  const message = messageFor({ auth: { internalToken: { privateKey: { d: 'PRIVATE-PART', crv: 'P-256' } as never } } });
  assert.match(message, /"auth\.internalToken\.privateKey" must be a PEM string or a JWK object with "kty"; received "\(hidden\)"/);
  assert.doesNotMatch(message, /PRIVATE-PART/);
});

test('unknown keys under auth get a suggestion', () => {
  assert.match(messageFor({ auth: { providers: { p: { issuer: 'https://i', audience: 'a', algorithm: ['RS256'] } as never } } }), /unknown key "auth\.providers\.p\.algorithm" \(did you mean "auth\.providers\.p\.algorithms"\?\)/);
  assert.match(messageFor({ auth: { maxTokenByte: 1 } as never }), /did you mean "auth\.maxTokenBytes"/);
});
