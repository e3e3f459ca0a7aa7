import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { restSource } from '../../../gateway/src/sources/rest/index.js';
import { restDefinition } from './harness.js';
import { sourceDeps } from '../../support/sources.js';

// Nothing listens there: start-up must fail before any call is made.
const settings = { url: 'http://127.0.0.1:9', timeoutMs: 1_000, headers: {} };
const OPERATIONS = 'GET /products, GET /products/{upc}, GET /products/batch, GET /products/{upc}/reviews, POST /orders, GET /status/{code}, GET /text, GET /broken, GET /slow';
const PRODUCT = 'type Product { upc: ID! name: String }';

async function startupError(sdl: string, openapi?: string): Promise<unknown> {
  try {
    const runtime = await restSource(restDefinition(sdl, openapi), settings, sourceDeps());
    await runtime.close();
  } catch (error) {
    return error;
  }
  assert.fail('expected the adapter to refuse the schema');
}

function assertInvalid(error: unknown, message: string): void {
  assert.equal((error as { code?: string }).code, 'SCHEMA_INVALID');
  assert.deepEqual((error as { details?: unknown }).details, { source: 'products' });
  assert.equal((error as Error).message, message);
}

test('a path the OpenAPI document does not declare names file, field, method, path and the operations', async () => {
  const error = await startupError(`${PRODUCT} type Query { product(upc: ID!): Product @rest(path: "/product/{args.upc}") }`);
  assertInvalid(
    error,
    `schema/products.graphql: Query.product is @rest(method: GET, path: "/product/{args.upc}"), but test/sources/rest/fixtures/openapi.yaml has no such operation. Its operations: ${OPERATIONS}.`,
  );
});

test('a method the path does not take is refused too', async () => {
  const error = await startupError(`${PRODUCT} type Query { a: Int @rest(path: "/products") } type Mutation { add(upc: ID!): Product @rest(method: POST, path: "/products/{args.upc}") }`);
  assertInvalid(
    error,
    `schema/products.graphql: Mutation.add is @rest(method: POST, path: "/products/{args.upc}"), but test/sources/rest/fixtures/openapi.yaml has no such operation. Its operations: ${OPERATIONS}.`,
  );
});

test('placeholders match the document whatever they are named', async () => {
  const runtime = await restSource(restDefinition(`${PRODUCT} type Query { p(id: ID!): Product @rest(path: "/products/{args.id}/reviews") }`), settings, sourceDeps());
  await runtime.close();
});

test('a root field without @rest is refused', async () => {
  const error = await startupError(`${PRODUCT} type Query { product(upc: ID!): Product }`);
  assertInvalid(error, 'schema/products.graphql: Query.product has no @rest; every root field of a REST source says how it is fetched.');
});

test('@grpc in a REST source is refused', async () => {
  const error = await startupError(`${PRODUCT} type Query { product(upc: ID!): Product @grpc(method: "GetProduct") }`);
  assertInvalid(error, 'schema/products.graphql: Query.product uses @grpc, but source "products" is REST; use @rest.');
});

test('a placeholder naming no argument is refused', async () => {
  const error = await startupError(`${PRODUCT} type Query { product(upc: ID!): Product @rest(path: "/products/{args.id}") }`);
  assertInvalid(error, 'schema/products.graphql: Query.product @rest(path:): {args.id} names no argument of Query.product (its arguments: upc).');
});

test('{parent.x} on a root field is refused', async () => {
  const error = await startupError(`${PRODUCT} type Query { product: Product @rest(path: "/products", query: { limit: "{parent.n}" }) }`);
  assertInvalid(error, 'schema/products.graphql: Query.product @rest(query:): {parent.n} is used on root field Query.product, which has no parent object.');
});

test('a placeholder with an unknown root is refused', async () => {
  const error = await startupError(`${PRODUCT} type Query { product(upc: ID!): Product @rest(path: "/products/{upc}") }`);
  assert.equal((error as { code?: string }).code, 'SCHEMA_INVALID');
  assert.equal(
    (error as Error).message,
    'schema/products.graphql: Query.product @rest(path:): template "/products/{upc}" uses {upc}, but a placeholder must start with args, parent or context.',
  );
});

test('a bad errorStatus and a bad resultPath are refused', async () => {
  const status = await startupError(`${PRODUCT} type Query { p: Product @rest(path: "/products", errorStatus: [[200, null]]) }`);
  assertInvalid(status, 'schema/products.graphql: Query.p @rest(errorStatus:): 200 is not an HTTP error status (400-599).');
  const code = await startupError(`${PRODUCT} type Query { p: Product @rest(path: "/products", errorStatus: [[404, "GONE"]]) }`);
  assert.match((code as Error).message, /^schema\/products\.graphql: Query\.p @rest\(errorStatus:\): "GONE" for 404 is neither null nor an error code \(BAD_REQUEST, /);
  const path = await startupError(`${PRODUCT} type Query { p: Product @rest(path: "/products", resultPath: "data..items") }`);
  assert.equal((path as Error).message, 'schema/products.graphql: Query.p @rest(resultPath:): resultPath "data..items" has an empty segment; write it as "a.b.c".');
});

test('a path with a query string is refused', async () => {
  const error = await startupError(`${PRODUCT} type Query { p: Product @rest(path: "/products?limit=1") }`);
  assertInvalid(error, 'schema/products.graphql: Query.p @rest(path:): path must start with "/" and hold no query string (use query:), received "/products?limit=1".');
});

test('SDL that does not build is refused naming the file', async () => {
  const error = await startupError('type Query { p: Missing @rest(path: "/products") }');
  assert.equal((error as { code?: string }).code, 'SCHEMA_INVALID');
  assert.match((error as Error).message, /^schema\/products\.graphql: the SDL of source "products" is not valid: .*Missing/);
});

test('a missing or invalid OpenAPI document is refused naming it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'openclaw-rest-'));
  try {
    const invalid = join(dir, 'openapi.yaml');
    await writeFile(invalid, 'openapi: 3.0.3\ninfo: { title: x }\npaths: {}\n');
    const error = await startupError(`${PRODUCT} type Query { p: Product @rest(path: "/products") }`, invalid);
    assert.equal((error as { code?: string }).code, 'SCHEMA_INVALID');
    assert.match((error as Error).message, new RegExp(`^schema/products\\.graphql: the OpenAPI document ${invalid.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} of source "products" is not valid: `));
    const missing = await startupError(`${PRODUCT} type Query { p: Product @rest(path: "/products") }`, join(dir, 'nope.yaml'));
    assert.equal((missing as { code?: string }).code, 'SCHEMA_INVALID');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a REST source without openapi is refused', async () => {
  const definition = { ...restDefinition(`${PRODUCT} type Query { p: Product @rest(path: "/products") }`), openapi: undefined };
  await assert.rejects(restSource(definition, settings, sourceDeps()), {
    code: 'SCHEMA_INVALID',
    message: 'schema/products.graphql: source "products" is REST but @source has no openapi: "path/to/openapi.yaml".',
  });
});

test('a URL that is not absolute is CONFIG_INVALID', async () => {
  await assert.rejects(restSource(restDefinition(`${PRODUCT} type Query { p: Product @rest(path: "/products") }`), { ...settings, url: 'products:4001' }, sourceDeps()), {
    code: 'CONFIG_INVALID',
    message: 'Source "products": url "products:4001" is not an absolute http(s) URL (config sources.products.url).',
  });
});
