/**
 * Supergraph mode, plan engine, with a dead subgraph in the benchmark's query: every failed
 * fetch is one error that names the source and points at a real place in the response (list
 * indices included), and the rest of the data still comes back.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, startGateway, type RunningGateway } from '../../gateway/src/index.js';
import { benchQuery, benchSupergraphSdl, startBenchSubgraphs, type BenchSubgraphs } from '../../subgraphs/bench/server.js';
import { postGraphQL, REPO_ROOT, type GraphQLBody } from '../support/demo-gateway.js';

/** A loopback port nothing listens on (taken, then released). */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('supergraph with a dead subgraph (plan engine)', () => {
  let subgraphs: BenchSubgraphs;
  let dir: string;
  const gateways: RunningGateway[] = [];

  /** A gateway whose supergraph sends `dead`'s calls to a port nothing listens on. */
  async function gatewayWithout(dead: string): Promise<RunningGateway> {
    const port = await deadPort();
    const sdl = benchSupergraphSdl(subgraphs.url).replace(`${subgraphs.url}/${dead}`, `http://127.0.0.1:${port}/${dead}`);
    const file = join(dir, `without-${dead}.graphql`);
    await writeFile(file, sdl);
    const gateway = await startGateway(resolveConfig(
      { supergraph: file, engine: 'plan', server: { port: 0 }, logging: { level: 'silent' } },
      { rootDir: REPO_ROOT, env: {} },
    ));
    gateways.push(gateway);
    return gateway;
  }

  before(async () => {
    subgraphs = await startBenchSubgraphs();
    dir = await mkdtemp(join(tmpdir(), 'openclaw-failures-'));
  });

  after(async () => {
    for (const gateway of gateways) await gateway.close();
    await subgraphs?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function summary(body: GraphQLBody): Array<[unknown, unknown, unknown]> {
    return (body.errors ?? []).map((error) => [error.path, error.extensions?.source, error.extensions?.code]);
  }

  test('reviews down: its one failed fetch is one error; users and products still answer', async () => {
    const gateway = await gatewayWithout('reviews');
    const { status, body } = await postGraphQL(gateway.url, benchQuery());
    assert.equal(status, 200);
    assert.deepEqual(summary(body), [[['topProducts', 0], 'reviews', 'UPSTREAM_UNAVAILABLE']]);
    const data = body.data as { users: Array<{ name: string; reviews: unknown }>; topProducts: Array<{ name: string; inStock: boolean; reviews: unknown }> };
    assert.deepEqual(data.users.map((user) => [user.name, user.reviews]), [
      ['Uri Goldshtein', null], ['Dotan Simha', null], ['Kamil Kisiela', null], ['Arda Tanrikulu', null], ['Gil Gardosh', null], ['Laurin Quast', null],
    ]);
    assert.deepEqual(data.topProducts.map((product) => [product.name, product.inStock, product.reviews]), [
      ['Table', true, null], ['Couch', false, null], ['Glass', false, null], ['Chair', false, null], ['TV', true, null],
    ]);
  });

  test('accounts down: two failed fetches, two errors, each at a real path; the reviews still answer', async () => {
    const gateway = await gatewayWithout('accounts');
    const { body } = await postGraphQL(gateway.url, benchQuery());
    assert.deepEqual(summary(body), [
      [['users'], 'accounts', 'UPSTREAM_UNAVAILABLE'],
      [['topProducts', 0, 'reviews', 0, 'author'], 'accounts', 'UPSTREAM_UNAVAILABLE'],
    ]);
    const data = body.data as { users: unknown; topProducts: Array<{ reviews: Array<{ body: string; author: { username: string; name: string | null } }> }> };
    assert.equal(data.users, null);
    const review = data.topProducts[0]!.reviews[0]!;
    // username comes from reviews (@provides); name only from the dead accounts.
    assert.equal(review.author.username, 'urigo');
    assert.equal(review.author.name, null);
    assert.ok(review.body.length > 0);
  });
});
