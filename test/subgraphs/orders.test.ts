import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { ORDERS_OPENAPI_PATH, startOrders } from '../../subgraphs/orders/server.js';
import type { RunningSubgraph } from '../../subgraphs/support/running.js';
import { openApiOperations, requestJson } from './helpers.js';

const NOW = new Date('2024-05-01T12:00:00.000Z');

describe('orders backend (REST)', () => {
  let orders: RunningSubgraph;
  const place = (body: unknown): ReturnType<typeof requestJson> =>
    requestJson(`${orders.url}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  before(async () => {
    orders = await startOrders({ now: () => NOW });
  });
  after(() => orders.close());

  it('answers its health check', async () => {
    assert.deepEqual((await requestJson(`${orders.url}/`)).body, { service: 'orders' });
  });

  it('places orders with sequential ids', async () => {
    const first = await place({ userId: '1', upc: '2', quantity: 1 });
    assert.equal(first.status, 201);
    assert.deepEqual(first.body, {
      id: 'o-1',
      userId: '1',
      product: { upc: '2' },
      quantity: 1,
      status: 'PLACED',
      createdAt: '2024-05-01T12:00:00.000Z',
    });
    const second = await place({ userId: '1', upc: '5', quantity: 100 });
    assert.equal((second.body as { id: string }).id, 'o-2');
    const third = await place({ userId: '3', upc: '1', quantity: 2 });
    assert.equal((third.body as { id: string }).id, 'o-3');
  });

  it('refuses a bad order with 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ upc: '2', quantity: 1 }, 'userId'],
      [{ userId: 1, upc: '2', quantity: 1 }, 'userId'],
      [{ userId: '1', quantity: 1 }, 'upc'],
      [{ userId: '1', upc: '42', quantity: 1 }, 'upc'],
      [{ userId: '1', upc: '2' }, 'quantity'],
      [{ userId: '1', upc: '2', quantity: 0 }, 'quantity'],
      [{ userId: '1', upc: '2', quantity: 101 }, 'quantity'],
      [{ userId: '1', upc: '2', quantity: 1.5 }, 'quantity'],
      [{ userId: '1', upc: '2', quantity: '1' }, 'quantity'],
      [[], 'body'],
    ];
    for (const [body, field] of cases) {
      const answer = await place(body);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal((answer.body as { field: string }).field, field, JSON.stringify(body));
      assert.equal((answer.body as { error: string }).error, 'bad_request');
    }
    const unknownUpc = await place({ userId: '1', upc: '42', quantity: 1 });
    assert.deepEqual(unknownUpc.body, { error: 'bad_request', message: 'no product with upc "42"', field: 'upc' });
    const notJson = await place('{ nope');
    assert.equal(notJson.status, 400);
    assert.deepEqual(notJson.body, { error: 'invalid_json', message: 'request body is not valid JSON' });
  });

  it("lists a user's orders", async () => {
    const { body } = await requestJson(`${orders.url}/orders?userId=1`);
    assert.deepEqual(
      (body as { id: string }[]).map((order) => order.id),
      ['o-1', 'o-2'],
    );
    assert.deepEqual((await requestJson(`${orders.url}/orders?userId=6`)).body, []);
    assert.equal((await requestJson(`${orders.url}/orders`)).status, 400);
  });

  it('answers the batch read with one entry per requested user, in request order', async () => {
    const { status, body } = await requestJson(`${orders.url}/users/orders?ids=3,2,1`);
    assert.equal(status, 200);
    const entries = body as { id: string; orders: { id: string }[] }[];
    assert.deepEqual(
      entries.map((entry) => [entry.id, entry.orders.map((order) => order.id)]),
      [
        ['3', ['o-3']],
        ['2', []],
        ['1', ['o-1', 'o-2']],
      ],
    );
    assert.equal((await requestJson(`${orders.url}/users/orders`)).status, 400);
  });

  it('keeps a separate store per server instance', async () => {
    const other = await startOrders();
    try {
      assert.deepEqual((await requestJson(`${other.url}/orders?userId=1`)).body, []);
      const placed = await requestJson(`${other.url}/orders`, {
        method: 'POST',
        body: JSON.stringify({ userId: '1', upc: '1', quantity: 1 }),
      });
      assert.equal((placed.body as { id: string }).id, 'o-1');
    } finally {
      await other.close();
    }
  });

  it('records calls and honours failWith', async () => {
    orders.resetCalls();
    orders.failWith('error');
    const failed = await requestJson(`${orders.url}/users/orders?ids=1`);
    assert.equal(failed.status, 500);
    orders.failWith('slow');
    await assert.rejects(requestJson(`${orders.url}/`, { signal: AbortSignal.timeout(300) }), { name: 'TimeoutError' });
    orders.failWith(null);
    assert.deepEqual(orders.calls, [
      { operation: 'GET /users/orders', detail: { query: { ids: '1' } } },
      { operation: 'GET /' },
    ]);
  });

  it('documents every route, parameter and schema in openapi.yaml', () => {
    const { operations, undocumented } = openApiOperations(readFileSync(ORDERS_OPENAPI_PATH, 'utf8'));
    assert.deepEqual(operations, ['GET /', 'GET /orders', 'GET /users/orders', 'POST /orders']);
    assert.deepEqual(undocumented, []);
  });
});
