import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { credentials, Metadata, status } from '@grpc/grpc-js';
import type { Client, ServiceError } from '@grpc/grpc-js';
import { loadInventoryService } from '../../subgraphs/inventory/proto.js';
import type { Stock } from '../../subgraphs/inventory/proto.js';
import { startInventory } from '../../subgraphs/inventory/server.js';
import type { RunningSubgraph } from '../../subgraphs/support/running.js';
import { elapsedMs } from './helpers.js';

type Unary = (
  request: unknown,
  metadata: Metadata,
  options: { deadline?: number },
  callback: (error: ServiceError | null, reply: unknown) => void,
) => void;

/** Calls one unary method of the client, as a promise. */
function call<Reply>(client: Client, method: string, request: unknown, deadlineMs = 5000): Promise<Reply> {
  const invoke = (client as unknown as Record<string, Unary>)[method];
  if (!invoke) throw new Error(`no method ${method}`);
  return new Promise((resolve, reject) => {
    invoke.call(client, request, new Metadata(), { deadline: Date.now() + deadlineMs }, (error, reply) =>
      error ? reject(error) : resolve(reply as Reply),
    );
  });
}

describe('inventory backend (gRPC)', () => {
  let inventory: RunningSubgraph;
  let client: Client;
  before(async () => {
    inventory = await startInventory();
    const Inventory = loadInventoryService();
    client = new Inventory(inventory.url, credentials.createInsecure());
  });
  after(async () => {
    client.close();
    await inventory.close();
  });

  it('listens on a loopback host:port', () => {
    assert.match(inventory.url, /^127\.0\.0\.1:\d+$/);
  });

  it('answers GetStock: 10 units per upc when in stock, none otherwise', async () => {
    assert.deepEqual(await call<Stock>(client, 'GetStock', { upc: '5' }), { upc: '5', inStock: true, quantity: 50 });
    assert.deepEqual(await call<Stock>(client, 'GetStock', { upc: '2' }), { upc: '2', inStock: false, quantity: 0 });
  });

  it('answers NOT_FOUND for an unknown upc', async () => {
    await assert.rejects(call(client, 'GetStock', { upc: '42' }), (error: ServiceError) => {
      assert.equal(error.code, status.NOT_FOUND);
      assert.equal(error.details, 'no product with upc "42"');
      return true;
    });
  });

  it('answers GetStockBatch in request order, leaving unknown upcs out', async () => {
    const reply = await call<{ items: Stock[] }>(client, 'GetStockBatch', { upcs: ['9', '42', '1', '3'] });
    assert.deepEqual(reply, {
      items: [
        { upc: '9', inStock: true, quantity: 90 },
        { upc: '1', inStock: true, quantity: 10 },
        { upc: '3', inStock: false, quantity: 0 },
      ],
    });
    assert.deepEqual(await call(client, 'GetStockBatch', { upcs: [] }), { items: [] });
  });

  it('records calls as package.Service/Method with the request message', async () => {
    inventory.resetCalls();
    await call(client, 'GetStockBatch', { upcs: ['6', '7'] });
    await call(client, 'GetStock', { upc: '1' });
    assert.deepEqual(inventory.calls, [
      { operation: 'inventory.Inventory/GetStockBatch', detail: { upcs: ['6', '7'] } },
      { operation: 'inventory.Inventory/GetStock', detail: { upc: '1' } },
    ]);
  });

  it("answers INTERNAL in failWith('error') mode until reset", async () => {
    inventory.failWith('error');
    await assert.rejects(call(client, 'GetStock', { upc: '1' }), { code: status.INTERNAL });
    inventory.failWith(null);
    assert.equal((await call<Stock>(client, 'GetStock', { upc: '1' })).inStock, true);
  });

  it("holds calls back in failWith('slow') mode", async () => {
    inventory.failWith('slow');
    try {
      await assert.rejects(call(client, 'GetStock', { upc: '1' }, 300), { code: status.DEADLINE_EXCEEDED });
    } finally {
      inventory.failWith(null);
    }
  });

  it('closes promptly with a client still connected and a slow call pending', async () => {
    const other = await startInventory();
    const otherClient = new (loadInventoryService())(other.url, credentials.createInsecure());
    try {
      await call(otherClient, 'GetStock', { upc: '1' });
      other.failWith('slow');
      const pending = call(otherClient, 'GetStock', { upc: '1' }).catch((error: ServiceError) => error.code);
      await new Promise((resolve) => setTimeout(resolve, 50));
      const ms = await elapsedMs(() => other.close());
      assert.ok(ms < 1000, `close took ${ms} ms`);
      assert.notEqual(await pending, status.OK);
    } finally {
      otherClient.close();
    }
  });
});
