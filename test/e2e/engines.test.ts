/**
 * Both engines answer alike. Every document the end-to-end suites send (test/support/corpus.ts)
 * goes through a gateway on the plan engine (the default) and one on the reference engine:
 * on the demo graph (`schema/`, each gateway with its own demo backends, so that the orders the
 * mutations place are the same), with a key that may read and place orders and without one;
 * and on the benchmark's supergraph. Status, data (as serialised, so field order too) and
 * errors (message, path, extensions: code, source, upstream status) must be the same.
 *
 * Where the engines differ by design (one error per failed fetch against one per field when a
 * backend fails) is asserted in partial-failure.test.ts, not here: these backends are healthy.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig, startGateway, type RunningGateway } from '../../gateway/src/index.js';
import { benchSupergraphSdl, startBenchSubgraphs, type BenchSubgraphs } from '../../subgraphs/bench/server.js';
import { DEMO_CORPUS, SUPERGRAPH_CORPUS, type CorpusDocument } from '../support/corpus.js';
import { postGraphQL, REPO_ROOT, startDemoGateway, type DemoGateway, type JsonResponse } from '../support/demo-gateway.js';

const ENGINES = ['plan', 'reference'] as const;

/**
 * What must be the same: status, data as serialised, errors as a client reads them (message,
 * path, extensions; a masked error's `requestId` differs per request by design).
 */
function answer(response: JsonResponse): unknown {
  const { data, errors } = response.body;
  return {
    status: response.status,
    data: JSON.stringify(data),
    errors: errors?.map(({ message, path, extensions }) => {
      const { requestId: _requestId, ...rest } = extensions ?? {};
      return { message, path: path?.join('.'), extensions: rest };
    }),
  };
}

function body(document: CorpusDocument): Record<string, unknown> {
  return { query: document.query, variables: document.variables, operationName: document.operationName };
}

describe('both engines answer the corpus alike: the demo graph', () => {
  const demos = new Map<string, DemoGateway>();
  const keys = new Map<string, Record<string, string>>();

  before(async () => {
    for (const engine of ENGINES) {
      const demo = await startDemoGateway({ engine });
      demos.set(engine, demo);
      keys.set(engine, { 'x-api-key': (await demo.createKey({ name: 'all', scopes: ['orders:read', 'orders:write'] })).key });
    }
  });
  after(async () => {
    for (const demo of demos.values()) await demo.close();
  });

  for (const document of DEMO_CORPUS) {
    test(document.name, async () => {
      for (const credential of ['key', 'anonymous'] as const) {
        const [plan, reference] = await Promise.all(ENGINES.map((engine) => {
          const demo = demos.get(engine)!;
          return postGraphQL(demo.gateway.url, body(document), credential === 'key' ? keys.get(engine) : {});
        }));
        assert.deepEqual(answer(plan!), answer(reference!), `${credential}: ${document.query}`);
      }
    });
  }
});

describe('both engines answer the corpus alike: the benchmark supergraph', () => {
  let subgraphs: BenchSubgraphs;
  let dir: string;
  const gateways = new Map<string, RunningGateway>();

  before(async () => {
    subgraphs = await startBenchSubgraphs();
    dir = await mkdtemp(join(tmpdir(), 'openclaw-engines-'));
    const file = join(dir, 'supergraph.graphql');
    await writeFile(file, benchSupergraphSdl(subgraphs.url));
    for (const engine of ENGINES) {
      gateways.set(engine, await startGateway(resolveConfig({ supergraph: file, engine, server: { port: 0 }, logging: { level: 'silent' } }, { rootDir: REPO_ROOT, env: {} })));
    }
  });
  after(async () => {
    for (const gateway of gateways.values()) await gateway.close();
    await subgraphs?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const document of SUPERGRAPH_CORPUS) {
    test(document.name, async () => {
      const [plan, reference] = await Promise.all(ENGINES.map((engine) => postGraphQL(gateways.get(engine)!.url, body(document))));
      assert.deepEqual(answer(plan!), answer(reference!), document.query);
    });
  }
});
