/**
 * Failures: a fetch that fails as a whole is one error naming its source, at a real path (list
 * indices included); a subgraph's own field error lands at the field's place in the client's
 * response; the rest of the data keeps flowing; nulls a failure causes add no errors of their own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestGraph } from './harness.js';
import { SHOP } from './shop.js';

test('a dead subgraph behind an entity fetch gives one error at the first entity, and the other data', async () => {
  const graph = createTestGraph(SHOP);
  graph.down.add('reviews');
  const result = await graph.run('{ users { name reviews { body } } }');
  assert.deepEqual(result.data, {
    users: [{ name: 'Ada', reviews: null }, { name: 'Grace', reviews: null }, { name: 'Linus', reviews: null }],
  });
  assert.equal(result.errors?.length, 1, JSON.stringify(result.errors));
  const [error] = result.errors!;
  assert.deepEqual(error!.path, ['users', 0]);
  assert.equal(error!.extensions?.source, 'reviews');
  assert.equal(error!.extensions?.code, 'UPSTREAM_ERROR');
  assert.equal(error!.message, 'Source "reviews" failed.');
});

test('the nulls a failed fetch causes in non-null fields propagate without errors of their own', async () => {
  const graph = createTestGraph(SHOP);
  graph.down.add('inventory');
  // inStock is non-null on non-null items of a non-null list: the whole response is null.
  const result = await graph.run('{ topProducts { name inStock } }');
  assert.equal(result.data, null);
  assert.deepEqual(result.errors?.map((error) => [error.path, error.extensions?.source]), [[['topProducts', 0], 'inventory']]);
});

test('a dead subgraph behind a root fetch nulls its root fields only', async () => {
  const graph = createTestGraph(SHOP);
  graph.down.add('accounts');
  const result = await graph.run('{ me { name } topProducts(first: 1) { name } }');
  assert.deepEqual(result.data, { me: null, topProducts: [{ name: 'Table' }] });
  assert.deepEqual(result.errors?.map((error) => [error.path, error.extensions?.source]), [[['me'], 'accounts']]);
});

test('a field error inside an entity fetch is placed at that field in the client\'s response', async () => {
  const graph = createTestGraph(SHOP);
  const result = await graph.run('{ users { name reviews { id flagged } } }');
  const users = result.data!.users as Array<{ reviews: Array<{ id: string; flagged: boolean | null }> }>;
  assert.deepEqual(users[1]!.reviews, [{ id: 'r2', flagged: null }, { id: 'r5', flagged: false }]);
  assert.deepEqual(result.errors?.map((error) => ({ message: error.message, path: error.path, source: error.extensions?.source })), [
    { message: 'moderation service timed out', path: ['users', 1, 'reviews', 0, 'flagged'], source: 'reviews' },
  ]);
});

test('an error of an entity that stands at two places is reported at both', async () => {
  const graph = createTestGraph(SHOP);
  // Both reviews of p1 are by u1: one representation, whose avatar fails.
  const result = await graph.run('{ topProducts(first: 1) { reviews { author { avatar } } } }');
  assert.deepEqual(result.data, { topProducts: [{ reviews: [{ author: { avatar: null } }, { author: { avatar: null } }] }] });
  assert.deepEqual(result.errors?.map((error) => [error.message, error.path]), [
    ['image service unavailable', ['topProducts', 0, 'reviews', 0, 'author', 'avatar']],
    ['image service unavailable', ['topProducts', 0, 'reviews', 1, 'author', 'avatar']],
  ]);
  assert.equal(graph.callsTo('accounts').length, 1);
});

test('a failed fetch of an entity that stands at two places is still one error', async () => {
  const graph = createTestGraph(SHOP);
  graph.down.add('products');
  const result = await graph.run('{ me { reviews { id product { name } } } }');
  assert.deepEqual(result.data, {
    me: { reviews: [{ id: 'r1', product: { name: null } }, { id: 'r3', product: { name: null } }, { id: 'r4', product: { name: null } }] },
  });
  assert.deepEqual(result.errors?.map((error) => [error.path, error.extensions?.source]), [[['me', 'reviews', 0, 'product'], 'products']]);
});
