import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { grpcSource } from '../../../gateway/src/sources/grpc/index.js';
import type { SourceRuntime } from '../../../gateway/src/sources/types.js';
import { grpcDefinition, run, startGrpcServer, type TestGrpcServer } from './harness.js';
import { sourceDeps } from '../../support/sources.js';

const SDL = /* GraphQL */ `
  type Product {
    upc: ID!
    inStock: Boolean!
    quantity: Int!
    totalSold: String!
    status: String!
    warehouse: Warehouse @grpc(method: "GetWarehouse", request: { id: "{parent.warehouseId}" })
  }
  type Warehouse { id: ID! city: String! }
  type Reservation { id: ID! upc: ID! quantity: Int! }
  type Query {
    stock(upc: ID!): Product @grpc(method: "GetStock", request: { upc: "{args.upc}" })
    stockByUpc(upcs: [ID!]!): [Product]! @grpc(method: "GetStockBatch", request: { upcs: "{args.upcs}" }, resultPath: "items") @lookup(key: "upc") @internal
  }
  type Mutation {
    reserve(upc: ID!, quantity: Int!): Reservation! @grpc(method: "Reserve", request: { upc: "{args.upc}", quantity: "{args.quantity}" })
  }
`;

const stock = (upc: string): Record<string, unknown> => ({ upc, inStock: upc !== '0', quantity: Number(upc) * 10, totalSold: '9007199254740993', status: 'ACTIVE', warehouseId: `w${upc}` });

let server: TestGrpcServer;
let runtime: SourceRuntime;

before(async () => {
  server = await startGrpcServer({
    GetStock: (request) => stock(String(request.upc)),
    // Out of order and without "9": the adapter puts them back in key order.
    GetStockBatch: (request) => ({ items: (request.upcs as string[]).filter((upc) => upc !== '9').reverse().map(stock) }),
    GetWarehouse: (request) => ({ id: request.id, city: `City of ${String(request.id)}` }),
    Reserve: (request) => ({ id: `res-${server.calls.length}`, upc: request.upc, quantity: request.quantity }),
  });
  runtime = await grpcSource(grpcDefinition(SDL), { url: `grpc://${server.url}`, timeoutMs: 2_000, headers: { authorization: 'Bearer from-config' } }, sourceDeps());
});

after(async () => {
  await runtime?.close();
  await server?.close();
});

beforeEach(() => {
  server.calls.length = 0;
});

test('the runtime has an executor and the schema keeps the directives on the fields', () => {
  assert.equal(runtime.name, 'inventory');
  assert.equal(typeof runtime.executor, 'function');
  const field = runtime.schema.getQueryType()?.getFields().stockByUpc;
  assert.deepEqual(field?.astNode?.directives?.map((directive) => directive.name.value), ['grpc', 'lookup', 'internal']);
});

test('the request is rendered from its template; camelCase fields, int64 and enums as strings come back', async () => {
  const result = await run(runtime, '{ stock(upc: "4") { upc inStock quantity totalSold status } }', '00-abc-def-01');
  assert.deepEqual(result, { data: { stock: { upc: '4', inStock: true, quantity: 40, totalSold: '9007199254740993', status: 'ACTIVE' } } });
  const [call] = server.calls;
  assert.equal(call?.method, 'GetStock');
  assert.deepEqual(call?.request, { upc: '4' });
  assert.equal(call?.metadata['x-request-id'], 'r1');
  assert.equal(call?.metadata.traceparent, '00-abc-def-01');
  assert.equal(call?.metadata.authorization, 'Bearer from-config');
});

test('resultPath digs out the list; a lookup answers in key order, null for a missing key', async () => {
  const result = await run(runtime, '{ stockByUpc(upcs: ["3", "1", "9", "2"]) { upc quantity } }');
  assert.deepEqual(result, {
    data: { stockByUpc: [{ upc: '3', quantity: 30 }, { upc: '1', quantity: 10 }, null, { upc: '2', quantity: 20 }] },
  });
  assert.deepEqual(server.calls.map((call) => call.request), [{ upcs: ['3', '1', '9', '2'] }]);
});

test('a field-level @grpc renders {parent.x} from the parent message', async () => {
  const result = await run(runtime, '{ stock(upc: "5") { upc warehouse { id city } } }');
  assert.deepEqual(result, { data: { stock: { upc: '5', warehouse: { id: 'w5', city: 'City of w5' } } } });
  assert.deepEqual(server.calls.map((call) => [call.method, call.request]), [['GetStock', { upc: '5' }], ['GetWarehouse', { id: 'w5' }]]);
});

test('identical query calls within one request are made once', async () => {
  const result = await run(runtime, '{ a: stock(upc: "1") { upc } b: stock(upc: "1") { quantity } c: stock(upc: "2") { upc } }');
  assert.deepEqual(result, { data: { a: { upc: '1' }, b: { quantity: 10 }, c: { upc: '2' } } });
  assert.deepEqual(server.calls.map((call) => call.request).sort((x, y) => String(x.upc).localeCompare(String(y.upc))), [{ upc: '1' }, { upc: '2' }]);
});

test('identical mutation calls are each made', async () => {
  const result = await run(runtime, 'mutation { a: reserve(upc: "1", quantity: 2) { id quantity } b: reserve(upc: "1", quantity: 2) { id } }');
  assert.deepEqual(result, { data: { a: { id: 'res-1', quantity: 2 }, b: { id: 'res-2' } } });
  assert.equal(server.calls.length, 2);
});
