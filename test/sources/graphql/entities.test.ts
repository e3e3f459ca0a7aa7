/**
 * A plain GraphQL source answers a query plan's entity fetches, `_entities(representations:)`,
 * through its `@lookup` fields: the fetch is rewritten into the lookups before it goes over
 * HTTP (once per document object), the keys are read from the representations, and the
 * answer comes back as `_entities`, in the order of the representations, errors at their
 * entities. A real GraphQL server on loopback (graphql-http), the executor the plan engine calls
 * (the source's `planExecutor`).
 */
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { createHandler } from 'graphql-http/lib/use/http';
import { graphqlSource } from '../../../gateway/src/sources/graphql/index.js';
import type { SourceRuntime } from '../../../gateway/src/sources/types.js';
import { sourceContext, sourceDeps } from '../../support/sources.js';

const USERS: Record<string, { id: string; name: string }> = { 1: { id: '1', name: 'Ada' }, 2: { id: '2', name: 'Grace' } };
const TEAMS: Record<string, { id: string; title: string }> = { t1: { id: 't1', title: 'Compilers' } };

/** Every query text the backend received. */
const received: string[] = [];
let server: Server;
let url: string;
let runtime: SourceRuntime;

before(async () => {
  const schema = makeExecutableSchema({
    typeDefs: /* GraphQL */ `
      type User { id: ID! name: String! secret: String }
      type Team { id: ID! title: String! }
      type Query {
        usersByIds(ids: [ID!]!): [User]!
        team(id: ID!): Team
        me: User
      }
    `,
    resolvers: {
      Query: {
        usersByIds: (_root: unknown, { ids }: { ids: string[] }) => ids.map((id) => USERS[id] ?? null),
        team: (_root: unknown, { id }: { id: string }) => TEAMS[id] ?? null,
        me: () => USERS[1],
      },
      User: { secret: (user: { id: string }) => (user.id === '2' ? new GraphQLError('no secret for you', { extensions: { code: 'FORBIDDEN' } }) : 'shh') },
    },
  });
  const handler = createHandler({
    schema,
    onSubscribe: (_request, params) => {
      received.push(params.query);
    },
  });
  server = createServer((request, response) => void handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  const typeDefs = parse(/* GraphQL */ `
    type Query {
      usersByIds(ids: [ID!]!): [User]! @lookup(key: "id") @internal
      team(id: ID!): Team @lookup(key: "id")
    }
  `);
  runtime = await graphqlSource(
    { name: 'accounts', kind: 'graphql', file: '/x/schema/accounts.graphql', label: 'schema/accounts.graphql', typeDefs },
    { url, timeoutMs: 2_000, headers: {} },
    sourceDeps(),
  );
});

after(async () => {
  await runtime?.close();
  // The last test closes the server already.
  if (server?.listening) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

beforeEach(() => {
  received.length = 0;
});

async function send(document: DocumentNode, variables: Record<string, unknown>) {
  return JSON.parse(JSON.stringify(await (runtime.planExecutor ?? runtime.executor)({ document, variables, context: sourceContext() }))) as {
    data?: Record<string, unknown> | null;
    errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
  };
}

const USERS_FETCH = parse('query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { name } } }');

test('an _entities fetch becomes one call of the batch lookup, answered in the order of the representations', async () => {
  const result = await send(USERS_FETCH, { representations: [{ __typename: 'User', id: '2' }, { __typename: 'User', id: '9' }, { __typename: 'User', id: '1' }] });
  assert.deepEqual(result, { data: { _entities: [{ name: 'Grace' }, null, { name: 'Ada' }] } });
  assert.equal(received.length, 1);
  assert.match(received[0]!, /usersByIds\(ids: \$representations__User\)/);
  assert.doesNotMatch(received[0]!, /_entities\(|team\(/, 'no _entities, and no lookup of a type the fetch does not ask for');
});

test('the same document object is rewritten once: the same text every time', async () => {
  await send(USERS_FETCH, { representations: [{ __typename: 'User', id: '1' }] });
  await send(USERS_FETCH, { representations: [{ __typename: 'User', id: '2' }] });
  assert.equal(received.length, 2);
  assert.equal(received[0], received[1]);
});

test('two entity types in one fetch: each through its lookup (a single-key one once per key), in order', async () => {
  const document = parse('query ($representations: [_Any!]!) { _entities(representations: $representations) { __typename ... on User { name } ... on Team { title } } }');
  const result = await send(document, {
    representations: [{ __typename: 'Team', id: 't1' }, { __typename: 'User', id: '1' }, { __typename: 'Team', id: 't9' }],
  });
  assert.deepEqual(result, { data: { _entities: [{ __typename: 'Team', title: 'Compilers' }, { __typename: 'User', name: 'Ada' }, null] } });
  assert.equal(received.length, 1, 'one request to the source');
});

test('a batch lookup of a type no representation has is skipped', async () => {
  const document = parse('query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { name } ... on Team { title } } }');
  const result = await send(document, { representations: [{ __typename: 'Team', id: 't1' }] });
  assert.deepEqual(result, { data: { _entities: [{ title: 'Compilers' }] } });
  assert.match(received[0]!, /usersByIds\(ids: \$representations__User\) @include\(if: \$representations__User__any\)/);
});

test("an error inside an entity comes back at that entity's index of _entities", async () => {
  const document = parse('query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { name secret } } }');
  const result = await send(document, { representations: [{ __typename: 'User', id: '1' }, { __typename: 'User', id: '2' }] });
  assert.deepEqual(result.data, { _entities: [{ name: 'Ada', secret: 'shh' }, { name: 'Grace', secret: null }] });
  assert.deepEqual(result.errors?.map((error) => [error.path, error.extensions?.code]), [[['_entities', 1, 'secret'], 'FORBIDDEN']]);
});

test('aliased _entities (a batched fetch) and other variables keep their places', async () => {
  const document = parse(`query ($a: [_Any!]!, $b: [_Any!]!) {
    _e0: _entities(representations: $a) { ... on User { name } }
    _e1: _entities(representations: $b) { ... on User { id } }
  }`);
  const result = await send(document, { a: [{ __typename: 'User', id: '2' }], b: [{ __typename: 'User', id: '1' }, { __typename: 'User', id: '2' }] });
  assert.deepEqual(result, { data: { _e0: [{ name: 'Grace' }], _e1: [{ id: '1' }, { id: '2' }] } });
});

test('a document without _entities goes to the source as it is', async () => {
  const result = await send(parse('{ me { name } }'), {});
  assert.deepEqual(result, { data: { me: { name: 'Ada' } } });
  assert.equal(received[0], '{\n  me {\n    name\n  }\n}');
});

test('the source down: the fetch fails as a whole, naming the source', async () => {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
  const result = await send(USERS_FETCH, { representations: [{ __typename: 'User', id: '1' }] });
  assert.equal(result.data, undefined);
  assert.deepEqual(result.errors?.map((error) => [error.path, error.extensions?.code, error.extensions?.source]), [[undefined, 'UPSTREAM_UNAVAILABLE', 'accounts']]);
});
