/**
 * Supergraph mode: the public federation benchmark's supergraph, served as it is, returns the
 * same responses through OpenClaw, with either engine (`engine: 'plan' | 'reference'`), as
 * through @apollo/gateway (the reference), for the benchmark's query and a set of documents
 * that exercise aliases, fragments, variables, `@skip`/`@include`, `__typename` and
 * introspection, against the same four federation subgraphs.
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

const ENGINES = ['plan', 'reference'] as const;

/** Documents beyond the benchmark's own query, each answered alike by every gateway. */
const DOCUMENTS: Array<{ name: string; query: string; variables?: Record<string, unknown> }> = [
  { name: 'an entity join with @requires', query: '{ topProducts(first: 3) { name price inStock shippingEstimate } }' },
  {
    name: 'aliases, named and inline fragments, __typename',
    query: `query Shop { __typename best: topProducts(first: 2) { ...Names t: __typename ... on Product { cost: price } }
      me { __typename id username reviews { product { ...Names } } } }
      fragment Names on Product { upc label: name }`,
  },
  {
    name: 'variables, defaults and arguments',
    query: 'query ($id: ID!, $n: Int = 2) { user(id: $id) { name birthday } topProducts(first: $n) { name } }',
    variables: { id: '3' },
  },
  {
    name: '@skip and @include on fields of other subgraphs',
    query: 'query ($stock: Boolean!, $skipReviews: Boolean!) { topProducts(first: 2) { name inStock @include(if: $stock) reviews @skip(if: $skipReviews) { body author { name } } } }',
    variables: { stock: false, skipReviews: false },
  },
  { name: 'an unknown user is null', query: '{ user(id: "99") { name reviews { body } } }' },
  // Field order in introspection is the stitched schema's, not the supergraph's: not compared here.
  { name: 'introspection next to data', query: '{ __type(name: "Product") { name kind } me { name } }' },
];

describe('federation supergraph', () => {
  let subgraphs: BenchSubgraphs;
  let dir: string;
  const openclaw = new Map<string, RunningGateway>();
  let apollo: ApolloServer;
  let apolloUrl: string;

  before(async () => {
    subgraphs = await startBenchSubgraphs();
    const supergraphSdl = benchSupergraphSdl(subgraphs.url);
    dir = await mkdtemp(join(tmpdir(), 'openclaw-supergraph-'));
    await writeFile(join(dir, 'supergraph.graphql'), supergraphSdl);
    for (const engine of ENGINES) {
      openclaw.set(engine, await startGateway(resolveConfig(
        { supergraph: join(dir, 'supergraph.graphql'), engine, server: { port: 0 }, logging: { level: 'silent' } },
        { rootDir: REPO_ROOT, env: {} },
      )));
    }
    apollo = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl }) });
    ({ url: apolloUrl } = await startStandaloneServer(apollo, { listen: { port: 0, host: '127.0.0.1' } }));
  });

  after(async () => {
    for (const gateway of openclaw.values()) await gateway.close();
    await apollo?.stop();
    await subgraphs?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const engine of ENGINES) {
    test(`the benchmark query returns the reference response (${engine} engine)`, async () => {
      const reference = await postGraphQL(apolloUrl, benchQuery());
      assert.equal(reference.body.errors, undefined, 'the reference answered without errors');
      const ours = await postGraphQL(openclaw.get(engine)!.url, benchQuery());
      assert.equal(ours.status, 200);
      assert.equal(ours.body.errors, undefined);
      assert.deepEqual(ours.body, reference.body);
      const text = JSON.stringify(ours.body);
      assert.ok(text.length > 80_000, `the response is the full ~87 KB document (${text.length} bytes)`);
    });

    test(`every document answers as @apollo/gateway does (${engine} engine)`, async () => {
      for (const document of DOCUMENTS) {
        const body = { query: document.query, variables: document.variables };
        const reference = await postGraphQL(apolloUrl, body);
        const ours = await postGraphQL(openclaw.get(engine)!.url, body);
        assert.equal(ours.status, 200, document.name);
        assert.deepEqual(ours.body, reference.body, document.name);
      }
    });
  }

  test('the supergraph is served as it is: its API schema, no join__ or link__ plumbing', async () => {
    for (const engine of ENGINES) {
      const { body } = await postGraphQL(openclaw.get(engine)!.url, { query: '{ __schema { types { name } } }' });
      const names = (body.data as { __schema: { types: Array<{ name: string }> } }).__schema.types.map((type) => type.name);
      for (const name of ['Product', 'Review', 'User', 'Query']) assert.ok(names.includes(name), name);
      assert.deepEqual(names.filter((name) => /^(join__|link__|_Entity|_Any)/.test(name)), []);
    }
  });

  test('a variable that fails coercion is a 400 BAD_USER_INPUT from either engine, alike', async () => {
    const body = { query: 'query ($id: ID!) { user(id: $id) { name } }', variables: {} };
    const [plan, reference] = await Promise.all(ENGINES.map((engine) => postGraphQL(openclaw.get(engine)!.url, body)));
    assert.equal(plan!.status, 400);
    assert.deepEqual(plan!.body, reference!.body);
    assert.equal(plan!.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  });
});
