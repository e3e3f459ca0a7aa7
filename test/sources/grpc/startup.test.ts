import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { grpcSource } from '../../../gateway/src/sources/grpc/index.js';
import type { SourceDefinition } from '../../../gateway/src/sources/types.js';
import { grpcDefinition } from './harness.js';
import { sourceDeps } from '../../support/sources.js';

// Nothing listens there: start-up must fail (or succeed) without a call.
const settings = { url: '127.0.0.1:9', timeoutMs: 1_000, headers: {} };
const METHODS = 'GetStock, GetStockBatch, Reserve, GetWarehouse, Fail, Watch';
const PRODUCT = 'type Product { upc: ID! quantity: Int! }';

async function startupError(sdl: string, overrides: Partial<SourceDefinition> = {}, url = settings.url): Promise<Error & { code?: string; details?: unknown }> {
  try {
    const runtime = await grpcSource(grpcDefinition(sdl, overrides), { ...settings, url }, sourceDeps());
    await runtime.close();
  } catch (error) {
    return error as Error & { code?: string };
  }
  assert.fail('expected the adapter to refuse the schema');
}

test('a method the service does not declare names file, field, method, service and its methods', async () => {
  const error = await startupError(`${PRODUCT} type Query { stock(upc: ID!): Product @grpc(method: "GetStok", request: { upc: "{args.upc}" }) }`);
  assert.equal(error.code, 'SCHEMA_INVALID');
  assert.deepEqual(error.details, { source: 'inventory' });
  assert.equal(
    error.message,
    `schema/inventory.graphql: Query.stock is @grpc(method: "GetStok"), but service inventory.Inventory in test/sources/grpc/fixtures/inventory.proto has no such method. Its methods: ${METHODS}.`,
  );
});

test('a streaming method is refused', async () => {
  const error = await startupError(`${PRODUCT} type Query { watch(upc: ID!): Product @grpc(method: "Watch", request: { upc: "{args.upc}" }) }`);
  assert.equal(error.message, 'schema/inventory.graphql: Query.watch is @grpc(method: "Watch"), a streaming method; only unary methods can serve a field.');
});

test('a service the proto does not declare is refused, listing its services', async () => {
  const error = await startupError(`${PRODUCT} type Query { stock: Product @grpc(method: "GetStock") }`, { service: 'inventory.Nope' });
  assert.equal(error.code, 'SCHEMA_INVALID');
  assert.equal(error.message, 'schema/inventory.graphql: test/sources/grpc/fixtures/inventory.proto declares no service inventory.Nope. Its services: inventory.Inventory.');
});

test('a message type is not a service', async () => {
  const error = await startupError(`${PRODUCT} type Query { stock: Product @grpc(method: "GetStock") }`, { service: 'inventory.Stock' });
  assert.match(error.message, /declares no service inventory\.Stock\./);
});

test('a proto that cannot be loaded is refused naming it', async () => {
  const missing = join(import.meta.dirname, 'fixtures', 'missing.proto');
  const error = await startupError(`${PRODUCT} type Query { stock: Product @grpc(method: "GetStock") }`, { proto: missing });
  assert.equal(error.code, 'SCHEMA_INVALID');
  assert.match(error.message, /^schema\/inventory\.graphql: the proto file test\/sources\/grpc\/fixtures\/missing\.proto of source "inventory" cannot be loaded: /);
});

test('a GRPC source without proto or service is refused', async () => {
  const noProto = await startupError(`${PRODUCT} type Query { stock: Product @grpc(method: "GetStock") }`, { proto: undefined });
  assert.equal(noProto.message, 'schema/inventory.graphql: source "inventory" is GRPC but @source lacks proto: "path/to/file.proto".');
  const noService = await startupError(`${PRODUCT} type Query { stock: Product @grpc(method: "GetStock") }`, { service: undefined });
  assert.equal(noService.message, 'schema/inventory.graphql: source "inventory" is GRPC but @source lacks service: "package.Service".');
});

test('a root field without @grpc, or with @rest, is refused', async () => {
  const bare = await startupError(`${PRODUCT} type Query { stock(upc: ID!): Product }`);
  assert.equal(bare.message, 'schema/inventory.graphql: Query.stock has no @grpc; every root field of a GRPC source says how it is fetched.');
  const rest = await startupError(`${PRODUCT} type Query { stock(upc: ID!): Product @rest(path: "/stock") }`);
  assert.equal(rest.message, 'schema/inventory.graphql: Query.stock uses @rest, but source "inventory" is GRPC; use @grpc.');
});

test('request placeholders are checked against the field', async () => {
  const unknownArg = await startupError(`${PRODUCT} type Query { stock(upc: ID!): Product @grpc(method: "GetStock", request: { upc: "{args.id}" }) }`);
  assert.equal(unknownArg.message, 'schema/inventory.graphql: Query.stock @grpc(request:): {args.id} names no argument of Query.stock (its arguments: upc).');
  const parent = await startupError(`${PRODUCT} type Query { stock: Product @grpc(method: "GetStock", request: { upc: "{parent.upc}" }) }`);
  assert.equal(parent.message, 'schema/inventory.graphql: Query.stock @grpc(request:): {parent.upc} is used on root field Query.stock, which has no parent object.');
  const root = await startupError(`${PRODUCT} type Query { stock(upc: ID!): Product @grpc(method: "GetStock", request: { upc: "{arg.upc}" }) }`);
  assert.equal(
    root.message,
    'schema/inventory.graphql: Query.stock @grpc(request:): template "{arg.upc}" uses {arg.upc}, but a placeholder must start with args, parent or context.',
  );
});

test('a deadlineMs that is not positive is refused', async () => {
  const error = await startupError(`${PRODUCT} type Query { stock: Product @grpc(method: "GetStock", deadlineMs: 0) }`);
  assert.equal(error.message, 'schema/inventory.graphql: Query.stock @grpc(deadlineMs:): expected a positive number of milliseconds, received 0.');
});

test('a URL that is neither host:port nor grpc://host:port is CONFIG_INVALID', async () => {
  const error = await startupError(`${PRODUCT} type Query { stock: Product @grpc(method: "GetStock") }`, {}, 'http://127.0.0.1:9');
  assert.equal(error.code, 'CONFIG_INVALID');
  assert.equal(error.message, 'Source "inventory": url "http://127.0.0.1:9" is not host:port or grpc://host:port (config sources.inventory.url).');
});

test('a valid declaration starts without reaching the source', async () => {
  const runtime = await grpcSource(grpcDefinition(`${PRODUCT} type Query { stock(upc: ID!): Product @grpc(method: "GetStock", request: { upc: "{args.upc}" }) }`), settings, sourceDeps());
  assert.equal(runtime.name, 'inventory');
  await runtime.close();
});
