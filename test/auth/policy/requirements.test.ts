/**
 * Policies read from a federation supergraph: its @authenticated and @requiresScopes under the
 * names its @link imports give them (Apollo's composition keeps renames), type-level
 * directives applied to the fields returning the type, and a SECURITY feature the gateway does
 * not enforce refusing the supergraph instead of leaving its fields open.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildASTSchema, parse, type DocumentNode } from 'graphql';
import { policiesFor } from '../../../gateway/src/auth/policy/model.js';
import { isGatewayError } from '../../../gateway/src/errors/index.js';

/** The policies of a supergraph, as supergraph mode reads them. */
function policiesFromSupergraph(document: DocumentNode) {
  return policiesFor(buildASTSchema(document, { assumeValidSDL: true }), [{ label: 'supergraph.graphql', definitions: document.definitions }]);
}

const TYPES = /* GraphQL */ `
  type Query { account(id: ID!): Account @loggedIn  audit: Audit  publicInfo: String }
  type Account { id: ID! balance: Int @scopes(scopes: [["accounts:read"], ["admin"]]) }
  type Audit @loggedIn { entries: [String!]! }
`;

test('renamed imports (Apollo composition output) are read under their local names', () => {
  const policies = policiesFromSupergraph(parse(/* GraphQL */ `
    schema
      @link(url: "https://specs.apollo.dev/link/v1.0")
      @link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY, import: [{name: "@authenticated", as: "@loggedIn"}])
      @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY, import: [{name: "@requiresScopes", as: "@scopes"}])
    { query: Query }
    ${TYPES}
  `));
  assert.deepEqual(Object.fromEntries(policies), {
    'Query.account': [{ kind: 'authenticated' }],
    'Query.audit': [{ kind: 'authenticated' }],
    'Audit.entries': [{ kind: 'authenticated' }],
    'Account.balance': [{ kind: 'scopes', anyOf: [['accounts:read'], ['admin']] }],
  });
});

test('a namespace renamed with "as" renames the eponymous directive', () => {
  const policies = policiesFromSupergraph(parse(/* GraphQL */ `
    schema
      @link(url: "https://specs.apollo.dev/authenticated/v0.1", as: "loggedIn", for: SECURITY)
      @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", as: "scopes", for: SECURITY)
    { query: Query }
    ${TYPES}
  `));
  assert.deepEqual([...policies.keys()].sort(), ['Account.balance', 'Audit.entries', 'Query.account', 'Query.audit']);
});

test('plain names, linked or not, as the composition of The Guild writes them', () => {
  const sdl = TYPES.replaceAll('@loggedIn', '@authenticated').replaceAll('@scopes', '@requiresScopes');
  for (const links of ['', '@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY) @link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)']) {
    const policies = policiesFromSupergraph(parse(`schema ${links} { query: Query }\n${sdl}`));
    assert.deepEqual([...policies.keys()].sort(), ['Account.balance', 'Audit.entries', 'Query.account', 'Query.audit'], links || 'no links');
  }
});

test('a SECURITY feature the gateway does not enforce refuses the supergraph (SCHEMA_INVALID)', () => {
  const sdl = /* GraphQL */ `
    schema @link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY) { query: Query }
    type Query { payroll: Int @policy(policies: [["hr"]]) }
  `;
  assert.throws(() => policiesFromSupergraph(parse(sdl)), (error: unknown) => {
    assert.ok(isGatewayError(error));
    assert.equal(error.code, 'SCHEMA_INVALID');
    assert.match(error.message, /links the SECURITY feature https:\/\/specs\.apollo\.dev\/policy\/v0\.1, which OpenClaw does not enforce/);
    return true;
  });
  // @inaccessible is enforced by the API schema (its elements are not in it), not refused.
  assert.equal(policiesFromSupergraph(parse('schema @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY) { query: Query } type Query { a: Int @inaccessible b: Int }')).size, 0);
  // An EXECUTION feature (join) is the query planner's business, not authorization's.
  assert.equal(policiesFromSupergraph(parse('schema @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) { query: Query } type Query { a: Int }')).size, 0);
});
