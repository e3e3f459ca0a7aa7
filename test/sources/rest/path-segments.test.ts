// A field argument interpolated into a REST path can never address another backend route:
// `.` and `..` (whatever their spelling) are refused, and every other value reaches the
// backend as one encoded segment. The backend is a real HTTP server that records each path.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { restSource } from '../../../gateway/src/sources/rest/index.js';
import type { SourceRuntime } from '../../../gateway/src/sources/types.js';
import { join } from 'node:path';
import { restDefinition, run, sendJson, startServer, type TestServer } from './harness.js';
import { sourceDeps } from '../../support/sources.js';

const SDL = /* GraphQL */ `
  type Product { upc: ID! name: String! }
  type Query {
    product(upc: ID!): Product @rest(path: "/products/{args.upc}")
    variant(upc: ID!, suffix: String!): Product @rest(path: "/products/{args.upc}{args.suffix}/variant")
    tagged(tags: [String!]!): Product @rest(path: "/tags/{args.tags}")
  }
`;

let server: TestServer;
let runtime: SourceRuntime;

before(async () => {
  server = await startServer((hit, response) => sendJson(response, 200, { upc: hit.url, name: 'recorded' }));
  runtime = await restSource(restDefinition(SDL, join(import.meta.dirname, 'fixtures', 'path-segments.yaml')), { url: server.url, timeoutMs: 2_000, headers: {} }, sourceDeps());
});

after(async () => {
  await runtime?.close();
  await server?.close();
});

beforeEach(() => {
  server.hits.length = 0;
});

for (const upc of ['..', '.']) {
  test(`an argument "${upc}" is refused before any call, as BAD_USER_INPUT at the field`, async () => {
    const result = await run(runtime, `{ product(upc: ${JSON.stringify(upc)}) { upc } }`);
    assert.deepEqual(result.data, { product: null });
    assert.equal(result.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
    assert.match(result.errors?.[0]?.message ?? '', new RegExp(`path segment "${upc.replace(/\./g, '\\.')}"`));
    assert.deepEqual(server.hits, []);
  });
}

test('two values that together make ".." are refused too', async () => {
  const result = await run(runtime, '{ variant(upc: ".", suffix: ".") { upc } }');
  assert.equal(result.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  assert.deepEqual(server.hits, []);
});

test('a list whose elements are dots stays inside its segment (commas are literal)', async () => {
  const result = await run(runtime, '{ tagged(tags: ["..", ".."]) { upc } }');
  assert.deepEqual(result.errors, undefined);
  assert.deepEqual(server.hits.map((hit) => hit.url), ['/tags/..,..']);
});

test('percent-encoded and slash-carrying spellings reach the backend as one encoded segment', async () => {
  for (const upc of ['%2e%2e', '%2E.', '../admin', '..%2fadmin', '...', '.hidden', 'v1.2']) {
    const result = await run(runtime, `{ product(upc: ${JSON.stringify(upc)}) { upc } }`);
    assert.deepEqual(result.errors, undefined, upc);
  }
  assert.deepEqual(server.hits.map((hit) => hit.url), [
    '/products/%252e%252e',
    '/products/%252E.',
    '/products/..%2Fadmin',
    '/products/..%252fadmin',
    '/products/...',
    '/products/.hidden',
    '/products/v1.2',
  ]);
  // Each one is a single segment under /products: none reaches another route.
  for (const hit of server.hits) assert.equal(new URL(hit.url, 'http://backend').pathname.split('/').length, 3, hit.url);
});
