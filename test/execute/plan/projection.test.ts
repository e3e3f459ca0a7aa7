/**
 * Projection: the plan engine answers exactly the client's selection, whatever the subgraph
 * requests fetched: aliases, fragments, `__typename`, `@skip`/`@include`, the client's field
 * order, nothing the plan fetched for itself (keys, `__typename`), null propagation for
 * non-null fields, enum values the API schema hides.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestGraph } from './harness.js';
import { SHOP } from './shop.js';

const graph = createTestGraph(SHOP);

test('aliases, inline fragments and named fragments give the client its own response keys', async () => {
  const result = await graph.run(`
    query {
      best: topProducts(first: 1) { label: name ...Stock ... on Product { cost: price } }
      cheap: topProducts(first: 3) { name }
    }
    fragment Stock on Product { available: inStock }`);
  assert.deepEqual(result, {
    data: {
      best: [{ label: 'Table', available: true, cost: 899 }],
      cheap: [{ name: 'Table' }, { name: 'Couch' }, { name: 'Glass' }],
    },
  });
});

test('fields come in the client\'s order, and nothing the plan fetched for itself leaks', async () => {
  const result = await graph.run('{ topProducts(first: 1) { shippingEstimate name } }');
  // The plan fetched upc, price, weight and __typename to call inventory; the client sees neither.
  assert.deepEqual(result, { data: { topProducts: [{ shippingEstimate: 50, name: 'Table' }] } });
  assert.deepEqual(Object.keys((result.data!.topProducts as object[])[0]!), ['shippingEstimate', 'name']);
});

test('__typename is answered at the root and on every object, aliased or not', async () => {
  graph.resetCalls();
  const result = await graph.run('{ __typename me { __typename kind: __typename name } }');
  assert.deepEqual(result, { data: { __typename: 'Query', me: { __typename: 'User', kind: 'User', name: 'Ada' } } });
  assert.deepEqual(graph.calls.map((call) => call.source), ['accounts'], 'a query on accounts calls only accounts');
});

test('@skip and @include with literals and variables select fields, in every combination', async () => {
  const query = `query ($withName: Boolean!, $skipRole: Boolean = false) {
    me { id name @include(if: $withName) role @skip(if: $skipRole) never: name @skip(if: true) }
  }`;
  assert.deepEqual(await graph.run(query, { withName: true }), { data: { me: { id: 'u1', name: 'Ada', role: 'ADMIN' } } });
  assert.deepEqual(await graph.run(query, { withName: false, skipRole: true }), { data: { me: { id: 'u1' } } });
  assert.deepEqual(await graph.run(query, { withName: true, skipRole: true }), { data: { me: { id: 'u1', name: 'Ada' } } });
});

test('a field merged from fragments under one response key gets every sub-selection', async () => {
  const result = await graph.run(`{
    topProducts(first: 1) { ... on Product { reviews { id } } reviews { body } }
  }`);
  assert.deepEqual(result, { data: { topProducts: [{ reviews: [{ id: 'r1', body: 'Sturdy' }, { id: 'r4', body: 'Again' }] }] } });
});

test('a null for a non-null field nulls the nearest nullable parent, with one error at its path', async () => {
  // r5's product is unknown to the products subgraph: its entity comes back null, so the
  // non-null Product.price is missing.
  const result = await graph.run('{ review(id: "r5") { body product { upc name price } } }');
  assert.deepEqual(result.data, { review: { body: 'Ghost', product: null } });
  assert.equal(result.errors?.length, 1);
  assert.deepEqual(result.errors![0]!.path, ['review', 'product', 'price']);
  assert.equal(result.errors![0]!.message, 'Cannot return null for non-nullable field Product.price.');
  assert.equal(result.errors![0]!.extensions?.code, 'UPSTREAM_BAD_RESPONSE');
});

test('an enum value the API schema hides becomes null with an error naming the value', async () => {
  const result = await graph.run('{ users { id role } }');
  assert.deepEqual(result.data, { users: [{ id: 'u1', role: 'ADMIN' }, { id: 'u2', role: 'USER' }, { id: 'u3', role: null }] });
  assert.deepEqual(result.errors?.map((error) => [error.message, error.path]), [['Enum "Role" cannot represent value: "ROOT"', ['users', 2, 'role']]]);
});
