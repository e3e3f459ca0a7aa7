/**
 * The plan cache: one preparation per distinct document text and operation name, a document
 * object printed once, a bounded number of documents; a plan that cannot be made is kept as
 * its error and answered as one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLError, parse, print, type DocumentNode } from 'graphql';
import { PlanCache } from '../../../gateway/src/execute/plan/plan-cache.js';
import { ACCOUNTS_GRAPH } from './accounts-graph.js';
import { createTestGraph } from './harness.js';

function counting(): { prepare: (text: string) => { failure: GraphQLError }; texts: string[] } {
  const texts: string[] = [];
  return { texts, prepare: (text) => (texts.push(text), { failure: new GraphQLError(text) }) };
}

test('a document is prepared once per operation name, whether the same object or an equal one', () => {
  const cache = new PlanCache(10);
  const { prepare, texts } = counting();
  const query = 'query A { a } query B { b }';
  const document = parse(query);
  cache.get(document, 'A', prepare);
  cache.get(document, 'A', prepare);
  cache.get(parse(query), 'A', prepare);
  cache.get(document, 'B', prepare);
  assert.deepEqual(texts, [print(document), print(document)]);
});

test('the cache holds at most its size in documents, the least recently used leaving first', () => {
  const cache = new PlanCache(2);
  const { prepare, texts } = counting();
  const [a, b, c] = ['{ a }', '{ b }', '{ c }'].map((query) => parse(query)) as [DocumentNode, DocumentNode, DocumentNode];
  cache.get(a, undefined, prepare);
  cache.get(b, undefined, prepare);
  cache.get(a, undefined, prepare);
  cache.get(c, undefined, prepare);
  assert.equal(cache.size, 2);
  cache.get(a, undefined, prepare);
  cache.get(b, undefined, prepare);
  assert.deepEqual(texts.map((text) => text.replace(/\s+/g, ' ').trim()), ['{ a }', '{ b }', '{ c }', '{ b }']);
});

test('an operation the planner cannot plan is an error in the result, not a rejection', async () => {
  const graph = createTestGraph(ACCOUNTS_GRAPH);
  // The planner cannot reach an implementation-only field through an @interfaceObject.
  const query = '{ recent { id ... on Admin { level } } }';
  for (let attempt = 0; attempt < 2; attempt++) {
    const result = await graph.run(query);
    assert.equal(result.data, undefined);
    assert.match(result.errors?.[0]?.message ?? '', /^The operation could not be planned: /);
  }
  assert.deepEqual(graph.calls, []);
});

test('the cache stays within its byte bound: a hundred distinct large documents do not grow it past maxBytes', () => {
  const maxBytes = 200_000;
  const cache = new PlanCache(1000, maxBytes);
  const { prepare } = counting();
  for (let index = 0; index < 100; index++) {
    const fields = Array.from({ length: 150 }, (_, field) => `f${index}_${field}`).join(' ');
    cache.get(parse(`{ ${fields} }`), undefined, prepare);
    assert.ok(cache.bytes <= maxBytes, `${cache.bytes} bytes after ${index + 1} documents`);
  }
  assert.ok(cache.size > 1 && cache.size < 100, `${cache.size} documents kept`);
});
