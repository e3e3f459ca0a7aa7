/**
 * What a request is charged (charge.ts) and what a field limit counts (field-limits.ts): root
 * fields and limited selections with aliases and fragments, in time linear in the document
 * (a fragment fan-out that expands 2^40 times is counted at once), and `@rateLimit` read from
 * SDL with SCHEMA_INVALID naming the field and argument for a bad one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSchema, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { DIRECTIVES_SDL, RATE_LIMIT_DIRECTIVE_SDL } from '../../../gateway/src/directives/index.js';
import { isGatewayError } from '../../../gateway/src/errors/index.js';
import { chargeOf, fieldRateLimitsFromDocument, fieldRateLimitsFromSchemas, limitedSelections, MAX_LIMIT, rootFieldCount } from '../../../gateway/src/traffic/rate-limit/index.js';

function operation(text: string, name?: string): { document: ReturnType<typeof parse>; definition: OperationDefinitionNode } {
  const document = parse(text);
  const definition = document.definitions.find((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION && (name === undefined || node.name?.value === name));
  assert.ok(definition);
  return { document, definition };
}

const count = (text: string, name?: string) => {
  const { document, definition } = operation(text, name);
  return rootFieldCount(document, definition);
};

test('root fields: aliases count, fragments and inline fragments are expanded, only the operation that runs counts', () => {
  assert.equal(count('{ a }'), 1);
  assert.equal(count('mutation { a: placeOrder b: placeOrder c: placeOrder }'), 3);
  assert.equal(count('{ ...F ...F ... on Query { c } } fragment F on Query { a b }'), 5);
  assert.equal(count('query One { a } query Two { a b c }', 'Two'), 3);
  assert.equal(count('query One { a } query Two { a b c }', 'One'), 1);
});

test('a fragment fan-out that would expand 2^40 times is counted in linear time, capped at the largest cost', () => {
  const fragments = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ');
  const start = performance.now();
  assert.equal(count(`{ ...F0 } ${fragments} fragment F40 on Query { motto }`), MAX_LIMIT);
  assert.ok(performance.now() - start < 50, 'counted without expanding');
  assert.equal(count(`{ ...F30 } ${fragments} fragment F40 on Query { motto }`), 2 ** 10);
});

test('an estimated cost is charged as a whole number from 1 to the largest cost', () => {
  assert.deepEqual([chargeOf(0), chargeOf(0.2), chargeOf(7), chargeOf(7.01), chargeOf(Number.POSITIVE_INFINITY), chargeOf(1e12)], [1, 1, 7, 8, MAX_LIMIT, MAX_LIMIT]);
});

const SDL = `
  ${DIRECTIVES_SDL}
  ${RATE_LIMIT_DIRECTIVE_SDL}
  interface Account { balance: Float @rateLimit(max: 10, window: "min", by: SUBJECT) }
  type Checking implements Account { balance: Float }
  type Savings implements Account { balance: Float }
  type Query { account(id: ID!): Account search(q: String): [String] @rateLimit(max: 5, window: "30s", by: IP) }
  type Mutation { placeOrder: String @rateLimit(max: 3, window: "1min") }
`;

test('@rateLimit read at compose: by coordinate, the default by API_KEY, an interface field\'s limit on each implementation', () => {
  const limits = fieldRateLimitsFromSchemas([buildSchema(SDL)]);
  assert.deepEqual([...limits.keys()].sort(), ['Account.balance', 'Checking.balance', 'Mutation.placeOrder', 'Query.search', 'Savings.balance']);
  assert.deepEqual(limits.get('Mutation.placeOrder'), [{ declaredAt: 'Mutation.placeOrder', policy: { limit: 3, windowMs: 60_000 }, by: 'API_KEY', text: '3/1min' }]);
  assert.equal(limits.get('Checking.balance')?.[0], limits.get('Account.balance')?.[0], 'one limit, one counter');
  assert.deepEqual(limits.get('Query.search')?.[0]?.policy, { limit: 5, windowMs: 30_000 });
  // The same from a supergraph's SDL.
  const fromDocument = fieldRateLimitsFromDocument(parse(SDL));
  assert.deepEqual([...fromDocument.keys()].sort(), [...limits.keys()].sort());
});

test('limited selections: aliases and fragment spreads count once per place; abstract selections carry the implementations\' limits', () => {
  const schema = buildSchema(SDL);
  const limits = fieldRateLimitsFromSchemas([schema]);
  const { document, definition } = operation(`
    { a: search(q: "x") b: search(q: "y") ...S ...S
      account(id: "1") { balance ... on Checking { balance } } }
    fragment S on Query { search(q: "z") }`);
  const selected = limitedSelections(schema, document, definition, limits);
  const byLimit = Object.fromEntries(selected.map((entry) => [entry.limit.declaredAt, { count: entry.count, at: [...entry.coordinates].sort() }]));
  assert.deepEqual(byLimit, {
    'Query.search': { count: 4, at: ['Query.search'] },
    'Account.balance': { count: 2, at: ['Account.balance', 'Checking.balance'] },
  });
  assert.deepEqual(limitedSelections(schema, parse('{ account(id: "1") { __typename } }'), operation('{ account(id: "1") { __typename } }').definition, limits), []);
});

test('a bad @rateLimit is SCHEMA_INVALID naming the field and the argument', () => {
  const bad = (directive: string): string => {
    try {
      fieldRateLimitsFromDocument(parse(`type Query { search: String ${directive} }`));
    } catch (error) {
      assert.ok(isGatewayError(error));
      assert.equal(error.code, 'SCHEMA_INVALID');
      return error.message;
    }
    assert.fail(`${directive} was accepted`);
  };
  assert.equal(bad('@rateLimit(max: 0, window: "min")'), '@rateLimit on Query.search: argument "max" must be an Int from 1 to 1000000000; received 0.');
  assert.equal(bad('@rateLimit(max: "5", window: "min")'), '@rateLimit on Query.search: argument "max" must be an Int from 1 to 1000000000; received "5".');
  assert.equal(bad('@rateLimit(max: 5, window: 60)'), '@rateLimit on Query.search: argument "window" must be a String such as "min", "30s", "h" or "d"; received 60.');
  assert.match(bad('@rateLimit(max: 5, window: "fortnight")'), /^@rateLimit on Query\.search: argument "window" "fortnight" is not a window: Invalid rate limit "5\/fortnight": unknown window unit "fortnight"/);
  assert.equal(bad('@rateLimit(max: 5, window: "min", by: USER)'), '@rateLimit on Query.search: argument "by" must be API_KEY, SUBJECT or IP; received USER.');
});
