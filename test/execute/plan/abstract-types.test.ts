/**
 * Abstract types: values of interfaces and unions are projected by their `__typename`, type
 * conditions apply by it (also to entities fetched from another subgraph), and an interface
 * that a subgraph serves as an object (`@interfaceObject`) gets its concrete type from the
 * subgraph that knows the implementations.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ACCOUNTS_GRAPH } from './accounts-graph.js';
import { createTestGraph } from './harness.js';
import { SHOP } from './shop.js';

test('interface and union values take only the fragments of their own type', async () => {
  const graph = createTestGraph(SHOP);
  const result = await graph.run(`{
    media { __typename title ... on Book { pages } ... on Movie { minutes } }
    search { __typename ... on Product { name inStock } ... on Media { title } }
  }`);
  assert.deepEqual(result, {
    data: {
      media: [{ __typename: 'Book', title: 'Dune', pages: 412 }, { __typename: 'Movie', title: 'Alien', minutes: 117 }],
      // The product in a union list is completed by another subgraph (inventory), the only entity sent.
      search: [{ __typename: 'Book', title: 'Dune' }, { __typename: 'Movie', title: 'Alien' }, { __typename: 'Product', name: 'Couch', inStock: false }],
    },
  });
  assert.deepEqual(graph.callsTo('inventory')[0]!.variables, { representations: [{ __typename: 'Product', upc: 'p2' }] });
});

test('an @interfaceObject answer gets its concrete __typename, and its fields merge in', async () => {
  const graph = createTestGraph(ACCOUNTS_GRAPH);
  const result = await graph.run('{ recent { __typename id lastSeen name } }');
  assert.deepEqual(result, {
    data: { recent: [{ __typename: 'Guest', id: 'g1', lastSeen: '2026-10-15', name: 'Gus' }, { __typename: 'Admin', id: 'a1', lastSeen: '2026-11-01', name: 'Ada' }] },
  });
  // activity knows only the interface: it is asked with the interface's name (an input rewrite).
  const people = graph.callsTo('people')[0]!;
  assert.deepEqual(people.variables, { representations: [{ __typename: 'Account', id: 'g1' }, { __typename: 'Account', id: 'a1' }] });
});

test('fields of an @interfaceObject reach the concrete objects of the other subgraph', async () => {
  const graph = createTestGraph(ACCOUNTS_GRAPH);
  const result = await graph.run('{ accounts { id ... on Admin { level lastSeen } } }');
  assert.deepEqual(result, { data: { accounts: [{ id: 'a1', level: 3, lastSeen: '2026-11-01' }, { id: 'g1' }] } });
  assert.deepEqual(graph.callsTo('activity')[0]!.variables, { representations: [{ __typename: 'Account', id: 'a1' }] });
});

test('a type condition on an @interfaceObject answer applies once the concrete type is known', async () => {
  const graph = createTestGraph(ACCOUNTS_GRAPH);
  const result = await graph.run('{ recent { ... on Admin { id } } }');
  assert.deepEqual(result, { data: { recent: [{}, { id: 'a1' }] } });
});
