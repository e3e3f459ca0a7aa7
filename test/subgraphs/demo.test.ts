import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { credentials, Metadata } from '@grpc/grpc-js';
import { DEMO_PORTS, startDemoSubgraphs } from '../../subgraphs/index.js';
import { loadInventoryService } from '../../subgraphs/inventory/proto.js';
import { postGraphQL, requestJson } from './helpers.js';

describe('startDemoSubgraphs', () => {
  it('pins the documented demo ports', () => {
    assert.deepEqual(DEMO_PORTS, { accounts: 4001, reviews: 4002, products: 4003, inventory: 4004, orders: 4005 });
  });

  it('starts all five backends on ephemeral loopback ports, each answering, and closes them', async () => {
    const demo = await startDemoSubgraphs();
    try {
      const urls = [demo.accounts, demo.reviews, demo.products, demo.inventory, demo.orders].map((s) => s.url);
      assert.equal(new Set(urls).size, 5);
      assert.deepEqual(
        [demo.accounts, demo.reviews, demo.products, demo.inventory, demo.orders].map((s) => s.name),
        ['accounts', 'reviews', 'products', 'inventory', 'orders'],
      );
      assert.deepEqual((await postGraphQL(demo.accounts.url, '{ me { id } }')).body, { data: { me: { id: '1' } } });
      assert.deepEqual((await postGraphQL(demo.reviews.url, '{ reviews(first: 1) { id } }')).body, {
        data: { reviews: [{ id: '1' }] },
      });
      assert.deepEqual((await requestJson(`${demo.products.url}/`)).body, { service: 'products' });
      assert.deepEqual((await requestJson(`${demo.orders.url}/`)).body, { service: 'orders' });
      const client = new (loadInventoryService())(demo.inventory.url, credentials.createInsecure());
      try {
        await new Promise<void>((resolve, reject) =>
          client.waitForReady(Date.now() + 2000, (error) => (error ? reject(error) : resolve())),
        );
      } finally {
        client.close();
      }
    } finally {
      await demo.close();
    }
    await assert.rejects(fetch(`${demo.products.url}/`));
  });

  it('records the chosen request headers (gRPC metadata) of every call, and only those', async () => {
    const demo = await startDemoSubgraphs({ recordHeaders: ['Authorization', 'x-user-id'] });
    const carried = { authorization: 'Bearer abc', 'x-user-id': '7', 'x-other': 'not recorded' };
    try {
      for (const backend of [demo.accounts, demo.reviews]) {
        await fetch(backend.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...carried },
          body: JSON.stringify({ query: '{ __typename }' }),
        });
      }
      await fetch(`${demo.products.url}/products/1`, { headers: carried });
      await fetch(`${demo.orders.url}/orders?userId=1`, { headers: { 'x-user-id': '7' } });
      const client = new (loadInventoryService())(demo.inventory.url, credentials.createInsecure());
      const metadata = new Metadata();
      metadata.set('authorization', 'Bearer abc');
      metadata.set('x-other', 'not recorded');
      try {
        await new Promise<void>((resolve, reject) =>
          (client as unknown as { GetStock: (request: object, metadata: Metadata, callback: (error: Error | null) => void) => void })
            .GetStock({ upc: '1' }, metadata, (error) => (error ? reject(error) : resolve())),
        );
      } finally {
        client.close();
      }
      const both = { authorization: 'Bearer abc', 'x-user-id': '7' };
      assert.deepEqual(demo.accounts.calls.map((call) => call.headers), [both]);
      assert.deepEqual(demo.reviews.calls.map((call) => call.headers), [both]);
      assert.deepEqual(demo.products.calls.map((call) => call.headers), [both]);
      assert.deepEqual(demo.orders.calls.map((call) => call.headers), [{ 'x-user-id': '7' }], 'a header not sent is left out');
      assert.deepEqual(demo.inventory.calls.map((call) => call.headers), [{ authorization: 'Bearer abc' }]);
    } finally {
      await demo.close();
    }
  });

  it('records no headers unless asked to', async () => {
    const demo = await startDemoSubgraphs();
    try {
      await fetch(`${demo.products.url}/products/1`, { headers: { authorization: 'Bearer abc' } });
      assert.deepEqual(demo.products.calls, [{ operation: 'GET /products/{upc}', detail: { params: { upc: '1' } } }]);
    } finally {
      await demo.close();
    }
  });

  it('fails with the port error, closing what it started, when a port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const taken = (blocker.address() as AddressInfo).port;
    try {
      await assert.rejects(startDemoSubgraphs({ ports: { products: taken } }), { code: 'EADDRINUSE' });
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
