import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { status } from '@grpc/grpc-js';
import { grpcSource } from '../../../gateway/src/sources/grpc/index.js';
import type { SourceRuntime } from '../../../gateway/src/sources/types.js';
import { grpcDefinition, run, startGrpcServer, type TestGrpcServer } from './harness.js';
import { sourceDeps } from '../../support/sources.js';
import { createLogger } from '../../../gateway/src/telemetry/logger.js';

/** What the source logged: the full story of each failure, under the request id. */
const logged: Array<Record<string, unknown>> = [];
const logger = createLogger('debug', (line) => logged.push(JSON.parse(line) as Record<string, unknown>));

const SDL = /* GraphQL */ `
  type Product { upc: ID! quantity: Int! }
  type Query {
    fail(code: Int!, details: String): Product @grpc(method: "Fail", request: { code: "{args.code}", details: "{args.details}" })
    slow: Product @grpc(method: "Fail", request: { delayMs: 1000 }, deadlineMs: 100)
    stock(upc: ID!): Product @grpc(method: "GetStock", request: { upc: "{args.upc}" })
  }
`;

let server: TestGrpcServer;
let runtime: SourceRuntime;

before(async () => {
  server = await startGrpcServer({
    GetStock: (request) => ({ upc: request.upc, quantity: 1 }),
    Fail: async (request) => {
      const delay = Number(request.delayMs);
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay).unref());
      throw { code: request.code, details: request.details };
    },
  });
  runtime = await grpcSource(grpcDefinition(SDL), { url: server.url, timeoutMs: 2_000, headers: {} }, sourceDeps(logger));
});

after(async () => {
  await runtime?.close();
  await server?.close();
});

const mapping: Array<[keyof typeof status, string]> = [
  ['INVALID_ARGUMENT', 'BAD_USER_INPUT'],
  ['FAILED_PRECONDITION', 'BAD_USER_INPUT'],
  ['OUT_OF_RANGE', 'BAD_USER_INPUT'],
  ['NOT_FOUND', 'NOT_FOUND'],
  ['UNAUTHENTICATED', 'UNAUTHENTICATED'],
  ['PERMISSION_DENIED', 'FORBIDDEN'],
  ['RESOURCE_EXHAUSTED', 'RATE_LIMITED'],
  ['UNAVAILABLE', 'UPSTREAM_UNAVAILABLE'],
  ['DEADLINE_EXCEEDED', 'UPSTREAM_TIMEOUT'],
  ['ALREADY_EXISTS', 'UPSTREAM_ERROR'],
  ['INTERNAL', 'UPSTREAM_ERROR'],
  ['UNKNOWN', 'UPSTREAM_ERROR'],
  ['UNIMPLEMENTED', 'UPSTREAM_ERROR'],
];

for (const [name, code] of mapping) {
  test(`gRPC ${name} becomes ${code} with the source and status`, async () => {
    const result = await run(runtime, `{ fail(code: ${status[name]}, details: "db=10.0.0.7") { upc } }`);
    assert.deepEqual(result.data, { fail: null });
    const [error] = result.errors ?? [];
    assert.deepEqual(error?.extensions, { code, source: 'inventory', grpcStatus: name });
    assert.deepEqual(error?.path, ['fail']);
    assert.match(error?.message ?? '', /^Source "inventory" /);
    assert.doesNotMatch(error?.message ?? '', /Fail/, 'the client never learns the backend method');
  });
}

test('the message names source and status, and quotes a caller status details (cut at 200)', async () => {
  const notFound = await run(runtime, '{ fail(code: 5, details: "no stock record for 42") { upc } }');
  assert.equal(notFound.errors?.[0]?.message, 'Source "inventory" answered gRPC status NOT_FOUND. Upstream message: "no stock record for 42".');
  const long = 'y'.repeat(250);
  const invalid = await run(runtime, `{ fail(code: 3, details: "${long}") { upc } }`);
  assert.equal(invalid.errors?.[0]?.message, `Source "inventory" answered gRPC status INVALID_ARGUMENT. Upstream message: "${long.slice(0, 200)}...".`);
});

test('the log has the method and the status under the request id', async () => {
  logged.length = 0;
  await run(runtime, '{ fail(code: 5, details: "no stock record for 42") { upc } }');
  const record = logged.find((entry) => entry.msg === 'upstream call failed');
  assert.equal(record?.requestId, 'r1');
  assert.equal(record?.source, 'inventory');
  assert.equal(record?.call, 'Fail');
  assert.equal(record?.grpcStatus, 'NOT_FOUND');
});

test('the details of a server-side failure are never passed on', async () => {
  const internal = await run(runtime, '{ fail(code: 13, details: "panic at db.go:42 password=hunter2") { upc } }');
  assert.equal(internal.errors?.[0]?.message, 'Source "inventory" answered gRPC status INTERNAL.');
  const unavailable = await run(runtime, '{ fail(code: 14, details: "backend 10.0.0.7 down") { upc } }');
  assert.equal(unavailable.errors?.[0]?.message, 'Source "inventory" is unreachable (gRPC status UNAVAILABLE).');
});

test('a call past its deadlineMs is UPSTREAM_TIMEOUT', async () => {
  const result = await run(runtime, '{ slow { upc } }');
  assert.deepEqual(result.errors?.[0]?.extensions, { code: 'UPSTREAM_TIMEOUT', source: 'inventory', grpcStatus: 'DEADLINE_EXCEEDED' });
  assert.equal(result.errors?.[0]?.message, 'Source "inventory" did not answer within 100 ms.');
});

test('check() resolves when the channel is ready', async () => {
  await runtime.check();
});

test('a source that is down: calls are UPSTREAM_UNAVAILABLE and check() rejects naming the source', async () => {
  const down = await startGrpcServer({});
  await down.close();
  const orphan = await grpcSource(grpcDefinition(SDL), { url: down.url, timeoutMs: 300, headers: {} }, sourceDeps());
  try {
    const result = await run(orphan, '{ stock(upc: "1") { upc } }');
    assert.deepEqual(result.errors?.[0]?.extensions, { code: 'UPSTREAM_UNAVAILABLE', source: 'inventory', grpcStatus: 'UNAVAILABLE' });
    assert.equal(result.errors?.[0]?.message, 'Source "inventory" is unreachable (gRPC status UNAVAILABLE).');
    await assert.rejects(orphan.check(), (error: Error & { code?: string }) => {
      assert.equal(error.code, 'UPSTREAM_UNAVAILABLE');
      assert.equal(error.message, 'Source "inventory" is unreachable (not ready).');
      return true;
    });
  } finally {
    await orphan.close();
  }
});
