/**
 * Introspection is answered from the API schema, without calling a subgraph; mixed with data
 * fields, each part is answered by its own means and the client's order is kept.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execute, getIntrospectionQuery, parse } from 'graphql';
import { createTestGraph } from './harness.js';
import { SHOP } from './shop.js';

const graph = createTestGraph(SHOP);

test('the full introspection query equals graphql-js\'s answer over the API schema, with no subgraph call', async () => {
  graph.resetCalls();
  const query = getIntrospectionQuery();
  const result = await graph.run(query);
  const expected = JSON.parse(JSON.stringify(await execute({ schema: graph.schema, document: parse(query) })));
  assert.deepEqual(result, expected);
  assert.deepEqual(graph.calls, []);
});

test('introspection next to data fields: both answered, in the client\'s order, hidden enum values absent', async () => {
  graph.resetCalls();
  const result = await graph.run(`
    query { me { name } ...Roles __typename }
    fragment Roles on Query { __type(name: "Role") { enumValues { name } } }`);
  assert.deepEqual(result, { data: { me: { name: 'Ada' }, __type: { enumValues: [{ name: 'ADMIN' }, { name: 'USER' }] }, __typename: 'Query' } });
  assert.deepEqual(Object.keys(result.data!), ['me', '__type', '__typename']);
  assert.deepEqual(graph.calls.map((call) => call.source), ['accounts']);
});

test('a fragment mixing introspection and data fields, spread at the root, is split without inlining: each side keeps its part, in order', async () => {
  graph.resetCalls();
  const result = await graph.run(`
    query { ...Mixed }
    fragment Mixed on Query { me { name } ...Inner __type(name: "Role") { name } }
    fragment Inner on Query { __typename __schema { queryType { name } } }`);
  assert.deepEqual(result, { data: { me: { name: 'Ada' }, __typename: 'Query', __schema: { queryType: { name: 'Query' } }, __type: { name: 'Role' } } });
  assert.deepEqual(Object.keys(result.data!), ['me', '__typename', '__schema', '__type']);
  assert.deepEqual(graph.calls.map((call) => call.source), ['accounts']);
});

// With a data field at the leaf the query planner would expand it: limits.maxFields keeps such a
// document out (test/e2e/hostile-documents.test.ts); the split itself is linear.
test('a fragment fan-out of 2^40 with introspection at its leaf is split in linear time', async () => {
  const levels = 40;
  const fragments = Array.from({ length: levels }, (_, index) => `fragment F${index} on Query { ...F${index + 1} ...F${index + 1} }`);
  const query = `query { ...F0 } ${fragments.join(' ')} fragment F${levels} on Query { __typename __schema { queryType { name } } }`;
  const started = performance.now();
  const result = await graph.run(query);
  assert.deepEqual(result, { data: { __typename: 'Query', __schema: { queryType: { name: 'Query' } } } });
  assert.ok(performance.now() - started < 2000, `${performance.now() - started} ms`);
});
