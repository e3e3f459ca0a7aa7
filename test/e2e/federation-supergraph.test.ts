/**
 * Supergraph mode: the public federation benchmark's supergraph, served as it is, returns the
 * same response through OpenClaw as through @apollo/gateway (the reference) for the
 * benchmark's query, against the same four federation subgraphs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway } from '@apollo/gateway';
import { resolveConfig, startGateway, type RunningGateway } from '../../gateway/src/index.js';
import { benchQuery, benchSupergraphSdl, startBenchSubgraphs, type BenchSubgraphs } from '../../subgraphs/bench/server.js';
import { postGraphQL, REPO_ROOT } from '../support/demo-gateway.js';

describe('federation supergraph', () => {
  let subgraphs: BenchSubgraphs;
  let dir: string;
  let openclaw: RunningGateway;
  let apollo: ApolloServer;
  let apolloUrl: string;

  before(async () => {
    subgraphs = await startBenchSubgraphs();
    const supergraphSdl = benchSupergraphSdl(subgraphs.url);
    dir = await mkdtemp(join(tmpdir(), 'openclaw-supergraph-'));
    await writeFile(join(dir, 'supergraph.graphql'), supergraphSdl);
    openclaw = await startGateway(resolveConfig(
      { supergraph: join(dir, 'supergraph.graphql'), server: { port: 0 }, logging: { level: 'silent' } },
      { rootDir: REPO_ROOT, env: {} },
    ));
    apollo = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
    ({ url: apolloUrl } = await startStandaloneServer(apollo, { listen: { port: 0, host: '127.0.0.1' } }));
  });

  after(async () => {
    await openclaw?.close();
    await apollo?.stop();
    await subgraphs?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the benchmark query returns the reference response', async () => {
    const reference = await postGraphQL(apolloUrl, benchQuery());
    assert.equal(reference.body.errors, undefined, 'the reference answered without errors');
    const ours = await postGraphQL(openclaw.url, benchQuery());
    assert.equal(ours.status, 200);
    assert.equal(ours.body.errors, undefined);
    assert.deepEqual(ours.body, reference.body);
    const text = JSON.stringify(ours.body);
    assert.ok(text.length > 80_000, `the response is the full ~87 KB document (${text.length} bytes)`);
  });

  test('the supergraph is served as it is: its API schema, no join__ or link__ plumbing', async () => {
    const { body } = await postGraphQL(openclaw.url, { query: '{ __schema { types { name } } }' });
    const names = (body.data as { __schema: { types: Array<{ name: string }> } }).__schema.types.map((type) => type.name);
    for (const name of ['Product', 'Review', 'User', 'Query']) assert.ok(names.includes(name), name);
    assert.deepEqual(names.filter((name) => /^(join__|link__|_Entity|_Any)/.test(name)), []);
  });

  test('a query joining products and inventory (a @requires-free entity join) answers', async () => {
    const { body } = await postGraphQL(openclaw.url, { query: '{ topProducts(first: 1) { name inStock } }' });
    assert.deepEqual(body.data, { topProducts: [{ name: 'Table', inStock: true }] });
  });
});
