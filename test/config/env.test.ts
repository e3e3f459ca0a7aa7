// Environment and command-line overrides: which variable sets which key, precedence, errors
// named by variable, and how a schema source finds its settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { resolveConfig, settingsForSource, sourceEnvName, type ConfigOverrides, type OpenClawConfig } from '../../gateway/src/config/index.js';
import { isGatewayError } from '../../gateway/src/errors/index.js';

const ROOT = resolve('/srv/app');
const CWD = resolve('/home/op');

function resolveWith(input: OpenClawConfig, env: NodeJS.ProcessEnv, overrides?: ConfigOverrides) {
  return resolveConfig(input, { rootDir: ROOT, cwd: CWD, env, ...(overrides ? { overrides } : {}) });
}

function messageFor(input: OpenClawConfig, env: NodeJS.ProcessEnv, overrides?: ConfigOverrides): string {
  try {
    resolveWith(input, env, overrides);
  } catch (error) {
    assert.ok(isGatewayError(error));
    assert.equal(error.code, 'CONFIG_INVALID');
    return error.message;
  }
  assert.fail('expected a CONFIG_INVALID error');
}

test('each variable sets its key, over the file', () => {
  const config = resolveWith(
    { server: { port: 1, host: 'a' }, schema: 'from-file', logging: { level: 'warn' } },
    {
      PORT: '8080',
      OPENCLAW_HOST: '0.0.0.0',
      OPENCLAW_SCHEMA: 'graph, /abs/extra.graphql',
      OPENCLAW_SUPERGRAPH: 'sg.graphql',
      OPENCLAW_LOG_LEVEL: 'debug',
      OPENCLAW_LOG_FORMAT: 'json',
    },
  );
  assert.equal(config.server.port, 8080);
  assert.equal(config.server.host, '0.0.0.0');
  // Paths from the environment resolve against the working directory, not the config's folder.
  assert.deepEqual(config.schema, [resolve(CWD, 'graph'), resolve('/abs/extra.graphql')]);
  assert.equal(config.supergraph, resolve(CWD, 'sg.graphql'));
  assert.deepEqual(config.logging, { level: 'debug', format: 'json' });
});

test('unset and empty variables leave the file and defaults alone', () => {
  const config = resolveWith({ server: { port: 1 } }, { PORT: '', OPENCLAW_HOST: '   ', UNRELATED: 'x' });
  assert.equal(config.server.port, 1);
  assert.equal(config.server.host, '127.0.0.1');
});

test('source variables apply to the source whose normalised name matches', () => {
  assert.equal(sourceEnvName('my-api.v2'), 'MY_API_V2');
  const config = resolveWith(
    { sources: { 'my-api': { url: 'http://file:1', headers: { 'x-a': 'b' } }, Products: {} } },
    {
      OPENCLAW_SOURCE_MY_API_URL: 'http://env:2/graphql',
      OPENCLAW_SOURCE_MY_API_TIMEOUT_MS: '250',
      OPENCLAW_SOURCE_PRODUCTS_URL: 'http://products:3',
    },
  );
  // `origin` names what set each entry and its URL, for later error messages.
  assert.deepEqual(config.sources['my-api'], {
    url: 'http://env:2/graphql',
    timeoutMs: 250,
    headers: { 'x-a': 'b' },
    origin: { entry: 'sources.my-api', url: 'OPENCLAW_SOURCE_MY_API_URL' },
  });
  assert.deepEqual(config.sources.Products, {
    url: 'http://products:3',
    timeoutMs: 10_000,
    headers: {},
    origin: { entry: 'sources.Products', url: 'OPENCLAW_SOURCE_PRODUCTS_URL' },
  });
});

test('a source named only in the environment is added, lower-cased', () => {
  const config = resolveWith({}, { OPENCLAW_SOURCE_INVENTORY_URL: 'inventory:50051', OPENCLAW_SOURCE_INVENTORY_TIMEOUT_MS: '2000' });
  assert.deepEqual(config.sources, {
    inventory: { url: 'inventory:50051', timeoutMs: 2000, headers: {}, origin: { entry: 'OPENCLAW_SOURCE_INVENTORY_URL', url: 'OPENCLAW_SOURCE_INVENTORY_URL' } },
  });
});

test('bad values are reported by variable name, with the expected shape and the value received', () => {
  const cases: Array<[NodeJS.ProcessEnv, string]> = [
    [{ PORT: 'x' }, 'PORT must be an integer from 0 to 65535; received "x".'],
    [{ PORT: '70000' }, 'PORT must be an integer from 0 to 65535; received "70000".'],
    [{ PORT: '80.5' }, 'PORT must be an integer from 0 to 65535; received "80.5".'],
    [{ OPENCLAW_LOG_LEVEL: 'INFO' }, 'OPENCLAW_LOG_LEVEL must be one of "debug", "info", "warn", "error", "silent"; received "INFO".'],
    [{ OPENCLAW_LOG_FORMAT: 'pretty' }, 'OPENCLAW_LOG_FORMAT must be one of "json", "text", "auto"; received "pretty".'],
    [{ OPENCLAW_SCHEMA: 'a,,b' }, 'OPENCLAW_SCHEMA must be a path or a comma-separated list of paths, none empty; received "a,,b".'],
    [
      { OPENCLAW_SOURCE_PRODUCTS_URL: 'products' },
      'OPENCLAW_SOURCE_PRODUCTS_URL must be an http, https, grpc or grpcs URL (e.g. "http://localhost:4001/graphql") or host:port (e.g. "localhost:50051"); received "products".',
    ],
    [{ OPENCLAW_SOURCE_PRODUCTS_TIMEOUT_MS: '5s' }, 'OPENCLAW_SOURCE_PRODUCTS_TIMEOUT_MS must be a positive integer (milliseconds); received "5s".'],
    [
      { OPENCLAW_SOURCE_PRODUCTS_TIMEOUT: '5000' },
      "OPENCLAW_SOURCE_PRODUCTS_TIMEOUT is not a known variable; a source's variables are OPENCLAW_SOURCE_<NAME>_URL and OPENCLAW_SOURCE_<NAME>_TIMEOUT_MS.",
    ],
  ];
  for (const [env, expected] of cases) assert.equal(messageFor({}, env), `Invalid environment: ${expected}`);
});

test('a variable that matches two sources is an error naming both', () => {
  assert.equal(
    messageFor({ sources: { 'my-api': {}, my_api: {} } }, { OPENCLAW_SOURCE_MY_API_URL: 'http://x:1' }),
    'Invalid environment: OPENCLAW_SOURCE_MY_API_URL matches more than one source ("my-api", "my_api"); rename one so their names differ in more than punctuation and case.',
  );
});

test('several environment problems are listed one per line', () => {
  assert.equal(
    messageFor({}, { PORT: 'x', OPENCLAW_LOG_LEVEL: 'loud' }),
    [
      'Invalid environment, 2 problems:',
      '  PORT must be an integer from 0 to 65535; received "x".',
      '  OPENCLAW_LOG_LEVEL must be one of "debug", "info", "warn", "error", "silent"; received "loud".',
    ].join('\n'),
  );
});

test('command-line overrides apply last and are validated', () => {
  const config = resolveWith(
    { server: { port: 1, host: 'a' }, logging: { level: 'warn', format: 'text' } },
    { PORT: '2', OPENCLAW_HOST: 'b', OPENCLAW_LOG_LEVEL: 'error', OPENCLAW_SUPERGRAPH: 'env.graphql' },
    { port: 3, host: '0.0.0.0', logLevel: 'debug', supergraph: 'cli.graphql' },
  );
  assert.equal(config.server.port, 3);
  assert.equal(config.server.host, '0.0.0.0');
  assert.deepEqual(config.logging, { level: 'debug', format: 'text' });
  assert.equal(config.supergraph, resolve(CWD, 'cli.graphql'));
  assert.equal(
    messageFor({}, {}, { port: 70000 }),
    'Invalid command-line option: --port must be an integer from 0 to 65535; received 70000 (number).',
  );
  assert.equal(
    messageFor({}, {}, { host: '', logLevel: 'loud' as 'info' }),
    [
      'Invalid command-line option, 2 problems:',
      '  --host must be a non-empty host name or IP address; received "" (string).',
      '  --log-level must be one of "debug", "info", "warn", "error", "silent"; received "loud" (string).',
    ].join('\n'),
  );
});

test('settingsForSource: config over the @source URL over defaults; exact name, else env name', () => {
  const config = resolveWith({ sources: { accounts: { timeoutMs: 50 } } }, { OPENCLAW_SOURCE_PRODUCTCATALOG_URL: 'http://catalog:1' });
  assert.deepEqual(settingsForSource(config, { name: 'accounts', url: 'http://accounts:4001' }), {
    url: 'http://accounts:4001',
    timeoutMs: 50,
    headers: {},
  });
  assert.deepEqual(settingsForSource(config, { name: 'productCatalog' }), { url: 'http://catalog:1', timeoutMs: 10_000, headers: {} });
  assert.throws(
    () => settingsForSource(config, { name: 'reviews' }),
    {
      name: 'GatewayError',
      code: 'CONFIG_INVALID',
      message:
        'Invalid config: source "reviews" has no URL; set "sources.reviews.url" in the config file, OPENCLAW_SOURCE_REVIEWS_URL, or url: in its @source.',
    },
  );
});
