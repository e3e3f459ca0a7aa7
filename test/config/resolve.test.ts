// resolveConfig: defaults, path resolution, and the exact wording of every validation error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { CONFIG_DEFAULTS, defineConfig, resolveConfig, type OpenClawConfig, type ResolvedConfig } from '../../gateway/src/config/index.js';
import { isGatewayError } from '../../gateway/src/errors/index.js';

const ROOT = resolve('/srv/app');

/** The message of the CONFIG_INVALID error `resolveConfig(input)` throws. */
function messageFor(input: unknown, env: NodeJS.ProcessEnv = {}): string {
  try {
    resolveConfig(input, { rootDir: ROOT, env });
  } catch (error) {
    assert.ok(isGatewayError(error), `expected a GatewayError, got ${String(error)}`);
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.equal(error.httpStatus, 500);
    return error.message;
  }
  assert.fail(`expected ${JSON.stringify(input)} to be rejected`);
}

const DEFAULTS: ResolvedConfig = {
  rootDir: ROOT,
  schema: [resolve(ROOT, 'schema')],
  server: {
    port: 4000,
    host: '127.0.0.1',
    graphqlPath: '/graphql',
    bodyLimitBytes: 1_048_576,
    graphiql: true,
    introspection: true,
    suggestions: true,
    drainTimeoutMs: 10_000,
    shutdownDelayMs: 0,
    trustedProxies: [],
    ipAllowList: [],
    ipDenyList: [],
    admission: 'adaptive',
    minConcurrentRequests: 8,
    readinessIntervalMs: 5000,
  },
  engine: 'plan',
  sources: {},
  ignoredSources: [],
  documentCache: { size: 1000, maxBytes: 67_108_864 },
  planCache: { size: 1000, maxBytes: 67_108_864 },
  limits: {
    enabled: true,
    maxTokens: 5000,
    maxNesting: 100,
    maxDepth: 12,
    maxAliases: 15,
    maxRootFields: 20,
    maxDirectivesPerLocation: 10,
    maxFragments: 100,
    maxFields: 2000,
    maxMergedFields: 30,
    maxIntrospectionDepth: 20,
    maxIntrospectionFields: 3,
  },
  authorization: { mode: 'filter' },
  demandControl: { mode: 'enforce', maxCost: 50_000, defaultListSize: 10 },
  logging: { level: 'info', format: 'auto' },
  auth: {
    providers: {},
    maxTokenBytes: 8192,
    verifiedTokenCacheSize: 10_000,
    propagation: {},
    internalToken: { issuer: 'openclaw-gateway', algorithm: 'ES256', ttlSeconds: 60 },
  },
  store: { dataDir: resolve(ROOT, '.openclaw'), redisPrefix: 'openclaw:' },
  apiKeys: { rotationGraceMs: 86_400_000, cacheSize: 10_000, changePollMs: 500, unknownKeyCacheSize: 10_000, unknownKeysPerMinute: 60 },
  admin: { host: '127.0.0.1', failuresPerMinute: 10 },
  rateLimits: { redis: { fail: 'open', timeoutMs: 200 } },
  persistedDocuments: { manifests: [], mode: 'allow-any', apq: false, apqCacheBytes: 16_777_216, apqTtlSeconds: 86_400 },
};

test('an empty config (or none) resolves to every default', () => {
  assert.deepEqual(resolveConfig({}, { rootDir: ROOT }), DEFAULTS);
  assert.deepEqual(resolveConfig(undefined, { rootDir: ROOT }), DEFAULTS);
  assert.equal(CONFIG_DEFAULTS.server.port, 4000);
});

test('rateLimits: policies kept as written, Redis failure policy defaulted; a bad rate names its key', () => {
  const config = resolveConfig({ rateLimits: { perIp: '100/min', global: '10000/s', redis: { fail: 'closed' } } }, { rootDir: ROOT });
  assert.deepEqual(config.rateLimits, { perIp: '100/min', global: '10000/s', redis: { fail: 'closed', timeoutMs: 200 } });
  assert.match(messageFor({ rateLimits: { perSubject: 'fast' } }), /"rateLimits\.perSubject" must be a rate such as "100\/min", "10\/s", "5000\/h" or "100\/30s"; received "fast"/);
  assert.match(messageFor({ rateLimits: { redis: { fail: 'maybe' } } }), /"rateLimits\.redis\.fail" must be "open" or "closed"; received "maybe"/);
  assert.match(messageFor({ rateLimits: { redis: { timeoutMs: 0 } } }), /"rateLimits\.redis\.timeoutMs" must be an integer from 1 to 10000 \(milliseconds\); received 0/);
});

test('NODE_ENV=production turns introspection and suggestions off by default; the file still decides', () => {
  const production = resolveConfig({}, { rootDir: ROOT, env: { NODE_ENV: 'production' } });
  assert.equal(production.server.introspection, false);
  assert.equal(production.server.suggestions, false);
  const chosen = resolveConfig({ server: { introspection: true, suggestions: true } }, { rootDir: ROOT, env: { NODE_ENV: 'production' } });
  assert.equal(chosen.server.introspection, true);
  assert.equal(chosen.server.suggestions, true);
  assert.equal(resolveConfig({}, { rootDir: ROOT, env: { NODE_ENV: 'development' } }).server.introspection, true);
});

test('limits: each key overrides its default alone; a bad value names the key and the range', () => {
  const config = resolveConfig({ limits: { maxDepth: 3, enabled: true }, planCache: { maxBytes: 2048 } }, { rootDir: ROOT });
  assert.deepEqual(config.limits, { ...DEFAULTS.limits, maxDepth: 3 });
  assert.deepEqual(config.planCache, { size: 1000, maxBytes: 2048 });
  assert.equal(messageFor({ limits: { maxTokens: 0 } }), 'Invalid config: "limits.maxTokens" must be an integer from 1 to 1000000; received 0 (number).');
  assert.equal(messageFor({ documentCache: { maxBytes: 10 } }), 'Invalid config: "documentCache.maxBytes" must be an integer >= 1024 (bytes); received 10 (number).');
});

test('defineConfig returns its argument unchanged', () => {
  const config: OpenClawConfig = { server: { port: 1 } };
  assert.equal(defineConfig(config), config);
});

test('keys set in the file win over the defaults; sources get their defaults', () => {
  const config = resolveConfig(
    {
      server: { port: 0, host: '0.0.0.0', graphqlPath: '/api/graphql', bodyLimitBytes: 10, graphiql: false, introspection: false },
      sources: { products: { url: 'http://localhost:4002' }, inventory: { url: 'localhost:50051', timeoutMs: 500, headers: { 'x-key': 'k' } } },
      documentCache: { size: 0 },
      logging: { level: 'silent', format: 'text' },
    },
    { rootDir: ROOT },
  );
  assert.deepEqual(config.server, { port: 0, host: '0.0.0.0', graphqlPath: '/api/graphql', bodyLimitBytes: 10, graphiql: false, introspection: false, suggestions: true, drainTimeoutMs: 10_000, shutdownDelayMs: 0, trustedProxies: [], ipAllowList: [], ipDenyList: [], admission: 'adaptive', minConcurrentRequests: 8, readinessIntervalMs: 5000 });
  assert.deepEqual(config.sources, {
    products: { url: 'http://localhost:4002', timeoutMs: 10_000, headers: {}, origin: { entry: 'sources.products', url: 'sources.products.url' } },
    inventory: { url: 'localhost:50051', timeoutMs: 500, headers: { 'x-key': 'k' }, origin: { entry: 'sources.inventory', url: 'sources.inventory.url' } },
  });
  assert.deepEqual(config.documentCache, { size: 0, maxBytes: 67_108_864 });
  assert.deepEqual(config.logging, { level: 'silent', format: 'text' });
});

test('engine: the plan engine by default, the reference engine on request; the environment wins over the file; other values are refused', () => {
  assert.equal(resolveConfig({}, { rootDir: ROOT }).engine, 'plan');
  assert.equal(resolveConfig({ engine: 'reference' }, { rootDir: ROOT }).engine, 'reference');
  assert.equal(resolveConfig({ engine: 'reference' }, { rootDir: ROOT, env: { OPENCLAW_ENGINE: 'plan' } }).engine, 'plan');
  assert.equal(resolveConfig({ engine: 'plan' }, { rootDir: ROOT, env: { OPENCLAW_ENGINE: 'reference' } }).engine, 'reference');
  assert.throws(() => resolveConfig({ engine: 'fast' }, { rootDir: ROOT }), {
    message: /"engine" must be one of "plan", "reference"; received "fast" \(string\)\./,
  });
  assert.throws(() => resolveConfig({}, { rootDir: ROOT, env: { OPENCLAW_ENGINE: 'Plan' } }), {
    message: /OPENCLAW_ENGINE must be one of "plan", "reference"; received "Plan"\./,
  });
});

test('paths resolve against rootDir; schema is always a list; configFile is recorded', () => {
  const one = resolveConfig({ schema: 'graph', supergraph: '../sg/supergraph.graphql' }, { rootDir: ROOT, configFile: '/srv/app/openclaw.config.ts' });
  assert.deepEqual(one.schema, [resolve(ROOT, 'graph')]);
  assert.equal(one.supergraph, resolve('/srv/sg/supergraph.graphql'));
  assert.equal(one.configFile, resolve('/srv/app/openclaw.config.ts'));
  const many = resolveConfig({ schema: ['a.graphql', '/abs/b.graphql'] }, { rootDir: ROOT });
  assert.deepEqual(many.schema, [resolve(ROOT, 'a.graphql'), resolve('/abs/b.graphql')]);
  assert.equal('supergraph' in many, false);
  assert.equal('configFile' in many, false);
});

test('each bad value is named by key path, with the expected shape and the value received', () => {
  const cases: Array<[unknown, string]> = [
    [{ server: { port: 'abc' } }, '"server.port" must be an integer from 0 to 65535; received "abc" (string).'],
    [{ server: { port: 65536 } }, '"server.port" must be an integer from 0 to 65535; received 65536 (number).'],
    [{ server: { port: -1 } }, '"server.port" must be an integer from 0 to 65535; received -1 (number).'],
    [{ server: { port: 1.5 } }, '"server.port" must be an integer from 0 to 65535; received 1.5 (number).'],
    [{ server: { host: '' } }, '"server.host" must be a non-empty host name or IP address; received "" (string).'],
    [{ server: { graphqlPath: 'graphql' } }, '"server.graphqlPath" must be a path starting with "/" (e.g. "/graphql"), without spaces, "?" or "#"; received "graphql" (string).'],
    [{ server: { graphqlPath: 7 } }, '"server.graphqlPath" must be a path starting with "/" (e.g. "/graphql"); received 7 (number).'],
    [{ server: { bodyLimitBytes: 0 } }, '"server.bodyLimitBytes" must be a positive integer (bytes); received 0 (number).'],
    [{ server: { graphiql: 'yes' } }, '"server.graphiql" must be true or false; received "yes" (string).'],
    [{ server: { introspection: null } }, '"server.introspection" must be true or false; received null.'],
    [{ server: 8080 }, '"server" must be an object with the keys port, host, graphqlPath, bodyLimitBytes, graphiql, introspection, suggestions, cors, drainTimeoutMs, shutdownDelayMs, trustedProxies, ipAllowList, ipDenyList, admission, minConcurrentRequests, readinessIntervalMs; received 8080 (number).'],
    [{ schema: 5 }, '"schema" must be a path or a non-empty list of paths (strings); received 5 (number).'],
    [{ schema: ['a', 5] }, '"schema[1]" must be a non-empty path; received 5 (number).'],
    [{ schema: [] }, '"schema" must be a non-empty list of paths; received [] (array).'],
    [{ supergraph: '' }, '"supergraph" must be a non-empty path (the supergraph SDL file); received "" (string).'],
    [{ sources: [] }, '"sources" must be an object mapping source names to { url, timeoutMs, headers }; received [] (array).'],
    [{ sources: { products: 'http://x' } }, '"sources.products" must be an object with the keys url, timeoutMs, headers; received "http://x" (string).'],
    [{ sources: { products: { url: 'not a url' } } }, '"sources.products.url" must be an http, https, grpc or grpcs URL (e.g. "http://localhost:4001/graphql") or host:port (e.g. "localhost:50051"); received "not a url" (string).'],
    [{ sources: { products: { url: 'ftp://host/x' } } }, '"sources.products.url" must be an http, https, grpc or grpcs URL (e.g. "http://localhost:4001/graphql") or host:port (e.g. "localhost:50051"); received "ftp://host/x" (string).'],
    [{ sources: { products: { url: 'localhost:99999' } } }, '"sources.products.url" must be an http, https, grpc or grpcs URL (e.g. "http://localhost:4001/graphql") or host:port (e.g. "localhost:50051"); received "localhost:99999" (string).'],
    [{ sources: { products: { timeoutMs: 0 } } }, '"sources.products.timeoutMs" must be a positive integer (milliseconds); received 0 (number).'],
    [{ sources: { products: { headers: { 'x-key': 1 } } } }, '"sources.products.headers.x-key" must be a string (the header value); received 1 (number).'],
    [{ sources: { products: { headers: { 'bad name': 'v' } } } }, 'key "bad name" of "sources.products.headers" must be an HTTP header name (letters, digits and !#$%&\'*+-.^_`|~).'],
    [{ sources: { 'my api': { timeoutMs: 'fast' } } }, '"sources["my api"].timeoutMs" must be a positive integer (milliseconds); received "fast" (string).'],
    [{ sources: { '': {} } }, 'key "" of "sources" must be a non-empty source name.'],
    [{ documentCache: { size: -1 } }, '"documentCache.size" must be an integer >= 0 (0 turns the cache off); received -1 (number).'],
    [{ demandControl: { mode: 'strict' } }, '"demandControl.mode" must be one of "enforce", "measure", "off"; received "strict" (string).'],
    [{ demandControl: { maxCost: 0 } }, '"demandControl.maxCost" must be a positive integer (the largest estimated cost an operation may have); received 0 (number).'],
    [{ demandControl: { defaultListSize: 2.5 } }, '"demandControl.defaultListSize" must be an integer >= 0 (items assumed for a list field); received 2.5 (number).'],
    [{ logging: { level: 'verbose' } }, '"logging.level" must be one of "debug", "info", "warn", "error", "silent"; received "verbose" (string).'],
    [{ logging: { format: 'pretty' } }, '"logging.format" must be one of "json", "text", "auto"; received "pretty" (string).'],
    [42, 'the config must be an object (export default defineConfig({ ... })) with the keys schema, supergraph, server, engine, sources, documentCache, planCache, limits, authorization, demandControl, logging, auth, store, apiKeys, admin, rateLimits, persistedDocuments; received 42 (number).'],
  ];
  for (const [input, expected] of cases) assert.equal(messageFor(input), `Invalid config: ${expected}`);
});

test('source URLs: http(s) and grpc(s) URLs and host:port are accepted', () => {
  for (const url of ['http://localhost:4001/graphql', 'https://api.example.com', 'grpc://inventory:50051', 'localhost:50051', '10.0.0.1:80', '[::1]:50051']) {
    assert.equal(resolveConfig({ sources: { s: { url } } }, { rootDir: ROOT }).sources.s?.url, url);
  }
});

test('an unknown key is an error with a "did you mean" when a known key is close', () => {
  assert.equal(
    messageFor({ server: { prot: 4000 } }),
    'Invalid config: unknown key "server.prot" (did you mean "server.port"?); "server" takes the keys port, host, graphqlPath, bodyLimitBytes, graphiql, introspection, suggestions, cors, drainTimeoutMs, shutdownDelayMs, trustedProxies, ipAllowList, ipDenyList, admission, minConcurrentRequests, readinessIntervalMs.',
  );
  assert.equal(
    messageFor({ sever: {} }),
    'Invalid config: unknown key "sever" (did you mean "server"?); the config takes the keys schema, supergraph, server, engine, sources, documentCache, planCache, limits, authorization, demandControl, logging, auth, store, apiKeys, admin, rateLimits, persistedDocuments.',
  );
  assert.equal(
    messageFor({ sources: { products: { timeout: 5 } } }),
    'Invalid config: unknown key "sources.products.timeout" (did you mean "sources.products.timeoutMs"?); "sources.products" takes the keys url, timeoutMs, headers.',
  );
  assert.equal(
    messageFor({ server: { graphQLPath: '/g' } }),
    'Invalid config: unknown key "server.graphQLPath" (did you mean "server.graphqlPath"?); "server" takes the keys port, host, graphqlPath, bodyLimitBytes, graphiql, introspection, suggestions, cors, drainTimeoutMs, shutdownDelayMs, trustedProxies, ipAllowList, ipDenyList, admission, minConcurrentRequests, readinessIntervalMs.',
  );
  assert.equal(
    messageFor({ database: 'postgres://' }),
    'Invalid config: unknown key "database"; the config takes the keys schema, supergraph, server, engine, sources, documentCache, planCache, limits, authorization, demandControl, logging, auth, store, apiKeys, admin, rateLimits, persistedDocuments.',
  );
});

test('several problems are listed together, one per line', () => {
  assert.equal(
    messageFor({ server: { port: 'abc', prot: 1 }, logging: { level: 'loud' } }),
    [
      'Invalid config, 3 problems:',
      '  "server.port" must be an integer from 0 to 65535; received "abc" (string).',
      '  unknown key "server.prot" (did you mean "server.port"?); "server" takes the keys port, host, graphqlPath, bodyLimitBytes, graphiql, introspection, suggestions, cors, drainTimeoutMs, shutdownDelayMs, trustedProxies, ipAllowList, ipDenyList, admission, minConcurrentRequests, readinessIntervalMs.',
      '  "logging.level" must be one of "debug", "info", "warn", "error", "silent"; received "loud" (string).',
    ].join('\n'),
  );
});

test('problems in the file and the environment are reported together', () => {
  assert.equal(
    messageFor({ server: { port: 'abc' } }, { PORT: 'x' }),
    [
      'Invalid config and environment, 2 problems:',
      '  config: "server.port" must be an integer from 0 to 65535; received "abc" (string).',
      '  environment: PORT must be an integer from 0 to 65535; received "x".',
    ].join('\n'),
  );
});

test('long values are shortened in messages', () => {
  const message = messageFor({ logging: { level: 'x'.repeat(200) } });
  assert.match(message, /received "x{56}\.\.\. \(string\)\.$/);
});
