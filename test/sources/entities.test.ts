/**
 * A REST or gRPC source answers a query plan's entity fetches, `_entities(representations:)`,
 * through its `@lookup` fields: a batch lookup once per fetch with every key, a single-key
 * lookup once per key; answers in the order of the representations, null for an entity the
 * backend does not know; a failed batch call fails the fetch as a whole. Real backends on
 * loopback, the sources' own executors.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { parse } from 'graphql';
import { grpcSource } from '../../gateway/src/sources/grpc/index.js';
import { restSource } from '../../gateway/src/sources/rest/index.js';
import type { SourceRuntime } from '../../gateway/src/sources/types.js';
import { grpcDefinition, startGrpcServer, type TestGrpcServer } from './grpc/harness.js';
import { restDefinition, sendJson, startServer, type JsonResult, type TestServer } from './rest/harness.js';
import { sourceContext, sourceDeps } from '../support/sources.js';

/** An entity fetch as the plan engine sends it: one parsed document, the representations as a variable. */
async function fetchEntities(runtime: SourceRuntime, selection: string, representations: unknown[]): Promise<JsonResult> {
  const document = parse(`query ($representations: [_Any!]!) { _entities(representations: $representations) { ${selection} } }`);
  const result = await runtime.executor({ document, variables: { representations }, context: sourceContext() });
  return JSON.parse(JSON.stringify(result)) as JsonResult;
}

describe('REST source', () => {
  const SDL = /* GraphQL */ `
    type Product { upc: ID! name: String! }
    type Warehouse { id: ID! city: String! }
    type Query {
      product(upc: ID!): Product @rest(path: "/products/{args.upc}")
      productsByUpc(upcs: [ID!]!): [Product]! @rest(path: "/products/batch", query: { upc: "{args.upcs}" }) @lookup(key: "upc") @internal
      warehouse(id: ID!): Warehouse @rest(path: "/warehouses/{args.id}") @lookup(key: "id")
    }
  `;
  let server: TestServer;
  let runtime: SourceRuntime;
  let failBatch = false;

  before(async () => {
    server = await startServer((hit, response) => {
      const url = new URL(hit.url, 'http://x');
      if (url.pathname === '/products/batch') {
        if (failBatch) return sendJson(response, 503, { error: 'down' });
        const upcs = (url.searchParams.get('upc') ?? '').split(',');
        // Out of order and without "9": the source puts them back in the representations' order.
        return sendJson(response, 200, upcs.filter((upc) => upc !== '9').reverse().map((upc) => ({ upc, name: `Product ${upc}` })));
      }
      const warehouse = /^\/warehouses\/(\w+)$/.exec(url.pathname);
      if (warehouse && warehouse[1] !== 'w9') return sendJson(response, 200, { id: warehouse[1], city: `City ${warehouse[1]}` });
      sendJson(response, 404, { error: 'not found' });
    });
    runtime = await restSource(restDefinition(SDL, join(import.meta.dirname, 'fixtures', 'entities-openapi.yaml')), { url: server.url, timeoutMs: 2_000, headers: {} }, sourceDeps());
  });
  after(async () => {
    await runtime?.close();
    await server?.close();
  });
  beforeEach(() => {
    server.hits.length = 0;
    failBatch = false;
  });

  test('a batch lookup is one call with every key; answers in the order asked, null for an unknown key', async () => {
    const result = await fetchEntities(runtime, '... on Product { upc name }', [
      { __typename: 'Product', upc: '2' },
      { __typename: 'Product', upc: '9' },
      { __typename: 'Product', upc: '1' },
    ]);
    assert.deepEqual(result, { data: { _entities: [{ upc: '2', name: 'Product 2' }, null, { upc: '1', name: 'Product 1' }] } });
    assert.deepEqual(server.hits.map((hit) => hit.url), ['/products/batch?upc=2,9,1']);
  });

  test('a single-key lookup is one call per key; an unknown one is null with its error at its own entity', async () => {
    const result = await fetchEntities(runtime, '__typename ... on Warehouse { city }', [
      { __typename: 'Warehouse', id: 'w1' },
      { __typename: 'Warehouse', id: 'w9' },
    ]);
    assert.deepEqual(result.data, { _entities: [{ __typename: 'Warehouse', city: 'City w1' }, null] });
    assert.deepEqual(result.errors?.map((error) => [error.path, error.extensions?.code, error.extensions?.source]), [[['_entities', 1], 'NOT_FOUND', 'products']]);
    assert.deepEqual(server.hits.map((hit) => hit.url).sort(), ['/warehouses/w1', '/warehouses/w9']);
  });

  test('entities of two types in one fetch: each type through its own lookup, in the order asked', async () => {
    const result = await fetchEntities(runtime, '... on Product { name } ... on Warehouse { city }', [
      { __typename: 'Warehouse', id: 'w2' },
      { __typename: 'Product', upc: '3' },
      { __typename: 'Product', upc: '4' },
    ]);
    assert.deepEqual(result, { data: { _entities: [{ city: 'City w2' }, { name: 'Product 3' }, { name: 'Product 4' }] } });
    assert.equal(server.hits.length, 2);
  });

  test('a failed batch call fails the fetch as a whole: one error naming the source', async () => {
    failBatch = true;
    const result = await fetchEntities(runtime, '... on Product { name }', [{ __typename: 'Product', upc: '1' }, { __typename: 'Product', upc: '2' }]);
    assert.equal(result.data, null);
    assert.deepEqual(result.errors?.map((error) => [error.path, error.extensions]), [[['_entities'], { code: 'UPSTREAM_ERROR', source: 'products', status: 503 }]]);
  });

  test('a representation of a type the source has no lookup for is null, without a call', async () => {
    const result = await fetchEntities(runtime, '__typename', [{ __typename: 'Order', id: 'o1' }]);
    assert.deepEqual(result, { data: { _entities: [null] } });
    assert.equal(server.hits.length, 0);
  });

  test('root fields answer as before, and the schema hides nothing new from them', async () => {
    const result = await runtime.executor({ document: parse('{ product(upc: "1") { name } }'), context: sourceContext() });
    assert.equal(result.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    assert.ok(runtime.schema.getQueryType()?.getFields()._entities, 'the schema answers _entities');
  });
});

describe('gRPC source', () => {
  const SDL = /* GraphQL */ `
    type Product {
      upc: ID!
      inStock: Boolean!
      warehouse: Warehouse @grpc(method: "GetWarehouse", request: { id: "{parent.warehouseId}" })
    }
    type Warehouse { id: ID! city: String! }
    type Query {
      stockByUpc(upcs: [ID!]!): [Product]! @grpc(method: "GetStockBatch", request: { upcs: "{args.upcs}" }, resultPath: "items") @lookup(key: "upc") @internal
    }
  `;
  let server: TestGrpcServer;
  let runtime: SourceRuntime;

  before(async () => {
    server = await startGrpcServer({
      GetStockBatch: (request) => ({ items: (request.upcs as string[]).filter((upc) => upc !== '9').map((upc) => ({ upc, inStock: upc === '1', warehouseId: `w${upc}` })) }),
      GetWarehouse: (request) => ({ id: request.id, city: `City of ${String(request.id)}` }),
    });
    runtime = await grpcSource(grpcDefinition(SDL), { url: server.url, timeoutMs: 2_000, headers: {} }, sourceDeps());
  });
  after(async () => {
    await runtime?.close();
    await server?.close();
  });

  test('one batch RPC per fetch; fields of the entity that make their own calls still work', async () => {
    server.calls.length = 0;
    const result = await fetchEntities(runtime, '... on Product { inStock warehouse { city } }', [
      { __typename: 'Product', upc: '9' },
      { __typename: 'Product', upc: '1' },
    ]);
    assert.deepEqual(result, { data: { _entities: [null, { inStock: true, warehouse: { city: 'City of w1' } }] } });
    assert.deepEqual(server.calls.map((call) => [call.method, call.request]), [
      ['GetStockBatch', { upcs: ['9', '1'] }],
      ['GetWarehouse', { id: 'w1' }],
    ]);
  });

  test('the backend down: the fetch fails as a whole, with the gRPC status', async () => {
    const down = await grpcSource(grpcDefinition(SDL), { url: '127.0.0.1:9', timeoutMs: 1_000, headers: {} }, sourceDeps());
    try {
      const result = await fetchEntities(down, '... on Product { inStock }', [{ __typename: 'Product', upc: '1' }]);
      assert.equal(result.data, null);
      assert.deepEqual(result.errors?.map((error) => [error.path, error.extensions?.code, error.extensions?.source]), [[['_entities'], 'UPSTREAM_UNAVAILABLE', 'inventory']]);
    } finally {
      await down.close();
    }
  });
});
