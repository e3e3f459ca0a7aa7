/**
 * The authorization pass on a small graph: refused fields are never resolved, come back null
 * with an error at each real path (list indices included), nulls propagate through non-null
 * fields, fragments on abstract types are judged by the object's own type, and a document with
 * no protected field costs nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execute, parse, type DocumentNode } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { ANONYMOUS, type Principal } from '../../../gateway/src/auth/principal.js';
import { analyse, decide, fill, prune } from '../../../gateway/src/auth/policy/pass.js';
import { policiesFor } from '../../../gateway/src/auth/policy/model.js';
import { definitionsOf } from '../../../gateway/src/auth/policy/requirements.js';
import { DIRECTIVES_DOCUMENT } from '../../../gateway/src/directives/index.js';

const resolved: string[] = [];
const schema = makeExecutableSchema({
  typeDefs: [
    DIRECTIVES_DOCUMENT,
    /* GraphQL */ `
      interface Node { id: ID! }
      type User implements Node { id: ID! name: String secret: String @apiKey(scopes: ["users:secret"]) orders: [Order!] @apiKey(scopes: ["orders:read"]) }
      type Order @apiKey(scopes: ["orders:read"]) { id: ID! total: Int }
      type Admin implements Node { id: ID! pin: String! @requiresScope(scopes: [["admin"]]) }
      type Query { users: [User!]! nodes: [Node!]! admin: Admin me: User }
      type Mutation { placeOrder: Order! @apiKey(scopes: ["orders:write"]) }
    `,
  ],
  resolvers: {
    Node: { __resolveType: (value: { kind: string }) => value.kind },
    Query: {
      users: () => [{ kind: 'User', id: '1', name: 'Ada' }, { kind: 'User', id: '2', name: 'Bob' }],
      nodes: () => [{ kind: 'User', id: '1', name: 'Ada' }, { kind: 'Admin', id: 'a' }],
      admin: () => ({ kind: 'Admin', id: 'a' }),
      me: () => ({ kind: 'User', id: '1', name: 'Ada' }),
    },
    User: {
      secret: () => {
        resolved.push('User.secret');
        return 's3cret';
      },
      orders: () => {
        resolved.push('User.orders');
        return [{ id: 'o1', total: 3 }];
      },
    },
    Admin: {
      pin: () => {
        resolved.push('Admin.pin');
        return '1234';
      },
    },
    Mutation: {
      placeOrder: () => {
        resolved.push('Mutation.placeOrder');
        return { id: 'o2', total: 1 };
      },
    },
  },
});
const policies = policiesFor(schema, [{ label: 'test.graphql', definitions: definitionsOf(schema) }]);

function key(scopes: string[]): Principal {
  return { kind: 'apiKey', subject: 'k1', keyId: 'k1', scopes: new Set(scopes), claims: {} };
}

/** Runs `source` as the pipeline does: analyse, decide, prune, execute, fill. */
async function run(source: string, principal: Principal) {
  resolved.length = 0;
  const document: DocumentNode = parse(source);
  const policy = analyse(document, schema, policies);
  const refusals = policy === undefined ? new Map() : decide(policy, principal);
  const runnable = refusals.size === 0 ? document : prune(document, schema, refusals);
  const result = (await execute({ schema, document: runnable })) as { data?: Record<string, unknown> | null; errors?: readonly unknown[] };
  const data = result.data === undefined ? undefined : (JSON.parse(JSON.stringify(result.data)) as Record<string, unknown> | null);
  const out = { data };
  const errors = refusals.size === 0 ? [] : fill(document, undefined, schema, refusals, out);
  return { data: out.data, errors: errors.map((error) => ({ path: error.path, code: error.extensions?.code, message: error.message })), executionErrors: result.errors ?? [] };
}

test('a document with no protected field is not analysed further', () => {
  assert.equal(analyse(parse('{ users { id name } }'), schema, policies), undefined);
});

test('a refused field in a list is null at every index, never resolved, with its own error each', async () => {
  const { data, errors, executionErrors } = await run('{ users { id secret } }', ANONYMOUS);
  assert.deepEqual(executionErrors, []);
  assert.deepEqual(data, { users: [{ id: '1', secret: null }, { id: '2', secret: null }] });
  assert.deepEqual(resolved, [], 'no resolver ran for the refused field');
  assert.deepEqual(errors.map((error) => [error.path, error.code]), [[['users', 0, 'secret'], 'UNAUTHENTICATED'], [['users', 1, 'secret'], 'UNAUTHENTICATED']]);
  assert.equal(errors[0]?.message, 'Not authorized to read User.secret: it needs an API key with scope "users:secret".');
});

test('a key with the scope reads it; a key without it is FORBIDDEN', async () => {
  const allowed = await run('{ me { secret } }', key(['users:secret']));
  assert.deepEqual(allowed.data, { me: { secret: 's3cret' } });
  assert.deepEqual(allowed.errors, []);
  const refused = await run('{ me { secret } }', key(['other']));
  assert.deepEqual(refused.data, { me: { secret: null } });
  assert.equal(refused.errors[0]?.code, 'FORBIDDEN');
});

test('a type-level directive protects every field returning the type', async () => {
  const { data, errors } = await run('{ me { name orders { id } } }', key([]));
  assert.deepEqual(data, { me: { name: 'Ada', orders: null } });
  assert.deepEqual(errors.map((error) => error.path), [['me', 'orders']]);
  assert.deepEqual(resolved, []);
});

test('a refused non-null root mutation nulls data, and nothing is called', async () => {
  const { data, errors } = await run('mutation { placeOrder { id } }', key(['orders:read']));
  assert.equal(data, null);
  assert.deepEqual(errors.map((error) => [error.path, error.code]), [[['placeOrder'], 'FORBIDDEN']]);
  assert.deepEqual(resolved, []);
});

test('a refused non-null field nulls its nullable parent', async () => {
  const { data, errors } = await run('{ admin { id pin } }', key([]));
  assert.deepEqual(data, { admin: null });
  assert.deepEqual(errors.map((error) => [error.path, error.code]), [[['admin', 'pin'], 'UNAUTHENTICATED']]);
});

test('fragments on an interface are judged by each object type, aliases keep their names', async () => {
  const { data, errors, executionErrors } = await run('{ nodes { id ... on User { name s: secret } ... on Admin { id } } }', key([]));
  assert.deepEqual(executionErrors, []);
  assert.deepEqual(data, { nodes: [{ id: '1', name: 'Ada', s: null }, { id: 'a' }] });
  assert.deepEqual(errors.map((error) => error.path), [['nodes', 0, 's']]);
});

test('a token with the scope reads a @requiresScope field; a key does not', async () => {
  const token: Principal = { kind: 'jwt', subject: 'u1', scopes: new Set(['admin']), claims: {} };
  assert.deepEqual((await run('{ admin { pin } }', token)).data, { admin: { pin: '1234' } });
  assert.deepEqual((await run('{ admin { pin } }', key(['admin']))).data, { admin: null });
});

test('an interface field is protected when any implementation protects it (no leak through the interface)', async () => {
  const { data, errors } = await run('{ nodes { ... on Node { id } } admin { ... on Node { id } } }', ANONYMOUS);
  assert.deepEqual(errors, []);
  assert.deepEqual(data, { nodes: [{ id: '1' }, { id: 'a' }], admin: { id: 'a' } });
  const guarded = analyse(parse('{ nodes { ... on Admin { pin } } }'), schema, policies);
  assert.deepEqual([...(guarded?.guarded.keys() ?? [])], ['Admin.pin']);
});

test('fill is linear in the document: a fragment spread twice at each of 40 levels is visited once per object', async () => {
  const depth = 40;
  const fragments = Array.from({ length: depth }, (_, level) => `fragment F${level} on User { ...F${level + 1} ...F${level + 1} }`);
  const source = `{ users { ...F0 } } ${fragments.join(' ')} fragment F${depth} on User { name secret }`;
  const started = performance.now();
  const { data, errors, executionErrors } = await run(source, ANONYMOUS);
  const elapsed = performance.now() - started;
  assert.deepEqual(executionErrors, []);
  assert.deepEqual(data, { users: [{ name: 'Ada', secret: null }, { name: 'Bob', secret: null }] });
  assert.deepEqual(errors.map((error) => error.path), [['users', 0, 'secret'], ['users', 1, 'secret']]);
  // 2^40 fragment visits would never end; a linear fill takes well under a millisecond here.
  assert.ok(elapsed < 1000, `took ${elapsed.toFixed(0)} ms`);
});

test('an object selected twice keeps its runtime type for the second selection: no null is invented', async () => {
  const { data, errors } = await run('{ nodes { ... on User { secret } } nodes { ... on Admin { id } } }', ANONYMOUS);
  assert.deepEqual(data, { nodes: [{ secret: null }, { id: 'a' }] });
  assert.deepEqual(errors.map((error) => error.path), [['nodes', 0, 'secret']]);
});

test('two passes that prune the same document (authorization, then a field limit) keep each object\'s runtime type for the second fill', async () => {
  // Authorization refuses User.secret; the second pass (a field's @rateLimit reuses
  // prune/fill) refuses User.name. Both fills run over the same answer, in that order.
  const document = parse('{ nodes { ... on User { secret name } ... on Admin { id } } }');
  const first = decide(analyse(document, schema, policies)!, ANONYMOUS);
  const second = new Map([['User.name', { code: 'RATE_LIMITED', needs: 'fewer requests', accepts: [] }]]) as unknown as typeof first;
  const runnable = prune(prune(document, schema, first), schema, second);
  const result = (await execute({ schema, document: runnable })) as { data?: Record<string, unknown> | null };
  const out = { data: JSON.parse(JSON.stringify(result.data)) as Record<string, unknown> | null };
  const errors = [...fill(document, undefined, schema, first, out), ...fill(document, undefined, schema, second, out)];
  // The Admin never gets the User fragment's `name: null`, nor an error at its path.
  assert.deepEqual(out.data, { nodes: [{ secret: null, name: null }, { id: 'a' }] });
  assert.deepEqual(errors.map((error) => [error.path, error.extensions?.code]), [[['nodes', 0, 'secret'], 'UNAUTHENTICATED'], [['nodes', 0, 'name'], 'RATE_LIMITED']]);
});
