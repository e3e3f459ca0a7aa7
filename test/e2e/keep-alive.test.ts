/**
 * HTTP keep-alive to every backend: the gateway reuses its connections across requests instead
 * of opening one per call. The HTTP demo backends count the TCP connections they accept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoGateway } from '../support/demo-gateway.js';

test('twenty requests in a row reuse one connection per HTTP backend', async () => {
  const demo = await startDemoGateway();
  try {
    const partner = { 'x-api-key': (await demo.createKey({ name: 'partner', scopes: ['orders:read'] })).key };
    for (let i = 0; i < 20; i += 1) {
      const { body } = await demo.query('{ topProducts(first: 2) { name reviews { author { name orders { id } } } } }', undefined, partner);
      assert.equal(body.errors, undefined);
    }
    for (const name of ['accounts', 'reviews', 'products', 'orders'] as const) {
      const backend = demo.subgraphs[name];
      assert.ok(backend.calls.length >= 20, `${name} was called on every request (${backend.calls.length})`);
      assert.equal(backend.connectionCount?.(), 1, `${name}: one connection for ${backend.calls.length} calls`);
    }
  } finally {
    await demo.close();
  }
});
