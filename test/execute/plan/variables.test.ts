/**
 * Variables: coerced once per request against the API schema before the engine (the harness
 * does it as the pipeline does), with graphql-js's own errors (what the reference engine
 * answers); defaults applied and passed on by the plan engine; no subgraph called when they fail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execute, parse } from 'graphql';
import { createTestGraph } from './harness.js';
import { SHOP } from './shop.js';

const graph = createTestGraph(SHOP);

async function referenceErrors(query: string, variables: Record<string, unknown>): Promise<string[]> {
  const result = await execute({ schema: graph.schema, document: parse(query), variableValues: variables });
  return (result.errors ?? []).map((error) => error.message);
}

test('a missing or ill-typed variable is refused with graphql-js\'s errors, before any subgraph call', async () => {
  const query = 'query ($user: ID!, $n: Int) { user(id: $user) { name } topProducts(first: $n) { name } }';
  for (const variables of [{}, { user: 'u1', n: 'three' }, { user: ['u1'] }]) {
    graph.resetCalls();
    const result = await graph.run(query, variables);
    assert.equal(result.data, undefined, 'no data at all: the request did not execute');
    assert.deepEqual(result.errors?.map((error) => error.message), await referenceErrors(query, variables));
    assert.ok(result.errors!.length > 0);
    assert.deepEqual(graph.calls, []);
  }
});

test('a variable\'s default applies, and reaches the subgraph that uses it', async () => {
  graph.resetCalls();
  const result = await graph.run('query ($n: Int = 2) { topProducts(first: $n) { name } }');
  assert.deepEqual(result, { data: { topProducts: [{ name: 'Table' }, { name: 'Couch' }] } });
  assert.deepEqual(graph.callsTo('products')[0]!.variables, { n: 2 });
});
