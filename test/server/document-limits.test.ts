/**
 * The document guard (server/document-limits.ts, server/documents.ts) with real parsing and
 * validation: every limit at and over its boundary (configured small, so each document
 * exceeds one limit only), the lexer pass stopping before the parser, fragment cycles and
 * unused fragments refused before any expansion, and the document cache bounded by bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSchema, parse } from 'graphql';
import { CONFIG_DEFAULTS, type ResolvedLimitsConfig } from '../../gateway/src/config/index.js';
import { checkLexical, checkOperations } from '../../gateway/src/server/document-limits.js';
import { DocumentCache } from '../../gateway/src/server/documents.js';
import { fragmentFanOut } from '../../bench/lib/hostile-documents.js';

const DEFAULTS: ResolvedLimitsConfig = { ...CONFIG_DEFAULTS.limits };
const schema = buildSchema('type Query { a: A, b: Int, c: Int, d: Int } type A { a: A, b: Int, c: Int }');

function keyOf(query: string, limits: Partial<ResolvedLimitsConfig>): string | undefined {
  const all = { ...DEFAULTS, ...limits };
  const lexical = checkLexical(query, all);
  if (lexical !== undefined) return lexical.key;
  const verdict = checkOperations(parse(query), all);
  return verdict === undefined ? undefined : 'limit' in verdict ? verdict.limit.key : `invalid: ${verdict.invalid}`;
}

const CASES: ReadonlyArray<{ key: keyof ResolvedLimitsConfig; limit: number; at: string; over: string }> = [
  { key: 'maxTokens', limit: 6, at: '{ a { b } }', over: '{ a { b c } }' },
  { key: 'maxNesting', limit: 3, at: '{ a(x: [1]) { b } }', over: '{ a(x: [[1]]) { b } }' },
  { key: 'maxDepth', limit: 3, at: '{ a { a { b } } }', over: '{ a { a { a { b } } } }' },
  { key: 'maxDepth', limit: 3, at: 'query { a { ...F } } fragment F on A { a { b } }', over: 'query { a { ...F } } fragment F on A { a { a { b } } }' },
  { key: 'maxAliases', limit: 2, at: '{ x: b y: c }', over: '{ x: b y: c z: d }' },
  { key: 'maxAliases', limit: 2, at: '{ ...F } fragment F on Query { x: b }', over: '{ ...F ... on Query { ...F } a { ...G } } fragment F on Query { x: b } fragment G on A { y: b }' },
  { key: 'maxRootFields', limit: 3, at: '{ b c d }', over: '{ b c d ...F } fragment F on Query { b }' },
  { key: 'maxDirectivesPerLocation', limit: 2, at: '{ b @skip(if: false) @include(if: true) }', over: '{ b @skip(if: false) @include(if: true) @skip(if: true) }' },
  { key: 'maxDirectivesPerLocation', limit: 1, at: 'query Q($v: Int @deprecated) { b }', over: 'query Q($v: Int @deprecated @deprecated) { b }' },
  { key: 'maxFragments', limit: 2, at: '{ ...F ...G } fragment F on Query { b } fragment G on Query { c }', over: '{ ...F ...G ...H } fragment F on Query { b } fragment G on Query { c } fragment H on Query { d }' },
  { key: 'maxFields', limit: 4, at: '{ ...F ...F } fragment F on Query { b c }', over: '{ ...F ...F ...F } fragment F on Query { b c }' },
  { key: 'maxMergedFields', limit: 3, at: '{ a { b b } a { b } }', over: '{ a { b b } a { b } ...F } fragment F on Query { a { b } }' },
  { key: 'maxIntrospectionFields', limit: 2, at: '{ __schema { __typename } x: __type(name: "A") { name } }', over: '{ __schema { __typename } x: __type(name: "A") { name } y: __type(name: "Query") { name } }' },
  { key: 'maxIntrospectionDepth', limit: 3, at: '{ __schema { types { name } } }', over: '{ __schema { types { ofType { name } } } }' },
];

for (const { key, limit, at, over } of CASES) {
  test(`limits.${String(key)} ${limit}: "${at}" passes, "${over}" is refused naming the key`, () => {
    assert.equal(keyOf(at, { [key]: limit }), undefined);
    assert.equal(keyOf(over, { [key]: limit }), `limits.${String(key)}`);
  });
}

test('introspection is outside limits.maxDepth: GraphiQL-deep type references pass a depth limit of 3', () => {
  assert.equal(keyOf('{ __schema { types { ofType { ofType { ofType { name } } } } } }', { maxDepth: 3 }), undefined);
});

test('the lexer pass stops at the first token over the limit, before anything is parsed', () => {
  const found = checkLexical(`{ ${'b '.repeat(1_000_000)}}`, { ...DEFAULTS, maxTokens: 10 });
  assert.deepEqual(found, { key: 'limits.maxTokens', limit: 10, found: 11, message: 'The number of tokens in the document is 11, over the limit of 10 (limits.maxTokens).' });
  // A syntax error is the parser's to report, with its location.
  assert.equal(checkLexical('{ "unterminated }', DEFAULTS), undefined);
});

test('a fragment cycle and an unused fragment are refused before any expansion, as validation would', () => {
  assert.equal(keyOf('{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }', {}), 'invalid: Cannot spread fragment "A" within itself.');
  assert.equal(keyOf('{ b } fragment A on Query { b }', {}), 'invalid: Fragment "A" is never used.');
});

test('a fragment fan-out of 2^40 fields is measured, not expanded, in well under 10 ms', () => {
  const document = parse(fragmentFanOut(40));
  const started = performance.now();
  const verdict = checkOperations(document, DEFAULTS);
  const elapsed = performance.now() - started;
  assert.ok(verdict !== undefined && 'limit' in verdict);
  assert.equal(verdict.limit.key, 'limits.maxFields');
  assert.equal(verdict.limit.found, 2 ** 40);
  assert.ok(elapsed < 10, `${elapsed} ms`);
});

test('the document cache stays within documentCache.maxBytes however large and many the documents', () => {
  const maxBytes = 1_000_000;
  const cache = new DocumentCache(schema, [], { size: 1000, maxBytes, introspection: true, limits: DEFAULTS });
  // A hundred distinct documents of about 20 KB each (comments cost no token).
  for (let index = 0; index < 100; index++) {
    const entry = cache.get(`# ${String(index).padStart(3, '0')}${'x'.repeat(20_000)}\n{ b }`);
    assert.equal(entry.errors, undefined);
    assert.ok(cache.bytes <= maxBytes, `${cache.bytes} bytes after ${index + 1} documents`);
  }
  assert.ok(cache.size < 100 && cache.size > 0, `${cache.size} entries kept`);
});

test('a refused document is cached as its refusal, with HTTP status 400', () => {
  const cache = new DocumentCache(schema, [], { size: 10, introspection: true, limits: { ...DEFAULTS, maxAliases: 1 } });
  const entry = cache.get('{ x: b y: c }');
  assert.equal(entry.status, 400);
  assert.deepEqual(entry.errors, [{ message: 'The operation\'s number of aliases is 2, over the limit of 1 (limits.maxAliases).', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: 'limits.maxAliases', maximum: 1, found: 2 } }]);
  assert.equal(cache.get('{ x: b y: c }'), entry);
});

test('without limits, a selection too deep for the parser is a 400-class parse failure, not a crash', () => {
  const cache = new DocumentCache(schema, [], { size: 0, introspection: true });
  const entry = cache.get(`${'{ a '.repeat(20_000)}${'}'.repeat(20_000)}`);
  assert.equal(entry.errors?.[0]?.extensions?.code, 'GRAPHQL_PARSE_FAILED');
});
