/**
 * Every documented error code is the one actually sent: each code a client can cause is
 * triggered through the real HTTP door, and the code and HTTP status it gets are compared with
 * the table in docs/errors.md. Start-up codes are checked on `startGateway`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveConfig, startGateway, type GatewayPlugin } from '../../gateway/src/index.js';
import { ERROR_CODES, GatewayError, isGatewayError, type ErrorCode } from '../../gateway/src/errors/index.js';
import { REPO_ROOT, startDemoGateway, type DemoGateway } from '../support/demo-gateway.js';

/** docs/errors.md's table: code -> documented HTTP status. */
async function documented(): Promise<Map<string, number>> {
  const doc = await readFile(join(REPO_ROOT, 'docs', 'errors.md'), 'utf8');
  return new Map([...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((match) => [match[1] ?? '', Number(match[2])]));
}

interface Sent {
  status: number;
  codes: string[];
}

let demo: DemoGateway;
const seen = new Map<string, number[]>();

/** A plugin that refuses with INTERNAL_SERVER_ERROR's cause (a plain Error) when asked to. */
const failing: GatewayPlugin = {
  name: 'fail-on-demand',
  onRequest(exchange) {
    if (exchange.req.headers['x-test-fail'] === 'plain') throw new Error('boom');
  },
};

before(async () => {
  demo = await startDemoGateway({ server: { bodyLimitBytes: 4096 }, sources: { inventory: { timeoutMs: 300 } } }, { plugins: [failing] });
});
after(async () => {
  await demo.close();
});

async function send(path: string, init: RequestInit = {}): Promise<Sent> {
  const response = await fetch(`${demo.origin}${path}`, init);
  const text = await response.text();
  const body = JSON.parse(text) as { errors?: Array<{ extensions?: { code?: string } }> };
  const codes = (body.errors ?? []).map((error) => String(error.extensions?.code));
  for (const code of codes) seen.set(code, [...(seen.get(code) ?? []), response.status]);
  return { status: response.status, codes };
}

const json = { 'content-type': 'application/json', accept: 'application/graphql-response+json' };
const post = (body: unknown, headers: Record<string, string> = json) => send('/graphql', { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** A whole-request refusal: the documented status and exactly this code. */
async function refused(sent: Promise<Sent>, code: ErrorCode): Promise<void> {
  const { status, codes } = await sent;
  assert.deepEqual(codes, [code]);
  assert.equal(status, (await documented()).get(code), `${code} is sent with its documented status`);
}

test('request-level codes are sent with their documented status', async () => {
  await refused(post('{"query": '), 'BAD_REQUEST');
  await refused(post({ query: '{ me { name }' }), 'GRAPHQL_PARSE_FAILED');
  await refused(post({ query: '{ me { colour } }' }), 'GRAPHQL_VALIDATION_FAILED');
  // The graph has no subscription type: refused before any engine sees it.
  await refused(post({ query: 'subscription { x }' }), 'GRAPHQL_VALIDATION_FAILED');
  await refused(post({ query: 'query Q($upc: ID!) { product(upc: $upc) { name } }', variables: { upc: { no: 1 } } }), 'BAD_USER_INPUT');
  await refused(post({ query: '{ me { name } }', operationName: 'Nope' }), 'OPERATION_RESOLUTION_FAILURE');
  // topProducts is sized by its `first` (@listSize): 100000 products exceed demandControl.maxCost.
  await refused(post({ query: '{ topProducts(first: 100000) { name } }' }), 'COST_ESTIMATED_TOO_EXPENSIVE');
  await refused(send(`/graphql?query=${encodeURIComponent('mutation { placeOrder(input: {userId: "1", upc: "1", quantity: 1}) { id } }')}`), 'METHOD_NOT_ALLOWED');
  await refused(send('/graphql', { method: 'PUT', headers: json, body: '{}' }), 'METHOD_NOT_ALLOWED');
  await refused(post({ query: '{ me { name } }' }, { 'content-type': 'application/json', accept: 'text/csv' }), 'NOT_ACCEPTABLE');
  await refused(post({ query: `{ me { name } } # ${'x'.repeat(8000)}` }), 'PAYLOAD_TOO_LARGE');
  await refused(post('query={me{name}}', { 'content-type': 'application/x-www-form-urlencoded' }), 'UNSUPPORTED_MEDIA_TYPE');
  await refused(send('/no-such-route'), 'NOT_FOUND');
  // Neither a manifest nor APQ: an Apollo client told this stops sending hashes.
  await refused(post({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }), 'PERSISTED_QUERY_NOT_SUPPORTED');
  await refused(send('/graphql', { method: 'POST', headers: { ...json, 'x-test-fail': 'plain' }, body: '{}' }), 'INTERNAL_SERVER_ERROR');
});

test('field-level codes arrive in a 200 with their code and the source', async () => {
  const notFound = await post({ query: '{ product(upc: "999") { name } }' });
  assert.deepEqual(notFound, { status: 200, codes: ['NOT_FOUND'] });

  demo.subgraphs.inventory.failWith('slow');
  try {
    assert.deepEqual(await post({ query: '{ product(upc: "1") { inStock } }' }), { status: 200, codes: ['UPSTREAM_TIMEOUT'] });
  } finally {
    demo.subgraphs.inventory.failWith(null);
  }
  demo.subgraphs.products.failWith('error');
  try {
    assert.deepEqual(await post({ query: '{ product(upc: "1") { name } }' }), { status: 200, codes: ['UPSTREAM_ERROR'] });
  } finally {
    demo.subgraphs.products.failWith(null);
  }
});

test('a source that is down gives UPSTREAM_UNAVAILABLE', async () => {
  const own = await startDemoGateway();
  try {
    await own.subgraphs.accounts.close();
    const { body } = await own.query('{ me { name } }');
    assert.deepEqual(body.errors?.map((error) => error.extensions?.code), ['UPSTREAM_UNAVAILABLE']);
  } finally {
    await own.close();
  }
});

test('start-up codes: a bad config is CONFIG_INVALID, a bad schema SCHEMA_INVALID', async () => {
  assert.throws(() => resolveConfig({ server: { port: 'x' } }, { rootDir: REPO_ROOT }), (error: unknown) => isGatewayError(error) && error.code === 'CONFIG_INVALID');
  const config = resolveConfig({ schema: 'test/server/fixtures/broken.graphql', server: { port: 0 }, logging: { level: 'silent' } }, { rootDir: REPO_ROOT });
  await assert.rejects(startGateway(config), (error: unknown) => isGatewayError(error) && error.code === 'SCHEMA_INVALID');
});

test('every code sent above carries the status docs/errors.md gives it', async () => {
  const table = await documented();
  for (const [code, statuses] of seen) {
    assert.ok(code in ERROR_CODES, `${code} is a documented code`);
    for (const status of statuses) assert.ok(status === 200 || status === table.get(code), `${code} sent with ${status}`);
  }
  assert.equal(new GatewayError('RATE_LIMITED', 'x').httpStatus, table.get('RATE_LIMITED'));
});
