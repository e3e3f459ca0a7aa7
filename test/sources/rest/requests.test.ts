import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { restSource } from '../../../gateway/src/sources/rest/index.js';
import type { SourceRuntime } from '../../../gateway/src/sources/types.js';
import { RequestLoaders } from '../../../gateway/src/sources/loaders.js';
import { restDefinition, run, sendJson, startServer, type TestServer } from './harness.js';
import { sourceDeps } from '../../support/sources.js';

const SDL = /* GraphQL */ `
  type Product {
    upc: ID!
    name: String!
    price: Int!
    reviews: [Review!]! @rest(path: "/products/{parent.upc}/reviews")
  }
  type Review { id: ID! body: String! }
  type Order { id: ID! upc: ID! quantity: Int! }
  input PlaceOrderInput { upc: ID! quantity: Int! }
  type Query {
    topProducts(first: Int = 5, category: String): [Product!]! @rest(path: "/products", query: { limit: "{args.first}", category: "{args.category}" })
    product(upc: ID!): Product @rest(path: "/products/{args.upc}", headers: [["X-Tenant", "t-{args.upc}"]])
    productsByUpc(upcs: [ID!]!): [Product]! @rest(path: "/products/batch", query: { upc: "{args.upcs}" }, resultPath: "data.items") @lookup(key: "upc") @internal
  }
  type Mutation {
    placeOrder(input: PlaceOrderInput!): Order! @rest(method: POST, path: "/orders", body: "{args.input}")
  }
`;

const product = (upc: string): Record<string, unknown> => ({ upc, name: `Product ${upc}`, price: Number(upc) * 100, extra: 'ignored' });

let server: TestServer;
let runtime: SourceRuntime;

before(async () => {
  server = await startServer((hit, response) => {
    const url = new URL(hit.url, 'http://x');
    if (url.pathname === '/products') return sendJson(response, 200, [product('1'), product('2')]);
    if (url.pathname === '/products/batch') {
      const upcs = (url.searchParams.get('upc') ?? '').split(',');
      // Out of order and missing "9": the adapter must put them back in key order.
      return sendJson(response, 200, { data: { items: upcs.filter((upc) => upc !== '9').reverse().map(product) } });
    }
    const reviews = /^\/products\/([^/]+)\/reviews$/.exec(url.pathname);
    if (reviews) return sendJson(response, 200, [{ id: `r${reviews[1]}`, body: `About ${decodeURIComponent(reviews[1] ?? '')}` }]);
    const one = /^\/products\/([^/]+)$/.exec(url.pathname);
    if (one) return sendJson(response, 200, product(decodeURIComponent(one[1] ?? '')));
    if (url.pathname === '/orders') return sendJson(response, 201, { id: `o${server.hits.length}`, ...(JSON.parse(hit.body) as object) });
    sendJson(response, 404, {});
  });
  runtime = await restSource(restDefinition(SDL), { url: server.url, timeoutMs: 2_000, headers: { authorization: 'Bearer from-config' } }, sourceDeps());
});

after(async () => {
  await runtime?.close();
  await server?.close();
});

beforeEach(() => {
  server.hits.length = 0;
});

test('the runtime has an executor and the schema keeps the directives on the fields', () => {
  assert.equal(runtime.name, 'products');
  assert.equal(typeof runtime.executor, 'function');
  const field = runtime.schema.getQueryType()?.getFields().productsByUpc;
  assert.deepEqual(field?.astNode?.directives?.map((directive) => directive.name.value), ['rest', 'lookup', 'internal']);
});

test('a path placeholder is percent-encoded', async () => {
  const result = await run(runtime, '{ product(upc: "a/b c?") { upc name } }');
  assert.deepEqual(result.data, { product: { upc: 'a/b c?', name: 'Product a/b c?' } });
  assert.deepEqual(server.hits.map((hit) => hit.url), ['/products/a%2Fb%20c%3F']);
});

test('path, field headers and correlation headers reach the backend', async () => {
  const result = await run(runtime, '{ product(upc: "42") { upc name price } }', { traceparent: '00-abc-def-01' });
  assert.deepEqual(result.errors, undefined);
  assert.deepEqual(result.data, { product: { upc: '42', name: 'Product 42', price: 4200 } });
  const [hit] = server.hits;
  assert.equal(hit?.method, 'GET');
  assert.equal(hit?.url, '/products/42');
  assert.equal(hit?.headers['x-request-id'], 'r1');
  assert.equal(hit?.headers.traceparent, '00-abc-def-01');
  assert.equal(hit?.headers['x-tenant'], 't-42');
  assert.equal(hit?.headers.authorization, 'Bearer from-config');
  assert.equal(hit?.headers.accept, 'application/json');
  assert.equal(hit?.body, '');
});

test('a query parameter that renders to null is left out; defaults and values are encoded', async () => {
  await run(runtime, '{ topProducts { upc } }');
  await run(runtime, '{ topProducts(first: 2, category: "toys & games") { upc } }');
  assert.deepEqual(server.hits.map((hit) => hit.url), ['/products?limit=5', '/products?limit=2&category=toys%20%26%20games']);
  assert.equal(server.hits[0]?.headers.traceparent, undefined);
});

test('a list argument is sent comma-joined; resultPath digs out the list; a lookup answers in key order, null for a missing key', async () => {
  const result = await run(runtime, '{ productsByUpc(upcs: ["3", "1", "9", "2"]) { upc name } }');
  assert.deepEqual(result.errors, undefined);
  assert.deepEqual(result.data, {
    productsByUpc: [{ upc: '3', name: 'Product 3' }, { upc: '1', name: 'Product 1' }, null, { upc: '2', name: 'Product 2' }],
  });
  assert.deepEqual(server.hits.map((hit) => hit.url), ['/products/batch?upc=3,1,9,2']);
});

test('a body template sends the input object as JSON', async () => {
  const result = await run(runtime, 'mutation { placeOrder(input: { upc: "7", quantity: 3 }) { id upc quantity } }');
  assert.deepEqual(result.errors, undefined);
  assert.deepEqual(result.data, { placeOrder: { id: 'o1', upc: '7', quantity: 3 } });
  const [hit] = server.hits;
  assert.equal(hit?.method, 'POST');
  assert.equal(hit?.url, '/orders');
  assert.equal(hit?.headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(hit?.body ?? ''), { upc: '7', quantity: 3 });
});

test('a field-level @rest renders {parent.x} from the parent object', async () => {
  const result = await run(runtime, '{ topProducts(first: 2) { upc reviews { id body } } }');
  assert.deepEqual(result.errors, undefined);
  assert.deepEqual(result.data, {
    topProducts: [
      { upc: '1', reviews: [{ id: 'r1', body: 'About 1' }] },
      { upc: '2', reviews: [{ id: 'r2', body: 'About 2' }] },
    ],
  });
  assert.deepEqual(server.hits.map((hit) => hit.url).sort(), ['/products/1/reviews', '/products/2/reviews', '/products?limit=2']);
});

test('identical GETs within one request are sent once; another request sends them again', async () => {
  const document = '{ a: product(upc: "1") { name } b: product(upc: "1") { price } c: product(upc: "2") { name } }';
  const result = await run(runtime, document);
  assert.deepEqual(result.data, { a: { name: 'Product 1' }, b: { price: 100 }, c: { name: 'Product 2' } });
  assert.deepEqual(server.hits.map((hit) => hit.url).sort(), ['/products/1', '/products/2']);
  await run(runtime, document, { loaders: new RequestLoaders() });
  assert.equal(server.hits.length, 4);
});

test('identical POSTs within one request are each sent', async () => {
  const result = await run(runtime, 'mutation { a: placeOrder(input: { upc: "1", quantity: 1 }) { id } b: placeOrder(input: { upc: "1", quantity: 1 }) { id } }');
  assert.deepEqual(result.errors, undefined);
  assert.equal(server.hits.length, 2);
});
