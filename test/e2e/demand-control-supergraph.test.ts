/**
 * Demand control in supergraph mode: a real Apollo Federation 2.9 subgraph on loopback
 * (@apollo/subgraph) writes `@cost` (imported under another name, `@weight`) and `@listSize`,
 * @theguild/federation-composition composes it, and the gateway reads them from the
 * supergraph under its `@link` names: an over-budget operation is refused before the subgraph
 * is called, and the estimate follows the directives. The same subgraph as a FEDERATION source
 * of `schema/` (its own `@link` names read from its SDL) gives the same estimates. A bad directive argument refuses the
 * supergraph at start-up, naming the coordinate.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';
import { isGatewayError } from '../../gateway/src/errors/index.js';
import { resolveConfig, startGateway, type RunningGateway } from '../../gateway/src/index.js';
import { CallLog } from '../../subgraphs/support/call-log.js';
import { startGraphQLServer } from '../../subgraphs/support/graphql.js';
import type { RunningSubgraph } from '../../subgraphs/support/running.js';
import { postGraphQL, REPO_ROOT } from '../support/demo-gateway.js';

const SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", { name: "@cost", as: "@weight" }, "@listSize"])
  type Track @key(fields: "id") { id: ID! title: String! lyrics: String @weight(weight: 20) }
  type Query {
    tracks(limit: Int): [Track!]! @listSize(slicingArguments: ["limit"])
    charts: [Track!]! @listSize(assumedSize: 40)
  }
`;

const TRACKS = [{ id: '1', title: 'One' }, { id: '2', title: 'Two' }];
const resolvers = {
  Query: { tracks: (_: unknown, args: { limit?: number }) => TRACKS.slice(0, args.limit ?? 2), charts: () => TRACKS },
  Track: { lyrics: () => 'la la', __resolveReference: (ref: { id: string }) => TRACKS.find((track) => track.id === ref.id) },
};

async function composedSupergraph(sdl: string, url: string): Promise<string> {
  const composed = composeServices([{ name: 'music', typeDefs: parse(sdl), url }]);
  assert.ok(!('errors' in composed && composed.errors), JSON.stringify((composed as { errors?: unknown }).errors));
  return (composed as { supergraphSdl: string }).supergraphSdl;
}

describe('demand control in supergraph mode', () => {
  let dir: string;
  let music: RunningSubgraph;
  let gateway: RunningGateway;
  /** The same subgraph as a FEDERATION source of schema/ (its SDL read from `_service`). */
  let schemaMode: RunningGateway;

  before(async () => {
    music = await startGraphQLServer({ name: 'music', schema: buildSubgraphSchema({ typeDefs: parse(SDL), resolvers: resolvers as never }), log: new CallLog(), port: 0 });
    const supergraph = await composedSupergraph(SDL, music.url);
    assert.match(supergraph, /@link\(\s*url: "https:\/\/specs\.apollo\.dev\/cost\/v0\.1"/, 'composition links the cost spec');
    assert.match(supergraph, /lyrics: String @weight\(weight: 20\)/, 'under the subgraph\'s name');
    dir = await mkdtemp(join(tmpdir(), 'openclaw-cost-supergraph-'));
    await writeFile(join(dir, 'supergraph.graphql'), supergraph);
    gateway = await startGateway(resolveConfig(
      { supergraph: join(dir, 'supergraph.graphql'), server: { port: 0 }, logging: { level: 'silent' }, store: { dataDir: join(dir, 'store') }, demandControl: { maxCost: 500 } },
      { rootDir: REPO_ROOT, env: {} },
    ));
    await mkdir(join(dir, 'schema'));
    await writeFile(join(dir, 'schema', 'music.graphql'), 'extend schema @source(name: "music", kind: FEDERATION)\n');
    schemaMode = await startGateway(resolveConfig(
      { schema: 'schema', server: { port: 0 }, logging: { level: 'silent' }, store: { dataDir: join(dir, 'store-schema') }, sources: { music: { url: music.url } }, demandControl: { maxCost: 500 } },
      { rootDir: dir, env: {} },
    ));
  });
  after(async () => {
    await gateway?.close();
    await schemaMode?.close();
    await music?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the supergraph\'s @cost (renamed) and @listSize set the estimate', async () => {
    const cases: Array<[string, number]> = [
      ['{ tracks(limit: 2) { title } }', 2],
      ['{ tracks(limit: 2) { title lyrics } }', 2 * 21],
      ['{ charts { id } }', 40],
    ];
    for (const url of [gateway.url, schemaMode.url]) {
      for (const [query, estimated] of cases) {
        const { status, body } = await postGraphQL(url, { query, extensions: { cost: true } });
        assert.equal(status, 200, query);
        assert.equal((body as { extensions: { cost: { estimated: number } } }).extensions.cost.estimated, estimated, `${query} at ${url}`);
      }
    }
  });

  test('an operation over the maximum is refused before the subgraph is called', async () => {
    music.resetCalls();
    // 40 charts x (1 + lyrics 20) = 840 > 500.
    for (const url of [gateway.url, schemaMode.url]) {
      const { status, body } = await postGraphQL(url, { query: '{ charts { title lyrics } }' });
      assert.equal(status, 400);
      assert.equal(body.errors?.[0]?.extensions?.code, 'COST_ESTIMATED_TOO_EXPENSIVE');
      assert.equal(body.errors?.[0]?.extensions?.estimatedCost, 840);
    }
    assert.deepEqual(music.calls, []);
  });

  test('a bad @listSize or @cost in a supergraph refuses it at start-up, naming the coordinate', async () => {
    // Composition checks what subgraphs write; a supergraph edited by hand is checked here.
    const supergraph = await composedSupergraph(SDL, music.url);
    const cases: Array<[string, RegExp]> = [
      [supergraph.replace('@listSize(slicingArguments: ["limit"])', '@listSize(slicingArguments: ["first"])'), /@listSize on Query\.tracks is not valid: slicing argument "first" names no argument of the field \(arguments: limit\)/],
      [supergraph.replace('@weight(weight: 20)', '@weight(weight: "heavy")'), /@weight on Track\.lyrics \(the supergraph\) is not valid: Argument "weight" has invalid value "heavy"/],
      [supergraph.replace('@weight(weight: 20)', '@weight(weight: -3)'), /@weight on Track\.lyrics \(the supergraph\) is not valid: weight must be >= 0; received -3/],
    ];
    for (const [index, [text, message]] of cases.entries()) {
      assert.notEqual(text, supergraph);
      const file = join(dir, `bad-${index}.graphql`);
      await writeFile(file, text);
      const config = resolveConfig({ supergraph: file, server: { port: 0 }, logging: { level: 'silent' }, store: { dataDir: join(dir, `store-bad-${index}`) } }, { rootDir: REPO_ROOT, env: {} });
      await assert.rejects(startGateway(config), (error: unknown) => {
        assert.ok(isGatewayError(error));
        assert.equal(error.code, 'SCHEMA_INVALID');
        assert.match(error.message, message);
        return true;
      });
    }
  });
});
