/**
 * The policy model, computed once at compose: what each coordinate requires on every object
 * and interface type (interfaces down to their implementations, type-level directives of the
 * parent, of its interfaces and of the returned type, an interface as the union of its
 * possible types); auth directive arguments coerced as GraphQL coerces them, a bad one
 * SCHEMA_INVALID naming the file, the coordinate and the argument; a federation subgraph's
 * `@link` renames read, and an unenforced security feature refused, as for a supergraph.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildASTSchema, parse } from 'graphql';
import { mergeTypeDefs } from '@graphql-tools/merge';
import { policiesFor } from '../../../gateway/src/auth/policy/model.js';
import { DIRECTIVES_DOCUMENT } from '../../../gateway/src/directives/index.js';
import { isGatewayError } from '../../../gateway/src/errors/index.js';

/** The policies of one annotated `schema/` file, as compose reads them. */
function policiesOf(sdl: string, label = 'schema/bank.graphql') {
  const document = mergeTypeDefs([DIRECTIVES_DOCUMENT, parse(sdl)]);
  return policiesFor(buildASTSchema(document), [{ label, definitions: document.definitions }]);
}

const KEY = (...scopes: string[]) => ({ kind: 'apiKey', scopes, withToken: false });

test('a requirement on an interface field applies to every implementation, and to the interface', () => {
  const policies = policiesOf(`
    type Query { account: Account }
    interface Account { id: ID! balance: Float @apiKey(scopes: ["finance"]) }
    type Checking implements Account { id: ID! balance: Float }
    type Savings implements Account { id: ID! balance: Float rate: Float @apiKey(scopes: ["rates"]) }
  `);
  assert.deepEqual(policies.get('Checking.balance'), [KEY('finance')]);
  assert.deepEqual(policies.get('Savings.balance'), [KEY('finance')]);
  assert.deepEqual(policies.get('Account.balance'), [KEY('finance')]);
  assert.deepEqual(policies.get('Savings.rate'), [KEY('rates')]);
  assert.equal(policies.get('Checking.id'), undefined);
  assert.equal(policies.get('Account.id'), undefined);
});

test('an implementation\'s requirement widens the interface field: the most restrictive reading', () => {
  const policies = policiesOf(`
    type Query { nodes: [Node] }
    interface Node { id: ID! pin: String }
    type User implements Node { id: ID! pin: String }
    type Admin implements Node { id: ID! pin: String @apiKey(scopes: ["admin"]) }
  `);
  assert.deepEqual(policies.get('Node.pin'), [KEY('admin')]);
  assert.equal(policies.get('User.pin'), undefined);
});

test('a type-level directive on an interface protects every field of every implementation and every field returning one', () => {
  const policies = policiesOf(`
    type Query { vaults: [Vaulted] box: Box other: Other }
    interface Vaulted @apiKey(scopes: ["vault"]) { code: String }
    interface Labelled implements Vaulted { code: String label: String }
    type Box implements Vaulted & Labelled { code: String label: String size: Int }
    type Other { name: String }
  `);
  for (const coordinate of ['Box.code', 'Box.label', 'Box.size', 'Vaulted.code', 'Labelled.label', 'Query.vaults', 'Query.box']) {
    assert.deepEqual(policies.get(coordinate), [KEY('vault')], coordinate);
  }
  assert.equal(policies.get('Query.other'), undefined);
  assert.equal(policies.get('Other.name'), undefined);
});

test('a union member\'s type-level directive protects its fields; the union\'s own protects the fields returning it', () => {
  const policies = policiesOf(`
    type Query { search: [SearchResult] hidden: Hidden }
    union SearchResult = Note | Secret
    union Hidden @apiKey(scopes: ["hidden"]) = Note
    type Note { text: String }
    type Secret @apiKey(scopes: ["secret"]) { text: String }
  `);
  assert.deepEqual(policies.get('Secret.text'), [KEY('secret')]);
  assert.equal(policies.get('Note.text'), undefined);
  assert.equal(policies.get('Query.search'), undefined, 'a public member stays readable through the union');
  assert.deepEqual(policies.get('Query.hidden'), [KEY('hidden')]);
});

test('a field inherits its own, its interface\'s, its parent\'s and its return type\'s requirements, each once', () => {
  const policies = policiesOf(`
    type Query { a: A }
    interface I @authenticated { f: R @apiKey(scopes: ["i"]) }
    type A implements I @requiresClaim(name: "amr", values: ["mfa"]) { f: R @apiKey(scopes: ["i"]) }
    type R @requiresScope(scopes: [["r"]]) { x: Int }
  `);
  assert.deepEqual(policies.get('A.f'), [
    KEY('i'),
    { kind: 'claim', name: 'amr', values: ['mfa'] },
    { kind: 'authenticated' },
    { kind: 'scopes', anyOf: [['r']] },
  ]);
});

test('single values coerce to lists as in any GraphQL value: @apiKey(scopes: "admin"), @requiresScope(scopes: ["admin"])', () => {
  const policies = policiesOf(`
    type Query {
      a: Int @apiKey(scopes: "admin")
      b: Int @requiresScope(scopes: ["admin"])
      c: Int @requiresScope(scopes: "admin")
      d: Int @requiresClaim(name: "amr", values: "mfa")
      e: Int @apiKey(scopes: null, withToken: null)
    }
  `);
  assert.deepEqual(policies.get('Query.a'), [KEY('admin')]);
  assert.deepEqual(policies.get('Query.b'), [{ kind: 'scopes', anyOf: [['admin']] }]);
  assert.deepEqual(policies.get('Query.c'), [{ kind: 'scopes', anyOf: [['admin']] }]);
  assert.deepEqual(policies.get('Query.d'), [{ kind: 'claim', name: 'amr', values: ['mfa'] }]);
  assert.deepEqual(policies.get('Query.e'), [KEY()]);
});

test('an argument of the wrong type is SCHEMA_INVALID naming the file, the coordinate and the argument', () => {
  const cases: Array<[string, RegExp]> = [
    ['type Query { a: Int @apiKey(scopes: 5) }', /^schema\/bank\.graphql: Query\.a: @apiKey\(scopes:\) must be \[String!\]; received 5\.$/],
    ['type Query { a: Int @apiKey(scopes: ["x"], withToken: "yes") }', /^schema\/bank\.graphql: Query\.a: @apiKey\(withToken:\) must be Boolean; received "yes"\.$/],
    ['type Query { a: Int @requiresScope(scopes: [[1]]) }', /^schema\/bank\.graphql: Query\.a: @requiresScope\(scopes:\) must be \[\[String!\]!\]!; received \[\[1\]\]\.$/],
    ['type Query { a: Int @requiresScope(scopes: null) }', /^schema\/bank\.graphql: Query\.a: @requiresScope\(scopes:\) must be \[\[String!\]!\]!; received null\.$/],
    ['type Query { a: A } type A @requiresClaim(name: ["amr"], values: ["mfa"]) { x: Int }', /^schema\/bank\.graphql: A: @requiresClaim\(name:\) must be String!; received \["amr"\]\.$/],
  ];
  for (const [sdl, message] of cases) {
    assert.throws(() => policiesOf(sdl), (error: unknown) => {
      assert.ok(isGatewayError(error), String(error));
      assert.equal(error.code, 'SCHEMA_INVALID');
      assert.match(error.message, message);
      return true;
    }, sdl);
  }
});

/** A federation subgraph's policies, as compose reads a FEDERATION source in `schema/` mode. */
function subgraphPolicies(sdl: string) {
  const document = parse(sdl);
  return policiesFor(buildASTSchema(document, { assumeValidSDL: true }), [{ label: 'schema/fed.graphql (the SDL of federation source "fed")', definitions: document.definitions }]);
}

test('a federation subgraph\'s auth directives are read under its @link names: imports, renames, the namespace', () => {
  const policies = subgraphPolicies(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", { name: "@authenticated", as: "@loggedIn" }, "@requiresScopes"])
    type Query { me: User @loggedIn  admin: Int @requiresScopes(scopes: [["admin"]])  audit: Int @federation__authenticated }
    type User @key(fields: "id") { id: ID! }
  `);
  assert.deepEqual(Object.fromEntries(policies), {
    'Query.me': [{ kind: 'authenticated' }],
    'Query.admin': [{ kind: 'scopes', anyOf: [['admin']] }],
    'Query.audit': [{ kind: 'authenticated' }],
  });
  const namespaced = subgraphPolicies(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", as: "fed", import: ["@key"])
    type Query { a: Int @fed__requiresScopes(scopes: [["a"]]) }
  `);
  assert.deepEqual(namespaced.get('Query.a'), [{ kind: 'scopes', anyOf: [['a']] }]);
});

test('an unenforced security feature is refused for a subgraph as for a supergraph: @policy, a SECURITY link', () => {
  const refused = (sdl: string, message: RegExp) => assert.throws(() => subgraphPolicies(sdl), (error: unknown) => {
    assert.ok(isGatewayError(error));
    assert.equal(error.code, 'SCHEMA_INVALID');
    assert.match(error.message, message);
    return true;
  });
  refused(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: [{ name: "@policy", as: "@hr" }])
    type Query { payroll: Int @hr(policies: [["hr"]]) }
  `, /^schema\/fed\.graphql \(the SDL of federation source "fed"\): Query\.payroll: @hr is Apollo's @policy, which OpenClaw does not enforce/);
  refused(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])
    type Query { payroll: Int @federation__policy(policies: [["hr"]]) }
  `, /Query\.payroll: @federation__policy is Apollo's @policy/);
  refused(`
    extend schema @link(url: "https://example.com/acl/v1.0", for: SECURITY)
    type Query { payroll: Int }
  `, /links the SECURITY feature https:\/\/example\.com\/acl\/v1\.0, which OpenClaw does not enforce/);
});
