/**
 * Conditions: a fetch that only serves fields under `@include(if: $x)` / `@skip(if: $x)` runs
 * only when the variable selects them; the plan is made once for both values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestGraph } from './harness.js';
import { SHOP } from './shop.js';

const graph = createTestGraph(SHOP);
const QUERY = 'query ($stock: Boolean!, $noReviews: Boolean = false) { topProducts(first: 1) { name inStock @include(if: $stock) reviews @skip(if: $noReviews) { body } } }';

test('@include(if: false) leaves out the subgraph that serves only that field', async () => {
  graph.resetCalls();
  const result = await graph.run(QUERY, { stock: false, noReviews: true });
  assert.deepEqual(result, { data: { topProducts: [{ name: 'Table' }] } });
  assert.deepEqual(graph.calls.map((call) => call.source), ['products']);
});

test('@include(if: true) and @skip(if: false) (its default) call those subgraphs', async () => {
  graph.resetCalls();
  const result = await graph.run(QUERY, { stock: true });
  assert.deepEqual(result, { data: { topProducts: [{ name: 'Table', inStock: true, reviews: [{ body: 'Sturdy' }, { body: 'Again' }] }] } });
  assert.deepEqual(graph.calls.map((call) => call.source).sort(), ['inventory', 'products', 'reviews']);
});
