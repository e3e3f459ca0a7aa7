/**
 * Federation's auth directives are enforced the same way in both modes, through the real
 * pipeline, with a real OpenID provider's tokens:
 *
 * - `--supergraph` mode: two Apollo Federation subgraphs on loopback (@apollo/subgraph),
 *   composed by @theguild/federation-composition, with a protected implementation field read
 *   through its interface, a protected union member (under a renamed `@loggedIn`), an entity
 *   field joined from the second subgraph, and (composition refuses auth directives on
 *   interfaces, but a supergraph written by hand may carry one) a type-level directive on an
 *   interface, enforced on its implementations; `_entities` is not in the public graph.
 * - `schema/` mode: a FEDERATION source's own directives, read under its `@link` renames
 *   (`{ name: "@authenticated", as: "@loggedIn" }`); a source that uses `@policy` or links an
 *   unknown feature `for: SECURITY` stops start-up as a supergraph does.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { resolveConfig, startGateway, type OpenClawConfig, type RunningGateway } from '../../gateway/src/index.js';
import { isGatewayError } from '../../gateway/src/errors/index.js';
import { CallLog } from '../../subgraphs/support/call-log.js';
import { startGraphQLServer } from '../../subgraphs/support/graphql.js';
import type { RunningSubgraph } from '../../subgraphs/support/running.js';
import { postGraphQL, REPO_ROOT, type JsonResponse } from '../support/demo-gateway.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc.js';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", { name: "@authenticated", as: "@loggedIn" }, "@requiresScopes"])';

const BANK_SDL = `${LINK}
type Query { accounts: [Account] search: [SearchResult] motto: String }
interface Account { id: ID! balance: Float }
type Checking implements Account @key(fields: "id") { id: ID! balance: Float @requiresScopes(scopes: [["finance"]]) }
type Savings implements Account { id: ID! balance: Float rate: Float }
union SearchResult = Note | Secret
type Note { text: String }
type Secret @loggedIn { text: String }`;

const LEDGER_SDL = `${LINK}
type Checking @key(fields: "id") { id: ID! statements: [String] @requiresScopes(scopes: [["statements"]]) }`;

/** Every protected field a subgraph resolved. */
const resolved: string[] = [];
const record = <T>(coordinate: string, value: T): T => {
  resolved.push(coordinate);
  return value;
};

const bankResolvers = {
  Query: {
    accounts: () => [{ __typename: 'Checking', id: 'c1' }, { __typename: 'Savings', id: 's1', rate: 0.5 }],
    search: () => [{ __typename: 'Note', text: 'hello' }, { __typename: 'Secret' }],
    motto: () => 'Open 9-5',
  },
  Checking: { __resolveReference: (ref: { id: string }) => ref, balance: () => record('Checking.balance', 10) },
  Savings: { balance: () => 20 },
  Secret: { text: () => record('Secret.text', 's3cret') },
};

const ledgerResolvers = {
  Checking: { __resolveReference: (ref: { id: string }) => ref, statements: (ref: { id: string }) => record('Checking.statements', [`statement of ${ref.id}`]) },
};

const SCOPES = ['finance', 'statements', 'accounts', 'hr'];

/** The gateway config for `provider`'s tokens, a fresh store in `dir`. */
function gatewayConfig(provider: TestOidcProvider, dir: string, config: OpenClawConfig): OpenClawConfig {
  return {
    server: { port: 0 },
    logging: { level: 'silent' },
    store: { dataDir: dir },
    auth: { providers: { bank: { issuer: provider.issuer, audience: provider.audience } } },
    ...config,
  };
}

const codes = (response: JsonResponse): Record<string, unknown> =>
  Object.fromEntries((response.body.errors ?? []).map((error) => [(error.path ?? []).join('.'), error.extensions?.code]));

describe('federation auth directives on interfaces, unions and entities (--supergraph mode)', () => {
  let provider: TestOidcProvider;
  let bank: RunningSubgraph;
  let ledger: RunningSubgraph;
  let dir: string;
  let gateway: RunningGateway;

  before(async () => {
    provider = await startOidcProvider({ scopes: SCOPES });
    bank = await startGraphQLServer({ name: 'bank', schema: buildSubgraphSchema({ typeDefs: parse(BANK_SDL), resolvers: bankResolvers as never }), log: new CallLog(), port: 0 });
    ledger = await startGraphQLServer({ name: 'ledger', schema: buildSubgraphSchema({ typeDefs: parse(LEDGER_SDL), resolvers: ledgerResolvers as never }), log: new CallLog(), port: 0 });
    const composed = composeServices([
      { name: 'bank', typeDefs: parse(BANK_SDL), url: bank.url },
      { name: 'ledger', typeDefs: parse(LEDGER_SDL), url: ledger.url },
    ]);
    assert.ok(!('errors' in composed && composed.errors), JSON.stringify((composed as { errors?: unknown }).errors));
    const composedSdl = (composed as { supergraphSdl: string }).supergraphSdl;
    // Composition refuses auth directives on interfaces; a supergraph edited by hand may carry one.
    const supergraphSdl = composedSdl.replace(/interface Account(?=[\s@{])/, 'interface Account @requiresScopes(scopes: [["accounts"]])');
    assert.notEqual(supergraphSdl, composedSdl);
    dir = await mkdtemp(join(tmpdir(), 'openclaw-auth-federation-'));
    await writeFile(join(dir, 'supergraph.graphql'), supergraphSdl);
    gateway = await startGateway(resolveConfig(gatewayConfig(provider, dir, { supergraph: join(dir, 'supergraph.graphql') }), { rootDir: REPO_ROOT, env: {} }));
  });
  after(async () => {
    await gateway?.close();
    await bank?.close();
    await ledger?.close();
    await provider?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const ask = async (query: string, scope?: string): Promise<JsonResponse> => {
    resolved.length = 0;
    const headers: Record<string, string> = scope === undefined ? {} : { authorization: `Bearer ${await provider.clientCredentialsToken({ scope })}` };
    return postGraphQL(gateway.url, { query }, headers);
  };

  test('an implementation\'s protected field is protected through its interface, and an interface\'s type-level directive on each implementation', async () => {
    const anonymous = await ask('{ accounts { id } }');
    assert.deepEqual(anonymous.body.data, { accounts: null }, 'Query.accounts returns the protected interface');
    assert.deepEqual(codes(anonymous), { accounts: 'UNAUTHENTICATED' });
    const noFinance = await ask('{ accounts { id balance ... on Savings { rate } } }', 'accounts');
    assert.deepEqual(noFinance.body.data, { accounts: [{ id: 'c1', balance: null }, { id: 's1', balance: null, rate: 0.5 }] });
    assert.deepEqual(codes(noFinance), { 'accounts.0.balance': 'FORBIDDEN', 'accounts.1.balance': 'FORBIDDEN' });
    assert.deepEqual(resolved, []);
    const onImplementation = await ask('{ accounts { ... on Checking { balance } } }', 'accounts');
    assert.deepEqual(codes(onImplementation), { 'accounts.0.balance': 'FORBIDDEN' });
    const allowed = await ask('{ accounts { id balance } }', 'accounts finance');
    assert.deepEqual(allowed.body, { data: { accounts: [{ id: 'c1', balance: 10 }, { id: 's1', balance: 20 }] } });
  });

  test('a union member protected under a renamed @loggedIn is refused through the union', async () => {
    const query = '{ search { ... on Note { text } ... on Secret { text } } }';
    const anonymous = await ask(query);
    assert.deepEqual(anonymous.body.data, { search: [{ text: 'hello' }, { text: null }] });
    assert.deepEqual(codes(anonymous), { 'search.1.text': 'UNAUTHENTICATED' });
    assert.deepEqual(resolved, []);
    assert.deepEqual((await ask(query, '')).body, { data: { search: [{ text: 'hello' }, { text: 's3cret' }] } });
  });

  test('an entity field joined from the other subgraph keeps its protection, and that subgraph is not asked', async () => {
    const query = '{ accounts { ... on Checking { id statements } } }';
    const refused = await ask(query, 'accounts');
    assert.deepEqual(refused.body.data, { accounts: [{ id: 'c1', statements: null }, {}] });
    assert.deepEqual(codes(refused), { 'accounts.0.statements': 'FORBIDDEN' });
    assert.deepEqual(ledger.calls, []);
    const allowed = await ask(query, 'accounts statements');
    assert.deepEqual(allowed.body, { data: { accounts: [{ id: 'c1', statements: ['statement of c1'] }, {}] } });
  });

  test('_entities and _service are not in the public graph: a document naming them fails validation', async () => {
    const response = await ask('{ _entities(representations: [{ __typename: "Checking", id: "c1" }]) { ... on Checking { balance statements } } }');
    assert.equal(response.status, 400);
    assert.equal(response.body.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.match(response.body.errors?.[0]?.message ?? '', /Cannot query field "_entities" on type "Query"/);
    const service = await ask('{ _service { sdl } }');
    assert.equal(service.status, 400);
    assert.match(service.body.errors?.[0]?.message ?? '', /Cannot query field "_service" on type "Query"/);
  });
});

const RENAMED_SDL = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", { name: "@authenticated", as: "@loggedIn" }, { name: "@requiresScopes", as: "@scoped" }])
type Query { motto: String  me: String @loggedIn  payroll: Int @scoped(scopes: [["hr"]]) }`;

describe('a FEDERATION source\'s own auth directives in schema/ mode, under its @link renames', () => {
  let provider: TestOidcProvider;
  let fed: RunningSubgraph;
  let dir: string;
  let gateway: RunningGateway;

  before(async () => {
    provider = await startOidcProvider({ scopes: SCOPES });
    const resolvers = { Query: { motto: () => 'Open 9-5', me: () => record('Query.me', 'Ada'), payroll: () => record('Query.payroll', 5000) } };
    fed = await startGraphQLServer({ name: 'fed', schema: buildSubgraphSchema({ typeDefs: parse(RENAMED_SDL), resolvers: resolvers as never }), log: new CallLog(), port: 0 });
    dir = await mkdtemp(join(tmpdir(), 'openclaw-auth-fed-source-'));
    await writeFile(join(dir, 'fed.graphql'), `extend schema @source(name: "fed", kind: FEDERATION, url: "${fed.url}")\n`);
    gateway = await startGateway(resolveConfig(gatewayConfig(provider, dir, { schema: dir }), { rootDir: REPO_ROOT, env: {} }));
  });
  after(async () => {
    await gateway?.close();
    await fed?.close();
    await provider?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const ask = async (scope?: string): Promise<JsonResponse> => {
    resolved.length = 0;
    const headers: Record<string, string> = scope === undefined ? {} : { authorization: `Bearer ${await provider.clientCredentialsToken({ scope })}` };
    return postGraphQL(gateway.url, { query: '{ motto me payroll }' }, headers);
  };

  test('@loggedIn needs a token and @scoped its scope, never asked of the subgraph otherwise', async () => {
    const anonymous = await ask();
    assert.deepEqual(anonymous.body.data, { motto: 'Open 9-5', me: null, payroll: null });
    assert.deepEqual(codes(anonymous), { me: 'UNAUTHENTICATED', payroll: 'UNAUTHENTICATED' });
    assert.deepEqual(resolved, []);
    const noScope = await ask('');
    assert.deepEqual(noScope.body.data, { motto: 'Open 9-5', me: 'Ada', payroll: null });
    assert.deepEqual(codes(noScope), { payroll: 'FORBIDDEN' });
    assert.deepEqual(resolved, ['Query.me']);
    assert.deepEqual((await ask('hr')).body, { data: { motto: 'Open 9-5', me: 'Ada', payroll: 5000 } });
  });
});

describe('an unenforced security feature stops start-up in schema/ mode too', () => {
  const refused = async (sdl: string, message: RegExp) => {
    const dir = await mkdtemp(join(tmpdir(), 'openclaw-auth-refused-'));
    try {
      await writeFile(join(dir, 'fed.sdl'), sdl);
      await writeFile(join(dir, 'fed.graphql'), 'extend schema @source(name: "fed", kind: FEDERATION, url: "http://127.0.0.1:9/graphql", sdl: "fed.sdl")\n');
      const config = resolveConfig({ schema: dir, server: { port: 0 }, logging: { level: 'silent' }, store: { dataDir: dir } }, { rootDir: REPO_ROOT, env: {} });
      await assert.rejects(startGateway(config), (error: unknown) => {
        assert.ok(isGatewayError(error), String(error));
        assert.equal(error.code, 'SCHEMA_INVALID');
        assert.match(error.message, message);
        return true;
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };

  test('a source that uses Apollo\'s @policy', async () => {
    await refused(
      'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@policy"])\ntype Query { payroll: Int @policy(policies: [["hr"]]) }',
      /fed\.graphql \(the SDL of federation source "fed"\): Query\.payroll: @policy is Apollo's @policy, which OpenClaw does not enforce/,
    );
  });

  test('a source that links an unknown feature for: SECURITY', async () => {
    await refused(
      'extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"]) @link(url: "https://example.com/acl/v1.0", for: SECURITY)\ntype Query { payroll: Int }',
      /links the SECURITY feature https:\/\/example\.com\/acl\/v1\.0, which OpenClaw does not enforce/,
    );
  });
});
