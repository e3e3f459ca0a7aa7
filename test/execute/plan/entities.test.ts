/**
 * Entity fetches: entities gathered along the plan's paths, one representation per distinct
 * entity, `@requires` fields sent, answers merged into every place the entity appears, and
 * batched `_entities` selections (one request for entities reached by several paths).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestGraph } from './harness.js';
import { SHOP } from './shop.js';

const graph = createTestGraph(SHOP);

test('an entity joined from three subgraphs is merged into one object', async () => {
  graph.resetCalls();
  const result = await graph.run('{ topProducts(first: 2) { upc name inStock reviews { body } } }');
  assert.deepEqual(result, {
    data: {
      topProducts: [
        { upc: 'p1', name: 'Table', inStock: true, reviews: [{ body: 'Sturdy' }, { body: 'Again' }] },
        { upc: 'p2', name: 'Couch', inStock: false, reviews: [{ body: 'Comfy' }] },
      ],
    },
  });
  assert.deepEqual(graph.calls.map((call) => call.source).sort(), ['inventory', 'products', 'reviews']);
});

test('@requires fields are fetched first and sent in the representation', async () => {
  graph.resetCalls();
  const result = await graph.run('{ topProducts(first: 2) { shippingEstimate } }');
  assert.deepEqual(result, { data: { topProducts: [{ shippingEstimate: 50 }, { shippingEstimate: 0 }] } });
  const [inventory] = graph.callsTo('inventory');
  assert.deepEqual(inventory!.variables, {
    representations: [
      { __typename: 'Product', price: 899, weight: 100, upc: 'p1' },
      { __typename: 'Product', price: 1299, weight: 1000, upc: 'p2' },
    ],
  });
});

test('an entity that appears many times is sent once and merged everywhere', async () => {
  graph.resetCalls();
  // Ada wrote r1, r3 and r4: three author objects, one representation.
  const result = await graph.run('{ topProducts(first: 3) { reviews { author { name } } } }');
  const authors = (result.data!.topProducts as Array<{ reviews: Array<{ author: { name: string } }> }>)
    .flatMap((product) => product.reviews.map((review) => review.author.name));
  assert.deepEqual(authors, ['Ada', 'Ada', 'Grace', 'Ada']);
  const [accounts] = graph.callsTo('accounts');
  assert.deepEqual(accounts!.variables, { representations: [{ __typename: 'User', id: 'u1' }, { __typename: 'User', id: 'u2' }] });
});

test('entities reached by several paths are fetched in one batched request, each answer to its place', async () => {
  graph.resetCalls();
  const result = await graph.run('{ me { name reviews { product { name } } } topProducts(first: 2) { reviews { product { name } } } }');
  assert.deepEqual(result, {
    data: {
      me: { name: 'Ada', reviews: [{ product: { name: 'Table' } }, { product: { name: 'Glass' } }, { product: { name: 'Table' } }] },
      topProducts: [
        { reviews: [{ product: { name: 'Table' } }, { product: { name: 'Table' } }] },
        { reviews: [{ product: { name: 'Couch' } }] },
      ],
    },
  });
  // One request to reviews for both User and Product entities; one to products for every
  // product reached under either root field, each product once.
  assert.equal(graph.callsTo('reviews').length, 1);
  const products = graph.callsTo('products').filter((call) => call.query.includes('_entities'));
  assert.equal(products.length, 1);
  const sent = Object.values(products[0]!.variables).flat() as Array<{ upc: string }>;
  assert.deepEqual(sent.map((representation) => representation.upc).sort(), ['p1', 'p2', 'p3']);
});

test('only the client\'s variables a fetch uses are sent to it', async () => {
  graph.resetCalls();
  const result = await graph.run('query ($n: Int, $user: ID!) { topProducts(first: $n) { name } user(id: $user) { name } }', { n: 1, user: 'u2' });
  assert.deepEqual(result, { data: { topProducts: [{ name: 'Table' }], user: { name: 'Grace' } } });
  assert.deepEqual(graph.callsTo('products')[0]!.variables, { n: 1 });
  assert.deepEqual(graph.callsTo('accounts')[0]!.variables, { user: 'u2' });
});
