/**
 * Quotas that aliases cannot multiply (issue 20), through HTTP against the demo backends, on
 * default settings:
 *
 * - a key limited to 5 requests a minute cannot place 40 orders in one request of aliased
 *   `placeOrder`s (nor through a fragment): the request is charged its 40 root fields, refused
 *   with 429, and the orders backend gets no call;
 * - a key's cost budget (`costLimit`) is spent per request and shown beside its rate limit in
 *   one `RateLimit-Policy` / `RateLimit` header pair; a request over it gets 429 with
 *   `Retry-After` and is not executed;
 * - the config's per-IP and global policies refuse a whole request with 429 and `Retry-After`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN_TOKEN, LOOPBACK_PROXIES, call, createKeyOver } from '../support/api-keys-e2e.js';
import { isGatewayError } from '../../gateway/src/errors/index.js';
import { startDemoGateway, type DemoGateway } from '../support/demo-gateway.js';
import { startTokenGateway, type TokenGateway } from '../support/token-gateway.js';

/** A mutation of `n` aliased `placeOrder`s. */
function orders(n: number): string {
  const fields = Array.from({ length: n }, (_, i) => `o${i}: placeOrder(input: { userId: "1", upc: "2", quantity: 1 }) { id }`);
  return `mutation { ${fields.join(' ')} }`;
}

/** `topProducts(first: n)`: one root field, estimated cost n (n products). */
function products(n: number): string {
  return `{ topProducts(first: ${n}) { name } }`;
}

/** A query of `n` aliased root fields that no backend answers (the gateway does). */
function typenames(n: number): string {
  return `{ ${Array.from({ length: n }, (_, i) => `t${i}: __typename`).join(' ')} }`;
}

/** The `RateLimit` header without its `t` parameters (which round the slot end up: 60 or 61 s), after checking each is about a window. */
function left(response: { headers: Headers }): string {
  const header = response.headers.get('ratelimit') ?? '';
  for (const [, t] of header.matchAll(/;t=(\d+)/g)) assert.ok(Number(t) >= 1 && Number(t) <= 61, header);
  return header.replace(/;t=\d+/g, '');
}

const placed = (demo: DemoGateway) => demo.subgraphs.orders.calls.filter((record) => record.operation === 'POST /orders').length;

describe('quotas on default settings', () => {
  let demo: DemoGateway;

  before(async () => {
    demo = await startDemoGateway({ admin: { token: ADMIN_TOKEN } });
  });
  after(async () => {
    await demo.close();
  });

  test('a key with 5/min cannot place 40 orders in one aliased request: refused (the alias limit, then the quota), and the orders backend gets no call', async () => {
    const key = await createKeyOver(demo.origin, { name: 'five a minute', scopes: ['orders:write'], rateLimit: '5/min' });
    demo.resetCalls();
    // 40 aliases are over limits.maxAliases (15): refused before anything else.
    const forty = await call(demo.gateway.url, orders(40), key.key);
    assert.equal(forty.status, 400, forty.raw);
    assert.equal(forty.body.errors?.[0]?.extensions?.limit, 'limits.maxAliases');
    assert.equal(placed(demo), 0, 'no order reached the backend');

    // 12 aliases pass the limits, and cost 12 root fields: more than the key's whole window.
    const twelve = await call(demo.gateway.url, orders(12), key.key);
    assert.equal(twelve.status, 429, twelve.raw);
    assert.equal(twelve.body.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    assert.match(twelve.body.errors?.[0]?.message ?? '', /costs 12, more than rate limit "key" \(5\/min\) allows in a whole window; waiting will not help/);
    assert.equal(twelve.headers.get('retry-after'), null, 'waiting cannot help: no Retry-After');
    assert.equal(twelve.headers.get('ratelimit-policy'), '"key";q=5;w=60');
    assert.equal(placed(demo), 0, 'no order reached the backend');

    // The same through a fragment spread twice: 6 root fields.
    const fragment = `mutation { ...Three ...Three } fragment Three on Mutation { ${orders(3).slice('mutation { '.length, -2)} }`;
    const six = await call(demo.gateway.url, fragment, key.key);
    assert.equal(six.status, 429, six.raw);
    assert.match(six.body.errors?.[0]?.message ?? '', /costs 6/);
    assert.equal(placed(demo), 0);

    // Five fit: they are placed, and the window is then spent.
    const five = await call(demo.gateway.url, orders(5), key.key);
    assert.equal(five.status, 200, five.raw);
    assert.equal(five.body.errors, undefined, five.raw);
    assert.equal(Object.keys(five.body.data ?? {}).length, 5);
    assert.equal(left(five), '"key";r=0');
    assert.equal(placed(demo), 5);
    const one = await call(demo.gateway.url, orders(1), key.key);
    assert.equal(one.status, 429, one.raw);
    assert.ok(Number(one.headers.get('retry-after')) >= 1);
    assert.equal(placed(demo), 5, 'the refused mutation never reached the backend');
  });

  test('a cost budget beside the rate limit: both in one RateLimit-Policy and RateLimit header; over the budget, 429 with Retry-After', async () => {
    const key = await createKeyOver(demo.origin, { name: 'budget', rateLimit: '100/min', costLimit: '10/min' });
    // Estimated cost 4 (four products), one root field.
    const first = await call(demo.gateway.url, products(4), key.key);
    assert.equal(first.status, 200, first.raw);
    assert.equal(first.headers.get('ratelimit-policy'), '"key";q=100;w=60, "cost";q=10;w=60');
    assert.equal(left(first), '"key";r=99, "cost";r=6');
    const second = await call(demo.gateway.url, products(4), key.key);
    assert.equal(left(second), '"key";r=98, "cost";r=2');
    const third = await call(demo.gateway.url, products(4), key.key);
    assert.equal(third.status, 429, third.raw);
    assert.equal(third.body.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
    assert.equal(third.body.errors?.[0]?.extensions?.policy, 'cost');
    assert.match(third.body.errors?.[0]?.message ?? '', /^Rate limit "cost" \(10\/min\) reached: retry in \d+ s\.$/);
    const retryAfter = Number(third.headers.get('retry-after'));
    assert.ok(retryAfter >= 59 && retryAfter <= 61, `Retry-After ${retryAfter}`);
    assert.equal(left(third), '"key";r=97, "cost";r=2', 'the key\'s own rate was checked first and counted');
    // What is left still fits.
    assert.equal((await call(demo.gateway.url, products(2), key.key)).status, 200);
    // The admin API shows the budget as written, and can clear it.
    const shown = await fetch(`${demo.origin}/admin/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ query: 'mutation ($id: ID!) { updateApiKey(id: $id, input: { costLimit: null }) { costLimit { text } rateLimit { text } } }', variables: { id: key.id } }),
    });
    assert.deepEqual(((await shown.json()) as { data: unknown }).data, { updateApiKey: { costLimit: null, rateLimit: { text: '100/min' } } });
  });
});

describe('config policies per IP and global', () => {
  let demo: DemoGateway;

  before(async () => {
    demo = await startDemoGateway({ server: { trustedProxies: LOOPBACK_PROXIES }, rateLimits: { perIp: '6/min', global: '10/min' } });
  });
  after(async () => {
    await demo.close();
  });

  test('per IP: each client address has its own 6/min, counted in root fields; a whole request over it is 429 with Retry-After and RateLimit headers', async () => {
    const first = await call(demo.gateway.url, typenames(4), undefined, '203.0.113.1');
    assert.equal(first.status, 200, first.raw);
    assert.equal(first.headers.get('ratelimit-policy'), '"ip";q=6;w=60, "global";q=10;w=60');
    assert.equal(left(first), '"ip";r=2, "global";r=6');
    const over = await call(demo.gateway.url, typenames(3), undefined, '203.0.113.1');
    assert.equal(over.status, 429, over.raw);
    assert.equal(over.body.errors?.[0]?.extensions?.policy, 'ip');
    assert.ok(Number(over.headers.get('retry-after')) >= 1);
    assert.equal(over.headers.get('ratelimit-policy'), '"ip";q=6;w=60', 'the global policy was not reached, and spent nothing');
    // Another address has its own quota; the global one is shared by both.
    const other = await call(demo.gateway.url, typenames(5), undefined, '2001:db8::7');
    assert.equal(other.status, 200, other.raw);
    assert.equal(left(other), '"ip";r=1, "global";r=1');
    const global = await call(demo.gateway.url, typenames(2), undefined, '198.51.100.9');
    assert.equal(global.status, 429, global.raw);
    assert.equal(global.body.errors?.[0]?.extensions?.policy, 'global');
    assert.ok(Number(global.headers.get('retry-after')) >= 1);
    assert.equal(global.headers.get('ratelimit-policy'), '"ip";q=6;w=60, "global";q=10;w=60');
    assert.equal(left(global), '"ip";r=4, "global";r=1');
  });
});

describe('config policy per subject, with real bearer tokens', () => {
  let gateway: TokenGateway;

  before(async () => {
    gateway = await startTokenGateway({ config: () => ({ rateLimits: { perSubject: '3/min' } }) });
  });
  after(async () => {
    await gateway?.close();
  });

  test('each token subject has its own 3/min; anonymous requests are not counted per subject', async () => {
    const user2 = await gateway.userToken({ sub: '2' }, 'offline_access orders:read');
    const user3 = await gateway.userToken({ sub: '3' }, 'offline_access orders:read');
    const first = await gateway.query(typenames(2), user2);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.headers.get('ratelimit-policy'), '"subject";q=3;w=60');
    assert.equal(left(first), '"subject";r=1');
    const over = await gateway.query(typenames(2), user2);
    assert.equal(over.status, 429, JSON.stringify(over.body));
    assert.equal(over.body.errors?.[0]?.extensions?.policy, 'subject');
    assert.ok(Number(over.headers.get('retry-after')) >= 1);
    assert.equal((await gateway.query(typenames(1), user2)).status, 200, 'what is left still fits');
    assert.equal((await gateway.query(typenames(3), user3)).status, 200, 'another subject has its own count');
    for (let i = 0; i < 5; i += 1) {
      const anonymous = await gateway.query(QUERY_ANONYMOUS);
      assert.equal(anonymous.status, 200);
      assert.equal(anonymous.headers.get('ratelimit-policy'), null, 'no policy applies to an anonymous request');
    }
  });
});

const QUERY_ANONYMOUS = '{ __typename }';

test('a config policy the limiter cannot enforce stops start-up with CONFIG_INVALID naming the key', async () => {
  await assert.rejects(startDemoGateway({ rateLimits: { perSubject: '0/min' } }), (error: unknown) => {
    assert.ok(isGatewayError(error));
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.equal(error.message, 'Invalid config: "rateLimits.perSubject" is not a rate the limiter can enforce: Invalid rate limit "0/min": the count must be a whole number from 1 to 1000000000.');
    return true;
  });
});
