/**
 * The commands a user types, through the real bin: `start --supergraph` serving the public
 * benchmark's supergraph (also from this repository's root, whose schema-mode config must not
 * re-route its subgraphs), `check` on this repository's own schema and config, and `start`
 * refusing a bad config with a message that names the key.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchQuery, benchSupergraphSdl, startBenchSubgraphs } from '../../subgraphs/bench/server.js';
import { openclaw, spawnStart, tempDirs, waitFor } from '../support/cli.js';
import { postGraphQL, REPO_ROOT } from '../support/demo-gateway.js';

const temp = tempDirs('openclaw-cli-');
after(() => temp.removeAll());
const tempDir = () => temp.make();

test('openclaw start --supergraph FILE serves a federation supergraph as it is', async () => {
  const subgraphs = await startBenchSubgraphs();
  const dir = await tempDir();
  try {
    await writeFile(join(dir, 'supergraph.graphql'), benchSupergraphSdl(subgraphs.url));
    const started = await spawnStart(['--supergraph', 'supergraph.graphql', '--port', '0'], dir);
    try {
      const { body } = await postGraphQL(started.url, benchQuery());
      assert.equal(body.errors, undefined);
      const products = body.data?.topProducts as Array<{ name: string; shippingEstimate: number; inStock: boolean }>;
      assert.deepEqual(products.map((product) => [product.name, product.inStock, product.shippingEstimate]), [
        ['Table', true, 50], ['Couch', false, 0], ['Glass', false, 10], ['Chair', false, 50], ['TV', true, 0],
      ]);
    } finally {
      assert.equal(await started.stop(), 0);
    }
  } finally {
    await subgraphs.close();
  }
});

const BENCH_SUPERGRAPH = 'subgraphs/bench/supergraph.graphql';

test('npx openclaw check --supergraph from the repository root: the supergraph\'s URLs, the root config\'s sources named as not applied', async () => {
  const { code, stdout, stderr } = await openclaw(['check', '--json', '--supergraph', BENCH_SUPERGRAPH], REPO_ROOT, { command: ['npx', '--no-install', 'openclaw'] });
  assert.equal(code, 0, stderr);
  const summary = JSON.parse(stdout) as { sources: Array<{ name: string; kind: string; url: string }> };
  assert.deepEqual(summary.sources, ['accounts', 'inventory', 'products', 'reviews'].map((name) => ({ name, kind: 'federation', url: `http://0.0.0.0:4200/${name}` })));
  assert.equal(
    stderr,
    `note: The supergraph's own subgraph URLs are served; sources.accounts, sources.reviews, sources.products, sources.inventory, sources.orders of ${join(REPO_ROOT, 'openclaw.config.ts')} ` +
      'do not apply, as that file sets no "supergraph" (its sources are its schema\'s). To point a subgraph elsewhere, set OPENCLAW_SOURCE_<NAME>_URL.\n',
  );
});

test('openclaw start --supergraph subgraphs/bench/supergraph.graphql from the repository root serves it; OPENCLAW_SOURCE_* re-point subgraphs', async () => {
  const subgraphs = await startBenchSubgraphs();
  try {
    // The benchmark's own subgraphs on a free port instead of 4200, named on purpose by variable.
    const env = Object.fromEntries(['ACCOUNTS', 'INVENTORY', 'PRODUCTS', 'REVIEWS'].map((name) => [`OPENCLAW_SOURCE_${name}_URL`, `${subgraphs.url}/${name.toLowerCase()}`]));
    // The gateway's store goes to a temp folder, not the repository's own .openclaw/ (npm start's).
    const dataDir = await mkdtemp(join(tmpdir(), 'openclaw-cli-'));
    env.OPENCLAW_DATA_DIR = dataDir;
    const started = await spawnStart(['--supergraph', BENCH_SUPERGRAPH, '--port', '0', '--log-level', 'warn'], REPO_ROOT, env);
    try {
      const { body } = await postGraphQL(started.url, { query: '{ topProducts(first: 2) { name inStock reviews { author { name } } } }' });
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      assert.deepEqual((body.data?.topProducts as Array<{ name: string; inStock: boolean }>).map(({ name, inStock }) => [name, inStock]), [['Table', true], ['Couch', false]]);
      await waitFor(started.stderr, /"level":"warn","msg":"The supergraph's own subgraph URLs are served; sources\.accounts, .*sources\.orders of /);
    } finally {
      assert.equal(await started.stop(), 0, started.stderr());
      await rm(dataDir, { recursive: true, force: true });
    }
  } finally {
    await subgraphs.close();
  }
});

test('a supergraph config file that re-points a subgraph wrongly stops start with an error that says so', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'supergraph.graphql'), benchSupergraphSdl('http://127.0.0.1:9'));
  await writeFile(
    join(dir, 'openclaw.config.ts'),
    "export default { supergraph: 'supergraph.graphql', sources: { inventory: { url: '127.0.0.1:4004' }, orders: { url: 'http://127.0.0.1:4005' } } };\n",
  );
  const { code, stdout, stderr } = await openclaw(['start', '--port', '0'], dir);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  const file = join(dir, 'supergraph.graphql');
  assert.equal(
    stderr,
    [
      'error[CONFIG_INVALID]: Invalid config, 2 problems:',
      `  "sources.inventory.url" must be an http or https URL, since "inventory" is a federation subgraph of the supergraph ${file}; received "127.0.0.1:4004".`,
      `  "sources.orders" names no subgraph of the supergraph ${file}; its subgraphs are accounts, inventory, products, reviews.`,
      '',
    ].join('\n'),
  );
});

test('openclaw check on this repository: five sources, the public SDL, no backend needed', async () => {
  const { code, stdout, stderr } = await openclaw(['check', '--json'], REPO_ROOT);
  assert.equal(code, 0, stderr);
  const summary = JSON.parse(stdout) as { ok: boolean; sources: Array<{ name: string; kind: string; url: string }>; sdl: string };
  assert.equal(summary.ok, true);
  assert.deepEqual(summary.sources, [
    { name: 'accounts', kind: 'graphql', url: 'http://127.0.0.1:4001/graphql' },
    { name: 'inventory', kind: 'grpc', url: '127.0.0.1:4004' },
    { name: 'orders', kind: 'rest', url: 'http://127.0.0.1:4005' },
    { name: 'products', kind: 'rest', url: 'http://127.0.0.1:4003' },
    { name: 'reviews', kind: 'federation', url: 'http://127.0.0.1:4002/graphql' },
  ]);
  assert.match(summary.sdl, /type Product \{[^}]*\n {2}inStock: Boolean\n[^}]*\n {2}quantity: Int\n/);
  assert.match(summary.sdl, /placeOrder\(input: PlaceOrderInput!\): Order\n/);
  assert.doesNotMatch(summary.sdl, /productsByUpc|_entities|OpenClaw|@lookup|@rest/);
});

test('openclaw start with a bad config value exits 1 naming the key, the shape and the value', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'openclaw.config.ts'), "export default { server: { port: 'eighty' }, sources: { products: { timeoutMs: -5 } } };\n");
  const { code, stdout, stderr } = await openclaw(['start'], dir);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.match(stderr, /^error\[CONFIG_INVALID\]: /);
  assert.match(stderr, /"server\.port" must be an integer from 0 to 65535; received "eighty" \(string\)/);
  assert.match(stderr, /"sources\.products\.timeoutMs" must be .*; received -5/);
  assert.doesNotMatch(stderr, /^\s+at /m);
});
