/**
 * Supergraph mode enforces a federation supergraph's own auth directives: two real Apollo
 * Federation subgraphs on loopback (@apollo/subgraph) put `@authenticated` and
 * `@requiresScopes` on their fields and types, @theguild/federation-composition composes them,
 * and `startGateway` serves the supergraph with a real OpenID provider's tokens. The fields are
 * enforced like the demo graph's: before any subgraph is called, refused fields null with an
 * error at their path, `@requiresScopes` read as OR of ANDs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { resolveConfig, startGateway, type RunningGateway } from '../../gateway/src/index.js';
import { CallLog } from '../../subgraphs/support/call-log.js';
import { startGraphQLServer } from '../../subgraphs/support/graphql.js';
import type { RunningSubgraph } from '../../subgraphs/support/running.js';
import { postGraphQL, REPO_ROOT, type JsonResponse } from '../support/demo-gateway.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc.js';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@authenticated", "@requiresScopes"])';

const ACCOUNTS_SDL = `${LINK}
type Query {
  publicInfo: String
  account(id: ID!): Account @authenticated
  auditLog: AuditLog
}
type Account @key(fields: "id") {
  id: ID!
  name: String
  balance: Int @requiresScopes(scopes: [["accounts:read"], ["admin"]])
}
"Every field of this type, and every field returning it, needs a token."
type AuditLog @authenticated {
  entries: [String!]!
}`;

const STATEMENTS_SDL = `${LINK}
type Account @key(fields: "id") {
  id: ID!
  statements: [String!] @requiresScopes(scopes: [["statements:read", "accounts:read"]])
}`;

const accountsResolvers = {
  Query: {
    publicInfo: () => 'Open 9-5',
    account: (_: unknown, { id }: { id: string }) => ({ id, name: 'Ada', balance: 1200 }),
    auditLog: () => ({ entries: ['login'] }),
  },
  Account: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, name: 'Ada', balance: 1200 }) },
};

const statementsResolvers = {
  Account: { __resolveReference: (ref: { id: string }) => ({ id: ref.id, statements: [`statement of ${ref.id}`] }) },
};

describe('a federation supergraph\'s @authenticated and @requiresScopes, in supergraph mode', () => {
  let provider: TestOidcProvider;
  let accounts: RunningSubgraph;
  let statements: RunningSubgraph;
  let dir: string;
  let gateway: RunningGateway;

  before(async () => {
    provider = await startOidcProvider({ scopes: ['accounts:read', 'statements:read', 'admin'] });
    accounts = await startGraphQLServer({ name: 'accounts', schema: buildSubgraphSchema({ typeDefs: parse(ACCOUNTS_SDL), resolvers: accountsResolvers as never }), log: new CallLog(), port: 0 });
    statements = await startGraphQLServer({ name: 'statements', schema: buildSubgraphSchema({ typeDefs: parse(STATEMENTS_SDL), resolvers: statementsResolvers as never }), log: new CallLog(), port: 0 });
    const composed = composeServices([
      { name: 'accounts', typeDefs: parse(ACCOUNTS_SDL), url: accounts.url },
      { name: 'statements', typeDefs: parse(STATEMENTS_SDL), url: statements.url },
    ]);
    assert.ok(!('errors' in composed && composed.errors), JSON.stringify((composed as { errors?: unknown }).errors));
    const supergraphSdl = (composed as { supergraphSdl: string }).supergraphSdl;
    assert.match(supergraphSdl, /@requiresScopes\(scopes: \[\["accounts:read"\], \["admin"\]\]\)/, 'composition keeps the directives');
    dir = await mkdtemp(join(tmpdir(), 'openclaw-auth-supergraph-'));
    await writeFile(join(dir, 'supergraph.graphql'), supergraphSdl);
    gateway = await startGateway(resolveConfig(
      {
        supergraph: join(dir, 'supergraph.graphql'),
        server: { port: 0 },
        logging: { level: 'silent' },
        store: { dataDir: dir },
        auth: { providers: { bank: { issuer: provider.issuer, audience: provider.audience } } },
      },
      { rootDir: REPO_ROOT, env: {} },
    ));
  });
  after(async () => {
    await gateway?.close();
    await accounts?.close();
    await statements?.close();
    await provider?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const QUERY = '{ publicInfo account(id: "7") { name balance statements } }';
  const ask = async (scope?: string): Promise<JsonResponse> => {
    const headers: Record<string, string> = scope === undefined ? {} : { authorization: `Bearer ${await provider.clientCredentialsToken({ scope })}` };
    accounts.resetCalls();
    statements.resetCalls();
    return postGraphQL(gateway.url, { query: QUERY }, headers);
  };
  const codes = (response: JsonResponse): Record<string, unknown> =>
    Object.fromEntries((response.body.errors ?? []).map((error) => [(error.path ?? []).join('.'), error.extensions?.code]));

  test('anonymous: @authenticated fields are UNAUTHENTICATED and never asked of a subgraph; the public field answers', async () => {
    const response = await ask();
    assert.equal(response.status, 200);
    assert.deepEqual(response.body.data, { publicInfo: 'Open 9-5', account: null });
    assert.deepEqual(codes(response), { account: 'UNAUTHENTICATED' });
    assert.deepEqual(accounts.calls.map((call) => call.operation), ['query publicInfo']);
    assert.deepEqual(statements.calls, []);
    const audit = await postGraphQL(gateway.url, { query: '{ auditLog { entries } }' });
    assert.deepEqual(audit.body.data, { auditLog: null }, 'a type-level @authenticated protects the fields returning the type');
    assert.equal(audit.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  });

  test('a token without scopes: authenticated fields answer, @requiresScopes fields are FORBIDDEN, statements is never called', async () => {
    const response = await ask('');
    assert.deepEqual(response.body.data, { publicInfo: 'Open 9-5', account: { name: 'Ada', balance: null, statements: null } });
    assert.deepEqual(codes(response), { 'account.balance': 'FORBIDDEN', 'account.statements': 'FORBIDDEN' });
    assert.deepEqual(statements.calls, []);
  });

  test('@requiresScopes is OR of ANDs: accounts:read or admin reads the balance; statements needs both of its scopes', async () => {
    for (const scope of ['accounts:read', 'admin']) {
      const response = await ask(scope);
      assert.deepEqual(response.body.data, { publicInfo: 'Open 9-5', account: { name: 'Ada', balance: 1200, statements: null } }, scope);
      assert.deepEqual(codes(response), { 'account.statements': 'FORBIDDEN' }, scope);
      assert.match(response.body.errors?.[0]?.message ?? '', /Account\.statements: it needs a bearer token with scopes "statements:read" and "accounts:read"\./);
      assert.deepEqual(statements.calls, [], `${scope}: the statements subgraph is not asked`);
    }
    const only = await ask('statements:read');
    assert.deepEqual(codes(only), { 'account.balance': 'FORBIDDEN', 'account.statements': 'FORBIDDEN' });
  });

  test('with every scope the whole query answers, through both subgraphs', async () => {
    const response = await ask('accounts:read statements:read');
    assert.equal(response.body.errors, undefined, JSON.stringify(response.body.errors));
    assert.deepEqual(response.body.data, { publicInfo: 'Open 9-5', account: { name: 'Ada', balance: 1200, statements: ['statement of 7'] } });
    assert.equal(statements.calls.length, 1);
  });

  test('a bad token is refused with 401 invalid_token in supergraph mode too', async () => {
    const response = await postGraphQL(gateway.url, { query: QUERY }, { authorization: 'Bearer not.a.token' });
    assert.equal(response.status, 401);
    assert.match(response.headers.get('www-authenticate') ?? '', /error="invalid_token"/);
  });
});
