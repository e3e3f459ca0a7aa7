/**
 * Partial failure: a backend that errors, is slow or is down nulls only its own fields; the
 * rest of the data comes back, with an error carrying `path`, `extensions.code` and the
 * source's name. A failed batched entity call (one call for a whole list) is reported once
 * per item, at each item's own path.
 * Each test uses its own demo so that a closed backend cannot leak into another.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoGateway, type GraphQLBody } from '../support/demo-gateway.js';

const QUERY = '{ topProducts(first: 2) { upc name inStock reviews { id } } }';

function errorsByPath(body: GraphQLBody) {
  return Object.fromEntries((body.errors ?? []).map((error) => [error.path?.join('.'), error.extensions]));
}

test('gRPC backend down: only inventory fields are null, with UPSTREAM_UNAVAILABLE naming inventory', async () => {
  const demo = await startDemoGateway();
  try {
    await demo.subgraphs.inventory.close();
    const { status, body } = await demo.query(QUERY);
    assert.equal(status, 200);
    assert.deepEqual(body.data, {
      topProducts: [
        { upc: '1', name: 'Table', inStock: null, reviews: [{ id: '1' }, { id: '2' }, { id: '3' }, { id: '4' }] },
        { upc: '2', name: 'Couch', inStock: null, reviews: [{ id: '5' }, { id: '6' }, { id: '7' }, { id: '8' }] },
      ],
    });
    const expected = { code: 'UPSTREAM_UNAVAILABLE', source: 'inventory', grpcStatus: 'UNAVAILABLE' };
    assert.deepEqual(errorsByPath(body), { 'topProducts.0.inStock': expected, 'topProducts.1.inStock': expected });
  } finally {
    await demo.close();
  }
});

test('Federation backend answering errors: only Product.reviews is null, with the source named', async () => {
  const demo = await startDemoGateway();
  try {
    demo.subgraphs.reviews.failWith('error');
    const { body } = await demo.query(QUERY);
    assert.deepEqual(body.data, {
      topProducts: [
        { upc: '1', name: 'Table', inStock: true, reviews: null },
        { upc: '2', name: 'Couch', inStock: false, reviews: null },
      ],
    });
    const expected = { code: 'UPSTREAM_ERROR', source: 'reviews', upstreamCode: 'INTERNAL_SERVER_ERROR' };
    assert.deepEqual(errorsByPath(body), { 'topProducts.0.reviews': expected, 'topProducts.1.reviews': expected });
    assert.equal(body.errors?.[0]?.message, 'Source "reviews" failed to resolve this field (INTERNAL_SERVER_ERROR).');
  } finally {
    await demo.close();
  }
});

test('slow backend: UPSTREAM_TIMEOUT after the source timeout, the rest of the data arrives', async () => {
  const demo = await startDemoGateway({ sources: { inventory: { timeoutMs: 300 } } });
  try {
    demo.subgraphs.inventory.failWith('slow');
    const started = Date.now();
    const { body } = await demo.query('{ product(upc: "1") { name inStock } }');
    assert.ok(Date.now() - started < 1900, 'the gateway did not wait for the slow backend');
    assert.deepEqual(body.data, { product: { name: 'Table', inStock: null } });
    assert.deepEqual(body.errors?.map((error) => [error.path?.join('.'), error.extensions?.code, error.extensions?.source]), [
      ['product.inStock', 'UPSTREAM_TIMEOUT', 'inventory'],
    ]);
  } finally {
    await demo.close();
  }
});

test('REST 404 for a root field: null with NOT_FOUND, the source and the status; other root fields unaffected', async () => {
  const demo = await startDemoGateway();
  try {
    const { body } = await demo.query('{ product(upc: "404") { name } me { name } }');
    assert.deepEqual(body.data, { product: null, me: { name: 'Uri Goldshtein' } });
    assert.equal(body.errors?.length, 1);
    assert.deepEqual(body.errors?.[0]?.path, ['product']);
    assert.deepEqual(body.errors?.[0]?.extensions, { code: 'NOT_FOUND', source: 'products', status: 404 });
  } finally {
    await demo.close();
  }
});

test('plain GraphQL backend down: users fail as a whole, products still come back', async () => {
  const demo = await startDemoGateway();
  try {
    await demo.subgraphs.accounts.close();
    const { body } = await demo.query('{ users { name } topProducts(first: 1) { name } }');
    assert.deepEqual(body.data, null, 'users is non-null in the graph, so its failure nulls the data (GraphQL null propagation)');
    const partial = await demo.query('{ me { name } topProducts(first: 1) { name } }');
    assert.deepEqual(partial.body.data, { me: null, topProducts: [{ name: 'Table' }] });
    assert.equal(partial.body.errors?.[0]?.extensions?.code, 'UPSTREAM_UNAVAILABLE');
    assert.equal(partial.body.errors?.[0]?.extensions?.source, 'accounts');
    assert.deepEqual(partial.body.errors?.[0]?.path, ['me']);
  } finally {
    await demo.close();
  }
});
