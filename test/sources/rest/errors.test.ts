import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { restSource } from '../../../gateway/src/sources/rest/index.js';
import type { SourceRuntime } from '../../../gateway/src/sources/types.js';
import { restDefinition, run, sendJson, startServer, type TestServer } from './harness.js';
import { sourceDeps } from '../../support/sources.js';

const SDL = /* GraphQL */ `
  type Product { upc: ID! name: String }
  type Query {
    status(code: Int!): Product @rest(path: "/status/{args.code}")
    lenient(code: Int!): Product @rest(path: "/status/{args.code}", errorStatus: [[404, null], [409, "BAD_USER_INPUT"]])
    text: Product @rest(path: "/text")
    broken: Product @rest(path: "/broken")
    slow: Product @rest(path: "/slow")
  }
`;

let server: TestServer;
let runtime: SourceRuntime;
const settings = (url: string): { url: string; timeoutMs: number; headers: Record<string, string> } => ({ url, timeoutMs: 300, headers: {} });

before(async () => {
  server = await startServer((hit, response) => {
    const status = /^\/status\/(\d+)$/.exec(hit.url);
    if (status) {
      const code = Number(status[1]);
      const message = code === 422 ? `quantity must be positive ${'x'.repeat(300)}` : code >= 500 ? 'db 10.0.0.7 password=hunter2 failed' : `reason for ${code}`;
      return sendJson(response, code, { message, secret: 'hunter2' });
    }
    if (hit.url === '/text') {
      response.writeHead(200, { 'content-type': 'text/html' });
      return response.end('<html>hello</html>');
    }
    if (hit.url === '/broken') {
      response.writeHead(200, { 'content-type': 'application/json' });
      return response.end('{"upc": ');
    }
    if (hit.url === '/slow') {
      setTimeout(() => sendJson(response, 200, { upc: 'late' }), 2_000).unref();
      return;
    }
    sendJson(response, 200, { ok: true });
  });
  runtime = await restSource(restDefinition(SDL), settings(server.url), sourceDeps());
});

after(async () => {
  await runtime?.close();
  await server?.close();
});

const mapping: Array<[number, string]> = [
  [400, 'BAD_USER_INPUT'],
  [422, 'BAD_USER_INPUT'],
  [401, 'UNAUTHENTICATED'],
  [403, 'FORBIDDEN'],
  [404, 'NOT_FOUND'],
  [429, 'RATE_LIMITED'],
  [409, 'UPSTREAM_ERROR'],
  [500, 'UPSTREAM_ERROR'],
  [503, 'UPSTREAM_ERROR'],
];

for (const [status, code] of mapping) {
  test(`HTTP ${status} becomes ${code} with the source and status`, async () => {
    const result = await run(runtime, `{ status(code: ${status}) { upc } }`);
    assert.deepEqual(result.data, { status: null });
    const [error] = result.errors ?? [];
    assert.deepEqual(error?.extensions, { code, source: 'products', status });
    assert.deepEqual(error?.path, ['status']);
    assert.doesNotMatch(error?.message ?? '', /hunter2|secret/);
  });
}

test('a 4xx quotes the upstream message; a 5xx never does', async () => {
  const notFound = await run(runtime, '{ status(code: 404) { upc } }');
  assert.equal(notFound.errors?.[0]?.message, 'Source "products" answered HTTP 404. Upstream message: "reason for 404".');
  const failed = await run(runtime, '{ status(code: 500) { upc } }');
  assert.equal(failed.errors?.[0]?.message, 'Source "products" answered HTTP 500.');
});

test('a long upstream message is cut at 200 characters', async () => {
  const result = await run(runtime, '{ status(code: 422) { upc } }');
  const quoted = `quantity must be positive ${'x'.repeat(300)}`.slice(0, 200);
  assert.equal(result.errors?.[0]?.message, `Source "products" answered HTTP 422. Upstream message: "${quoted}...".`);
});

test('errorStatus answers a status as null or as another code', async () => {
  const missing = await run(runtime, '{ lenient(code: 404) { upc } }');
  assert.deepEqual(missing, { data: { lenient: null } });
  const conflict = await run(runtime, '{ lenient(code: 409) { upc } }');
  assert.deepEqual(conflict.errors?.[0]?.extensions, { code: 'BAD_USER_INPUT', source: 'products', status: 409 });
  const other = await run(runtime, '{ lenient(code: 403) { upc } }');
  assert.equal(other.errors?.[0]?.extensions?.code, 'FORBIDDEN');
});

test('a 2xx body that is not JSON is UPSTREAM_BAD_RESPONSE', async () => {
  const text = await run(runtime, '{ text { upc } }');
  assert.deepEqual(text.errors?.[0], {
    message: 'Source "products" answered with text/html, not JSON.',
    locations: [{ line: 1, column: 3 }],
    path: ['text'],
    extensions: { code: 'UPSTREAM_BAD_RESPONSE', source: 'products', status: 200 },
  });
  const broken = await run(runtime, '{ broken { upc } }');
  assert.equal(broken.errors?.[0]?.message, 'Source "products" answered with a body that is not valid JSON.');
  assert.equal(broken.errors?.[0]?.extensions?.code, 'UPSTREAM_BAD_RESPONSE');
});

test('a source slower than its timeout is UPSTREAM_TIMEOUT', async () => {
  const result = await run(runtime, '{ slow { upc } }');
  assert.deepEqual(result.errors?.[0]?.extensions, { code: 'UPSTREAM_TIMEOUT', source: 'products' });
  assert.equal(result.errors?.[0]?.message, 'Source "products" did not answer within 300 ms.');
});

test('check() resolves for a source that answers, whatever the status', async () => {
  await runtime.check();
  assert.equal(server.hits.at(-1)?.url, '/');
});

test('a source that is down: calls are UPSTREAM_UNAVAILABLE and check() rejects naming the source', async () => {
  const down = await startServer(() => undefined);
  await down.close();
  const orphan = await restSource(restDefinition(SDL), settings(down.url), sourceDeps());
  try {
    const result = await run(orphan, '{ status(code: 200) { upc } }');
    assert.deepEqual(result.errors?.[0]?.extensions, { code: 'UPSTREAM_UNAVAILABLE', source: 'products' });
    assert.equal(result.errors?.[0]?.message, 'Source "products" is unreachable (ECONNREFUSED).');
    await assert.rejects(orphan.check(), { code: 'UPSTREAM_UNAVAILABLE', message: 'Source "products" is unreachable (ECONNREFUSED).' });
  } finally {
    await orphan.close();
  }
});
