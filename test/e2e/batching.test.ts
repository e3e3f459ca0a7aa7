/**
 * Batching: within one request, each source is called at most once per query level for the
 * same entity type (no N+1), with either engine: the plan engine's entity fetches (one per
 * source and plan level, through the sources' lookups) and the reference engine's loaders.
 * The backends count the calls they receive.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoGateway, type DemoGateway } from '../support/demo-gateway.js';

for (const engine of ['plan', 'reference'] as const) describe(`batching (${engine} engine)`, () => {
  let demo: DemoGateway;
  /** A partner's key that may read and place orders (the demo graph protects them). */
  let partner: Record<string, string>;
  before(async () => {
    demo = await startDemoGateway({ engine });
    partner = { 'x-api-key': (await demo.createKey({ name: 'partner', scopes: ['orders:read', 'orders:write'] })).key };
  });
  after(async () => {
    await demo.close();
  });

  const calls = () => Object.fromEntries((['accounts', 'reviews', 'products', 'inventory', 'orders'] as const)
    .map((name) => [name, demo.subgraphs[name].calls.map((call) => call.operation)]));

  test('five products with stock, reviews and authors: one call per backend', async () => {
    demo.resetCalls();
    const { body } = await demo.query(`{
      topProducts(first: 5) { upc name inStock quantity reviews { body author { name username } } }
    }`);
    assert.equal(body.errors, undefined);
    const products = body.data?.topProducts as Array<{ reviews: unknown[] }>;
    assert.equal(products.length, 5);
    assert.equal(products.flatMap((product) => product.reviews).length, 11);
    assert.deepEqual(calls(), {
      accounts: ['query usersByIds'],
      reviews: ['query _entities'],
      products: ['GET /products'],
      inventory: ['inventory.Inventory/GetStockBatch'],
      orders: [],
    });
  });

  test('nested levels: each level adds at most one call per source and entity type', async () => {
    demo.resetCalls();
    const { body } = await demo.query(`{
      users {
        name
        reviews { product { name inStock reviews { author { username orders { id } } } } }
      }
    }`, undefined, partner);
    assert.equal(body.errors, undefined);
    const seen = calls();
    // users (accounts) -> User.reviews, and within the same reviews call Review.product.reviews
    // (reviews serves both) -> Product name (products) + inStock (inventory) -> author username
    // (accounts) + orders (orders).
    assert.deepEqual(seen.accounts, ['query users', 'query usersByIds']);
    assert.deepEqual(seen.reviews, ['query _entities']);
    assert.deepEqual(seen.products, ['GET /products/batch']);
    assert.deepEqual(seen.inventory, ['inventory.Inventory/GetStockBatch']);
    assert.deepEqual(seen.orders, ['GET /users/orders']);
  });

  test('the same product requested twice in one level is fetched once', async () => {
    demo.resetCalls();
    const { body } = await demo.query('{ a: product(upc: "1") { name inStock } b: product(upc: "1") { name inStock } }');
    assert.deepEqual(body.data, { a: { name: 'Table', inStock: true }, b: { name: 'Table', inStock: true } });
    assert.deepEqual(calls().products, ['GET /products/{upc}']);
    assert.deepEqual(calls().inventory, ['inventory.Inventory/GetStockBatch']);
  });
});
