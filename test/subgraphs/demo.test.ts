import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { credentials } from '@grpc/grpc-js';
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
