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
