/**
 * Demand control is on by default and the operations users and the benchmark send pass it:
 * the public federation benchmark's query (supergraph mode, no cost directives: every list at
 * the default size of 10) and the README's demo query (schema/ mode, where `topProducts` is
 * sized by its `first`). The figures are those docs/demand-control.md works through.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, startGateway, type RunningGateway } from '../../gateway/src/index.js';
import { benchQuery, benchSupergraphSdl, startBenchSubgraphs, type BenchSubgraphs } from '../../subgraphs/bench/server.js';
import { postGraphQL, REPO_ROOT, startDemoGateway, type DemoGateway } from '../support/demo-gateway.js';

interface Costed {
  extensions?: { cost?: { estimated: number; actual: number; max: number; mode: string } };
}

const README_QUERY = '{ topProducts(first: 3) { name price inStock reviews { body author { name } } } }';

describe('demand control on default settings', () => {
  let dir: string;
  let subgraphs: BenchSubgraphs;
  let bench: RunningGateway;
  let demo: DemoGateway;

  before(async () => {
    subgraphs = await startBenchSubgraphs();
    dir = await mkdtemp(join(tmpdir(), 'openclaw-cost-defaults-'));
    await writeFile(join(dir, 'supergraph.graphql'), benchSupergraphSdl(subgraphs.url));
    bench = await startGateway(resolveConfig({ supergraph: join(dir, 'supergraph.graphql'), server: { port: 0 }, logging: { level: 'silent' }, store: { dataDir: join(dir, 'store') } }, { rootDir: REPO_ROOT, env: {} }));
    demo = await startDemoGateway();
  });
  after(async () => {
    await bench?.close();
    await subgraphs?.close();
    await demo?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the benchmark\'s query passes, well under the default maximum', async () => {
    const { status, body } = await postGraphQL(bench.url, { ...benchQuery(), extensions: { cost: true } });
    assert.equal(status, 200);
    assert.equal(body.errors, undefined);
    const cost = (body as Costed).extensions?.cost;
    assert.equal(cost?.estimated, 24_420);
    assert.equal(cost?.max, 50_000);
    assert.equal(cost?.mode, 'enforce');
    assert.ok(cost !== undefined && cost.actual > 0 && cost.actual < cost.estimated, JSON.stringify(cost));
  });

  test('the README\'s query passes; topProducts is sized by its first', async () => {
    const { status, body } = await postGraphQL(demo.gateway.url, { query: README_QUERY, extensions: { cost: true } });
    assert.equal(status, 200);
    assert.equal(body.errors, undefined);
    // 3 products x (1 + 10 reviews x (1 + author 1)).
    assert.equal((body as Costed).extensions?.cost?.estimated, 63);
    const small = await postGraphQL(demo.gateway.url, { query: '{ topProducts(first: 3) { name } }', extensions: { cost: true } });
    assert.deepEqual((small.body as Costed).extensions?.cost, { estimated: 3, actual: 3, max: 50_000, mode: 'enforce' });
  });

  test('a fragment fan-out is refused by limits.maxFields on defaults; with the limits off, demand control estimates it in linear time and refuses it', async () => {
    // F0 spreads F1 twice, ..., F39 spreads F40 twice: 2^40 copies of one field.
    let query = 'query { ...F0 }\n';
    for (let i = 0; i < 40; i += 1) query += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }\n`;
    query += 'fragment F40 on Query { topProducts(first: 1) { name } }';
    demo.resetCalls();
    const limited = await demo.query(query);
    assert.equal(limited.status, 400);
    assert.equal(limited.body.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.equal(limited.body.errors?.[0]?.extensions?.limit, 'limits.maxFields');
    assert.deepEqual(demo.subgraphs.products.calls, []);

    const unlimited = await startDemoGateway({ limits: { enabled: false } });
    try {
      const started = performance.now();
      const { status, body } = await unlimited.query(query);
      assert.equal(status, 400);
      assert.equal(body.errors?.[0]?.extensions?.code, 'COST_ESTIMATED_TOO_EXPENSIVE');
      assert.equal(body.errors?.[0]?.extensions?.estimatedCost, 2 ** 40);
      assert.ok(performance.now() - started < 1000, `answered in ${performance.now() - started} ms`);
      assert.deepEqual(unlimited.subgraphs.products.calls, []);
    } finally {
      await unlimited.close();
    }
  });

  test('asking for 100000 products is refused before the products backend is called', async () => {
    demo.resetCalls();
    const { status, body } = await demo.query('{ topProducts(first: 100000) { name } }');
    assert.equal(status, 400);
    assert.equal(body.errors?.[0]?.extensions?.code, 'COST_ESTIMATED_TOO_EXPENSIVE');
    assert.deepEqual(demo.subgraphs.products.calls, []);
  });
});
