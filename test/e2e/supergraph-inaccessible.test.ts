/**
 * Supergraph mode serves a supergraph that links `@inaccessible` (`for: SECURITY`, as every
 * composition that uses it writes): its elements are not in the API schema, so a document that
 * names one fails validation and introspection does not show it, with either engine. (Other
 * SECURITY features the gateway does not enforce still refuse the supergraph.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'graphql';
import { composeServices } from '@theguild/federation-composition';
import { resolveConfig, startGateway, type RunningGateway } from '../../gateway/src/index.js';
import { postGraphQL, REPO_ROOT } from '../support/demo-gateway.js';

const SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])
  type Account @key(fields: "id") { id: ID! name: String! internalNote: String @inaccessible }
  type Query { account(id: ID!): Account accountsByIds(ids: [ID!]!): [Account]! @inaccessible }
`;

describe('a supergraph with @inaccessible', () => {
  let dir: string;
  const gateways = new Map<string, RunningGateway>();

  before(async () => {
    const composed = composeServices([{ name: 'accounts', typeDefs: parse(SDL), url: 'http://127.0.0.1:9/graphql' }]);
    assert.equal(composed.errors, undefined);
    assert.match(composed.supergraphSdl!, /@link\(url: "https:\/\/specs\.apollo\.dev\/inaccessible\/v0\.2", for: SECURITY\)/);
    dir = await mkdtemp(join(tmpdir(), 'openclaw-inaccessible-'));
    await writeFile(join(dir, 'supergraph.graphql'), composed.supergraphSdl!);
    for (const engine of ['plan', 'reference'] as const) {
      gateways.set(engine, await startGateway(resolveConfig({ supergraph: join(dir, 'supergraph.graphql'), engine, server: { port: 0 }, logging: { level: 'silent' } }, { rootDir: REPO_ROOT, env: {} })));
    }
  });
  after(async () => {
    for (const gateway of gateways.values()) await gateway.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const engine of ['plan', 'reference'] as const) {
    test(`is served, its inaccessible fields out of the graph (${engine} engine)`, async () => {
      const url = gateways.get(engine)!.url;
      for (const query of ['{ account(id: "1") { internalNote } }', '{ accountsByIds(ids: ["1"]) { name } }']) {
        const { status, body } = await postGraphQL(url, { query });
        assert.equal(status, 400, query);
        assert.equal(body.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED', query);
      }
      const { body } = await postGraphQL(url, { query: '{ __type(name: "Account") { fields { name } } }' });
      assert.deepEqual(body.data, { __type: { fields: [{ name: 'id' }, { name: 'name' }] } });
    });
  }
});
