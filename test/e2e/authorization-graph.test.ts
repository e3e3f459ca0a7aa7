/**
 * Authorization that cannot be sidestepped, in `schema/` mode, through the real pipeline: a
 * gateway over two real GraphQL subgraphs on loopback (test/support/auth-graph.ts), a graph
 * with an interface protected at field level (`Account.balance`) and at type level
 * (`Vaulted`), a union with a protected member (`Secret`), and an entity joined from another
 * source with a protected field (`Customer.creditScore`). Every way of reaching a protected
 * field (a fragment on the implementation, a union member, an interface inside a union, named
 * fragments, aliases, an entity join, one of several operations) is refused without the key,
 * never asked of a backend, and answered with it; `_entities` is not in the public graph.
 * Both engines, and reject mode.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { isGatewayError } from '../../gateway/src/errors/index.js';
import { backendSdl, startAuthGraph, type AuthGraph, type FurtherSource } from '../support/auth-graph.js';
import type { JsonResponse } from '../support/demo-gateway.js';

const BANK = /* GraphQL */ `
  type Query {
    account(id: ID!): Account
    accounts: [Account]
    search(text: String): [SearchResult]
    vaults: [Vaulted]
    box: Box
    motto: String
    admin: String @apiKey(scopes: "admin")
    adminByToken: String @requiresScope(scopes: ["admin"])
  }
  interface Account { id: ID! owner: String balance: Float @apiKey(scopes: ["finance"]) }
  type Checking implements Account { id: ID! owner: String balance: Float customer: Customer }
  type Savings implements Account { id: ID! owner: String balance: Float rate: Float }
  "Everything vaulted needs a key with vault, however it is reached."
  interface Vaulted @apiKey(scopes: ["vault"]) { code: String }
  type Box implements Vaulted { code: String label: String }
  union SearchResult = Checking | Note | Secret
  type Note { text: String }
  type Secret @apiKey(scopes: ["secret"]) { text: String }
  type Customer { id: ID! }
`;

const CRM_SDL = /* GraphQL */ `
  type Query { customersByIds(ids: [ID!]!): [Customer]! @lookup(key: "id") @internal }
  type Customer { id: ID! name: String creditScore: Int @apiKey(scopes: ["credit"]) }
`;

function crm(resolved: string[]): FurtherSource {
  const record = (coordinate: string, value: unknown) => {
    resolved.push(coordinate);
    return value;
  };
  const schema = makeExecutableSchema({
    typeDefs: backendSdl(CRM_SDL),
    resolvers: {
      Query: { customersByIds: (_: unknown, { ids }: { ids: string[] }) => ids.map((id) => ({ id })) },
      Customer: { name: () => record('Customer.name', 'Ada'), creditScore: () => record('Customer.creditScore', 700) },
    },
  });
  return { name: 'crm', sdl: CRM_SDL, schema };
}

const ALL_SCOPES = ['finance', 'vault', 'secret', 'credit', 'admin'];

/** Each error's path and code, by path. */
const refusals = (response: JsonResponse) => Object.fromEntries((response.body.errors ?? []).map((error) => [(error.path ?? []).join('.'), error.extensions?.code]));

for (const engine of ['plan', 'reference'] as const) {
  describe(`schema/ mode: interfaces, unions and entity joins protected at field and type level (${engine} engine)`, () => {
    let graph: AuthGraph;
    let crmResolved: string[];
    let key: string;

    before(async () => {
      crmResolved = [];
      graph = await startAuthGraph({ sdl: BANK, sources: [crm(crmResolved)], config: { engine } });
      key = await graph.createKey(ALL_SCOPES);
    });
    after(async () => {
      await graph?.close();
    });

    const ask = async (query: string, credential?: string, operationName?: string) => {
      graph.resolved.length = 0;
      crmResolved.length = 0;
      return graph.query({ query, ...(operationName ? { operationName } : {}) }, credential);
    };

    test('an interface field is protected on every implementation: `... on Checking { balance }` needs the key', async () => {
      const anonymous = await ask('{ account(id: "1") { id ... on Checking { balance } } }');
      assert.equal(anonymous.status, 200);
      assert.deepEqual(anonymous.body.data, { account: { id: '1', balance: null } });
      assert.deepEqual(refusals(anonymous), { 'account.balance': 'UNAUTHENTICATED' });
      assert.equal(anonymous.body.errors?.[0]?.message, 'Not authorized to read Checking.balance: it needs an API key with scope "finance".');
      assert.ok(!graph.resolved.includes('Checking.balance'), 'the backend is never asked for it');
      const allowed = await ask('{ account(id: "1") { id ... on Checking { balance } } }', key);
      assert.deepEqual(allowed.body, { data: { account: { id: '1', balance: 1.5 } } });
    });

    test('a type-level directive on an interface protects its implementations however they are reached', async () => {
      const anonymous = await ask('{ box { label } vaults { ... on Box { label } } }');
      assert.deepEqual(anonymous.body.data, { box: null, vaults: null });
      assert.deepEqual(refusals(anonymous), { box: 'UNAUTHENTICATED', vaults: 'UNAUTHENTICATED' });
      assert.deepEqual(graph.resolved, []);
      const allowed = await ask('{ box { label } vaults { ... on Box { label } } }', key);
      assert.deepEqual(allowed.body, { data: { box: { label: 'Box.label' }, vaults: [{ label: 'Box.label' }] } });
    });

    test('a protected union member, and an interface field inside a union, are refused through the union', async () => {
      const query = '{ search(text: "x") { ... on Note { text } ... on Secret { text } ... on Account { balance } } }';
      const anonymous = await ask(query);
      assert.deepEqual(anonymous.body.data, { search: [{ balance: null }, { text: 'Note.text' }, { text: null }] });
      assert.deepEqual(refusals(anonymous), { 'search.0.balance': 'UNAUTHENTICATED', 'search.2.text': 'UNAUTHENTICATED' });
      assert.ok(!graph.resolved.includes('Secret.text') && !graph.resolved.includes('Checking.balance'));
      const allowed = await ask(query, key);
      assert.deepEqual(allowed.body, { data: { search: [{ balance: 1.5 }, { text: 'Note.text' }, { text: 'Secret.text' }] } });
    });

    test('named fragments and aliases, on the interface and on an implementation', async () => {
      const query = 'query Mine { mine: accounts { ...Money } } fragment Money on Account { owner ... on Savings { cash: balance rate } ...Plain } fragment Plain on Checking { money: balance }';
      const anonymous = await ask(query);
      assert.deepEqual(anonymous.body.data, { mine: [{ owner: 'Checking.owner', money: null }, { owner: 'Savings.owner', cash: null, rate: 1.5 }] });
      assert.deepEqual(refusals(anonymous), { 'mine.0.money': 'UNAUTHENTICATED', 'mine.1.cash': 'UNAUTHENTICATED' });
      const allowed = await ask(query, key);
      assert.deepEqual(allowed.body, { data: { mine: [{ owner: 'Checking.owner', money: 1.5 }, { owner: 'Savings.owner', cash: 1.5, rate: 1.5 }] } });
    });

    test('an entity joined from another source keeps its own protection: Customer.creditScore is never asked of crm', async () => {
      const query = '{ account(id: "1") { ... on Checking { customer { name creditScore } } } }';
      const anonymous = await ask(query);
      assert.deepEqual(anonymous.body.data, { account: { customer: { name: 'Ada', creditScore: null } } });
      assert.deepEqual(refusals(anonymous), { 'account.customer.creditScore': 'UNAUTHENTICATED' });
      assert.deepEqual(crmResolved, ['Customer.name']);
      const allowed = await ask(query, key);
      assert.deepEqual(allowed.body, { data: { account: { customer: { name: 'Ada', creditScore: 700 } } } });
    });

    test('one of several operations: the one named is judged, and each on its own', async () => {
      const document = 'query Public { motto } query Private { accounts { balance } }';
      assert.deepEqual((await ask(document, undefined, 'Public')).body, { data: { motto: 'Query.motto' } });
      const refused = await ask(document, undefined, 'Private');
      assert.deepEqual(refused.body.data, { accounts: [{ balance: null }, { balance: null }] });
      assert.deepEqual(refusals(refused), { 'accounts.0.balance': 'UNAUTHENTICATED', 'accounts.1.balance': 'UNAUTHENTICATED' });
    });

    test('single-value list arguments are enforced: @apiKey(scopes: "admin"), @requiresScope(scopes: ["admin"])', async () => {
      const other = await graph.createKey(['finance']);
      const refused = await ask('{ admin adminByToken }', other);
      assert.deepEqual(refused.body.data, { admin: null, adminByToken: null });
      assert.deepEqual(refusals(refused), { admin: 'FORBIDDEN', adminByToken: 'UNAUTHENTICATED' });
      assert.deepEqual(refused.body.errors?.map((error) => error.message), [
        'Not authorized to read Query.admin: it needs an API key with scope "admin".',
        'Not authorized to read Query.adminByToken: it needs a bearer token with scope "admin".',
      ]);
      assert.deepEqual((await ask('{ admin }', key)).body, { data: { admin: 'Query.admin' } });
    });

    test('_entities and _service are not in the public graph: a document naming them fails validation', async () => {
      const response = await ask('{ _entities(representations: [{ __typename: "Customer", id: "1" }]) { ... on Customer { creditScore } } }');
      assert.equal(response.status, 400);
      assert.equal(response.body.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
      assert.match(response.body.errors?.[0]?.message ?? '', /Cannot query field "_entities" on type "Query"/);
      const service = await ask('{ _service { sdl } }');
      assert.equal(service.status, 400);
      assert.match(service.body.errors?.[0]?.message ?? '', /Cannot query field "_service" on type "Query"/);
      assert.deepEqual(crmResolved, []);
    });
  });
}

describe('schema/ mode, reject mode: a protected field reached through an implementation refuses the operation', () => {
  let graph: AuthGraph;
  before(async () => {
    graph = await startAuthGraph({ sdl: BANK, config: { authorization: { mode: 'reject' } } });
  });
  after(async () => {
    await graph?.close();
  });

  test('401 with the API key challenge, and nothing asked of the backend; a public document answers', async () => {
    graph.resolved.length = 0;
    const refused = await graph.query({ query: '{ motto account(id: "1") { ... on Checking { balance } } }' });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.match(refused.headers.get('www-authenticate') ?? '', /ApiKey/);
    assert.deepEqual(graph.resolved, []);
    assert.deepEqual((await graph.query({ query: '{ motto }' })).body, { data: { motto: 'Query.motto' } });
  });
});

test('a directive argument of the wrong type stops start-up: SCHEMA_INVALID naming the file, field and argument', async () => {
  await assert.rejects(startAuthGraph({ sdl: 'type Query { motto: String @apiKey(scopes: 5) }' }), (error: unknown) => {
    assert.ok(isGatewayError(error), String(error));
    assert.equal(error.code, 'SCHEMA_INVALID');
    assert.match(error.message, /bank\.graphql: Query\.motto: @apiKey\(scopes:\) must be \[String!\]; received 5\.$/);
    return true;
  });
});
