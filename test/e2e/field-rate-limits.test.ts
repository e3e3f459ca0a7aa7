/**
 * `@rateLimit(max:, window:, by:)` on fields, through HTTP against the demo backends, on a copy
 * of the repository's schema/ with three fields limited:
 *
 * - `Query.product` 2/min by IP, `Mutation.placeOrder` 3/min by API_KEY, `Query.orders` 2/min
 *   by SUBJECT (a real bearer token from a real OpenID provider);
 * - a field over its limit comes back null with `RATE_LIMITED` at its path, the rest of the
 *   data comes back, and the backend is not asked for it; aliases count, so a request of more
 *   aliases than the limit gets none of them;
 * - each IP, key and subject has its own count.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LOOPBACK_PROXIES, call } from '../support/api-keys-e2e.js';
import { REPO_ROOT } from '../support/demo-gateway.js';
import { startTokenGateway, type TokenGateway } from '../support/token-gateway.js';

/** Adds `directive` after the first occurrence of `after` in `text`; fails when it is not there. */
function annotate(text: string, after: string, directive: string): string {
  assert.ok(text.includes(after), `the schema still has ${after}`);
  return text.replace(after, `${after} ${directive}`);
}

/** schema/ copied beside it (its `../subgraphs` paths stay right), with the limits of this suite. */
async function limitedSchema(): Promise<string> {
  const dir = await mkdtemp(join(REPO_ROOT, '.field-rate-limits-'));
  for (const name of await readdir(join(REPO_ROOT, 'schema'))) {
    let text = await readFile(join(REPO_ROOT, 'schema', name), 'utf8');
    if (name === 'products.graphql') text = annotate(text, 'product(upc: ID!): Product @rest(path: "/products/{args.upc}")', '@rateLimit(max: 2, window: "min", by: IP)');
    if (name === 'orders.graphql') {
      text = annotate(text, 'placeOrder(input: PlaceOrderInput!): Order @rest(method: POST, path: "/orders", body: "{args.input}")', '@rateLimit(max: 3, window: "min")');
      text = annotate(text, 'orders(userId: ID!): [Order!] @rest(path: "/orders", query: { userId: "{args.userId}" })', '@rateLimit(max: 2, window: "1min", by: SUBJECT)');
    }
    await writeFile(join(dir, name), text);
  }
  return dir;
}

function order(alias: string): string {
  return `${alias}: placeOrder(input: { userId: "1", upc: "2", quantity: 1 }) { id }`;
}

describe('field rate limits (@rateLimit)', () => {
  let gateway: TokenGateway;
  let schemaDir: string;

  before(async () => {
    schemaDir = await limitedSchema();
    gateway = await startTokenGateway({ config: () => ({ schema: schemaDir, server: { trustedProxies: LOOPBACK_PROXIES } }) });
  });
  after(async () => {
    await gateway?.close();
    await rm(schemaDir, { recursive: true, force: true });
  });

  const productCalls = () => gateway.demo.subgraphs.products.calls.filter((record) => record.operation === 'GET /products/{upc}').length;
  const placed = () => gateway.demo.subgraphs.orders.calls.filter((record) => record.operation === 'POST /orders').length;

  test('by IP: over the limit the field is null with RATE_LIMITED at its path, not fetched, and the rest of the data comes back', async () => {
    const url = gateway.demo.gateway.url;
    gateway.demo.resetCalls();
    const two = await call(url, '{ a: product(upc: "1") { name } b: product(upc: "2") { name } }', undefined, '203.0.113.10');
    assert.equal(two.status, 200, two.raw);
    assert.equal(two.body.errors, undefined, two.raw);
    assert.equal(productCalls(), 2);

    const over = await call(url, '{ product(upc: "1") { name } topProducts(first: 1) { upc } }', undefined, '203.0.113.10');
    assert.equal(over.status, 200, over.raw);
    assert.deepEqual(over.body.data, { product: null, topProducts: [{ upc: '1' }] });
    assert.equal(over.body.errors?.length, 1);
    assert.deepEqual(over.body.errors?.[0]?.path, ['product']);
    assert.equal(over.body.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    assert.match(over.body.errors?.[0]?.message ?? '', /^Rate limit "field Query\.product" \(2\/min\) reached: retry in \d+ s\.$/);
    assert.equal(productCalls(), 2, 'the refused field was not fetched');

    // With authorization refusing another field of the same request, both are answered.
    const both = await call(url, '{ product(upc: "1") { name } orders(userId: "1") { id } topProducts(first: 1) { upc } }', undefined, '203.0.113.10');
    assert.deepEqual(both.body.data, { product: null, orders: null, topProducts: [{ upc: '1' }] });
    assert.deepEqual(both.body.errors?.map((error) => [error.path?.join('.'), error.extensions?.code]).sort(), [['orders', 'UNAUTHENTICATED'], ['product', 'RATE_LIMITED']]);
    assert.equal(productCalls(), 2);

    // Another address has its own count.
    const other = await call(url, '{ product(upc: "1") { name } }', undefined, '203.0.113.11');
    assert.equal(other.body.errors, undefined, other.raw);
    assert.equal(productCalls(), 3);
  });

  test('by API_KEY: aliases count, so 4 aliased placeOrders under a 3/min limit place none; 3 are placed; each key has its own count', async () => {
    const url = gateway.demo.gateway.url;
    const key = await gateway.demo.createKey({ name: 'field limits', scopes: ['orders:write'] });
    gateway.demo.resetCalls();
    const four = await call(url, `mutation { ${['a', 'b', 'c', 'd'].map(order).join(' ')} }`, key.key);
    assert.equal(four.status, 200, four.raw);
    assert.deepEqual(four.body.data, { a: null, b: null, c: null, d: null });
    assert.deepEqual(four.body.errors?.map((error) => [error.path?.join('.'), error.extensions?.code]), [['a', 'RATE_LIMITED'], ['b', 'RATE_LIMITED'], ['c', 'RATE_LIMITED'], ['d', 'RATE_LIMITED']]);
    assert.match(four.body.errors?.[0]?.message ?? '', /costs 4, more than rate limit "field Mutation\.placeOrder" \(3\/min\) allows in a whole window/);
    assert.equal(placed(), 0, 'no order reached the backend');

    const three = await call(url, `mutation { ${['a', 'b', 'c'].map(order).join(' ')} }`, key.key);
    assert.equal(three.body.errors, undefined, three.raw);
    assert.equal(placed(), 3);
    const fourth = await call(url, `mutation { ${order('a')} }`, key.key);
    assert.deepEqual(fourth.body.data, { a: null });
    assert.equal(fourth.body.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    assert.ok(Number(fourth.body.errors?.[0]?.extensions?.retryAfterSeconds) >= 1);
    assert.equal(placed(), 3, 'the refused mutation never reached the backend');

    const other = await gateway.demo.createKey({ name: 'another', scopes: ['orders:write'] });
    assert.equal((await call(url, `mutation { ${order('a')} }`, other.key)).body.errors, undefined);
    assert.equal(placed(), 4);
  });

  test('by SUBJECT: a user\'s bearer token has its own count; another user\'s is separate', async () => {
    const user2 = await gateway.userToken({ sub: '2' }, 'offline_access orders:read');
    const user3 = await gateway.userToken({ sub: '3' }, 'offline_access orders:read');
    const ordersOf = (token: string) => gateway.query('{ orders(userId: "2") { id } }', token, { 'x-forwarded-for': '203.0.113.20' });
    gateway.demo.resetCalls();
    for (let i = 0; i < 2; i += 1) {
      const ok = await ordersOf(user2);
      assert.equal(ok.body.errors, undefined, JSON.stringify(ok.body));
    }
    const over = await ordersOf(user2);
    assert.deepEqual(over.body.data, { orders: null });
    assert.deepEqual(over.body.errors?.map((error) => [error.path, error.extensions?.code]), [[['orders'], 'RATE_LIMITED']]);
    assert.equal(gateway.demo.subgraphs.orders.calls.length, 2, 'the third was not fetched');
    // Same address, other subject: counted apart (by SUBJECT, not by IP).
    const other = await ordersOf(user3);
    assert.equal(other.body.errors, undefined, JSON.stringify(other.body));
  });
});
