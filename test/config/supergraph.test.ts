// Supergraph mode's settings rule: the supergraph's join__graph URLs are authoritative; config
// changes a subgraph only where it names it on purpose; a mismatch is an error that says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import {
  resolveConfig,
  supergraphSourceSettings,
  supergraphSubgraphs,
  type ConfigOverrides,
  type OpenClawConfig,
  type ResolvedConfig,
} from '../../gateway/src/config/index.js';
import { isGatewayError } from '../../gateway/src/errors/index.js';
import { benchSupergraphSdl } from '../../subgraphs/bench/server.js';

const ROOT = resolve('/srv/app');
const SUPERGRAPH = resolve('/srv/app/supergraph.graphql');
const BENCH = supergraphSubgraphs(benchSupergraphSdl('http://bench.test:4200'), SUPERGRAPH);

/** The demo's schema-mode config, as the repository root has it: names that clash with the bench's. */
const SCHEMA_MODE_FILE: OpenClawConfig = {
  schema: 'schema',
  sources: { accounts: { url: 'http://127.0.0.1:4001/graphql' }, inventory: { url: '127.0.0.1:4004', timeoutMs: 2000 } },
};

function resolveWith(file: OpenClawConfig, env: NodeJS.ProcessEnv = {}, overrides: ConfigOverrides = {}): ResolvedConfig {
  return resolveConfig(file, { rootDir: ROOT, cwd: ROOT, env, overrides });
}

function settingsOf(config: ResolvedConfig) {
  return Object.fromEntries(supergraphSourceSettings(config, BENCH, SUPERGRAPH));
}

function messageFor(config: ResolvedConfig, subgraphs = BENCH): string {
  try {
    supergraphSourceSettings(config, subgraphs, SUPERGRAPH);
  } catch (error) {
    assert.ok(isGatewayError(error));
    assert.equal(error.code, 'CONFIG_INVALID');
    return error.message;
  }
  assert.fail('expected a CONFIG_INVALID error');
}

const url = (name: string) => `http://bench.test:4200/${name}`;
const defaults = (name: string) => ({ url: url(name), timeoutMs: 10_000, headers: {} });

test('the subgraphs are read from join__Graph: enum value, name and URL', () => {
  assert.deepEqual(BENCH, [
    { graph: 'ACCOUNTS', name: 'accounts', url: url('accounts') },
    { graph: 'INVENTORY', name: 'inventory', url: url('inventory') },
    { graph: 'PRODUCTS', name: 'products', url: url('products') },
    { graph: 'REVIEWS', name: 'reviews', url: url('reviews') },
  ]);
  assert.throws(() => supergraphSubgraphs('type Query { a: Int }', SUPERGRAPH), {
    code: 'SCHEMA_INVALID',
    message: `The supergraph ${SUPERGRAPH} is not valid: it declares no subgraph (no enum join__Graph with @join__graph values).`,
  });
  assert.throws(() => supergraphSubgraphs('enum join__Graph {', SUPERGRAPH), { code: 'SCHEMA_INVALID', message: /^The supergraph .* is not valid: Syntax Error/ });
});

test('with no config, every subgraph runs at its supergraph URL with the default timeout', () => {
  assert.deepEqual(settingsOf(resolveWith({}, {}, { supergraph: SUPERGRAPH })), {
    ACCOUNTS: defaults('accounts'),
    INVENTORY: defaults('inventory'),
    PRODUCTS: defaults('products'),
    REVIEWS: defaults('reviews'),
  });
});

test('--supergraph with a schema-mode config file: its sources are left out and named, not applied', () => {
  const config = resolveWith(SCHEMA_MODE_FILE, {}, { supergraph: 'supergraph.graphql' });
  assert.deepEqual(config.sources, {});
  assert.deepEqual(config.ignoredSources, ['accounts', 'inventory']);
  assert.deepEqual(settingsOf(config).INVENTORY, defaults('inventory'));
  // The same through OPENCLAW_SUPERGRAPH.
  assert.deepEqual(resolveWith(SCHEMA_MODE_FILE, { OPENCLAW_SUPERGRAPH: 'supergraph.graphql' }).ignoredSources, ['accounts', 'inventory']);
  // Schema mode keeps them, of course.
  assert.deepEqual(Object.keys(resolveWith(SCHEMA_MODE_FILE).sources), ['accounts', 'inventory']);
  assert.deepEqual(resolveWith(SCHEMA_MODE_FILE).ignoredSources, []);
});

test('OPENCLAW_SOURCE_<NAME>_* variables name a subgraph on purpose: they apply, even over a schema-mode file', () => {
  const config = resolveWith(
    SCHEMA_MODE_FILE,
    { OPENCLAW_SOURCE_INVENTORY_URL: 'http://inventory.internal/graphql', OPENCLAW_SOURCE_REVIEWS_TIMEOUT_MS: '500' },
    { supergraph: 'supergraph.graphql' },
  );
  const settings = settingsOf(config);
  assert.deepEqual(settings.INVENTORY, { url: 'http://inventory.internal/graphql', timeoutMs: 10_000, headers: {} });
  assert.deepEqual(settings.REVIEWS, { url: url('reviews'), timeoutMs: 500, headers: {} });
});

test('a config file that sets supergraph: its sources override the subgraphs they name', () => {
  const config = resolveWith({
    supergraph: 'supergraph.graphql',
    sources: { products: { url: 'https://products.internal/graphql', timeoutMs: 800, headers: { 'x-key': 'k' } } },
  });
  assert.deepEqual(config.ignoredSources, []);
  assert.deepEqual(settingsOf(config).PRODUCTS, { url: 'https://products.internal/graphql', timeoutMs: 800, headers: { 'x-key': 'k' } });
  // --supergraph swapping the file of a supergraph config keeps the file's sources: they are meant for a supergraph.
  assert.deepEqual(resolveWith({ supergraph: 'old.graphql', sources: { products: {} } }, {}, { supergraph: 'new.graphql' }).ignoredSources, []);
});

test('an entry that names no subgraph is an error with the subgraphs and a suggestion', () => {
  assert.equal(
    messageFor(resolveWith({ supergraph: 'sg.graphql', sources: { invetory: { timeoutMs: 5 } } })),
    `Invalid config: "sources.invetory" names no subgraph of the supergraph ${SUPERGRAPH} (did you mean "inventory"?); ` +
      'its subgraphs are accounts, inventory, products, reviews.',
  );
  assert.equal(
    messageFor(resolveWith({}, { OPENCLAW_SOURCE_ORDERS_URL: 'http://orders:4005' }, { supergraph: 'sg.graphql' })),
    `Invalid environment: OPENCLAW_SOURCE_ORDERS_URL names no subgraph of the supergraph ${SUPERGRAPH}; its subgraphs are accounts, inventory, products, reviews.`,
  );
});

test('a URL that is not http(s) for a federation subgraph is an error naming the key or the variable', () => {
  assert.equal(
    messageFor(resolveWith({ supergraph: 'sg.graphql', sources: { inventory: { url: '127.0.0.1:4004' } } })),
    `Invalid config: "sources.inventory.url" must be an http or https URL, since "inventory" is a federation subgraph of the supergraph ${SUPERGRAPH}; received "127.0.0.1:4004".`,
  );
  assert.equal(
    messageFor(resolveWith({ supergraph: 'sg.graphql', sources: { inventory: { url: 'http://ok:1' } } }, { OPENCLAW_SOURCE_INVENTORY_URL: 'grpc://inventory:50051' })),
    `Invalid environment: OPENCLAW_SOURCE_INVENTORY_URL must be an http or https URL, since "inventory" is a federation subgraph of the supergraph ${SUPERGRAPH}; received "grpc://inventory:50051".`,
  );
  // Every problem at once, each under its own scope.
  assert.equal(
    messageFor(resolveWith({ supergraph: 'sg.graphql', sources: { acounts: {} } }, { OPENCLAW_SOURCE_INVENTORY_URL: 'inventory:4004' })),
    [
      'Invalid config and environment, 2 problems:',
      `  config: "sources.acounts" names no subgraph of the supergraph ${SUPERGRAPH} (did you mean "accounts"?); its subgraphs are accounts, inventory, products, reviews.`,
      `  environment: OPENCLAW_SOURCE_INVENTORY_URL must be an http or https URL, since "inventory" is a federation subgraph of the supergraph ${SUPERGRAPH}; received "inventory:4004".`,
    ].join('\n'),
  );
});

test('names match as the variables do; a subgraph named twice, or left without a usable URL, is an error', () => {
  const subgraphs = supergraphSubgraphs(
    'enum join__Graph { MY_API @join__graph(name: "my-api", url: "http://api:1/graphql") LEGACY @join__graph(name: "legacy", url: "") }',
    SUPERGRAPH,
  );
  assert.deepEqual(subgraphs.map(({ graph, name }) => [graph, name]), [['MY_API', 'my-api'], ['LEGACY', 'legacy']]);
  const fixed = resolveWith({ supergraph: 'sg.graphql', sources: { my_api: { timeoutMs: 7 }, legacy: { url: 'http://legacy:2/graphql' } } });
  assert.deepEqual(Object.fromEntries(supergraphSourceSettings(fixed, subgraphs, SUPERGRAPH)), {
    MY_API: { url: 'http://api:1/graphql', timeoutMs: 7, headers: {} },
    LEGACY: { url: 'http://legacy:2/graphql', timeoutMs: 10_000, headers: {} },
  });
  assert.equal(
    messageFor(resolveWith({ supergraph: 'sg.graphql', sources: { 'my-api': {}, my_api: {} } }), subgraphs),
    [
      'Invalid config, 2 problems:',
      '  "sources.my_api" and "sources.my-api" both name the subgraph "my-api"; keep one.',
      `  the subgraph "legacy" has the URL "", not an http(s) URL, in the supergraph ${SUPERGRAPH}; set OPENCLAW_SOURCE_LEGACY_URL (or "sources.legacy.url" in a config file that sets "supergraph").`,
    ].join('\n'),
  );
});
