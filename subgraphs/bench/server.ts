/**
 * The public federation benchmark's four subgraphs, served as the benchmark serves them: one
 * port, one path per subgraph (`/accounts`, `/products`, `/inventory`, `/reviews`).
 *
 * Their answers depend only on the request, so each endpoint replays the stored answer of a
 * repeated request (support/graphql-cache.ts): the CPU a benchmark measures is the gateway's.
 */
import { readFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { CallLog } from '../support/call-log.js';
import { createGraphQLListener } from '../support/graphql.js';
import { closeServer, listenOnLoopback, sendError } from '../support/http.js';
import type { CallRecord } from '../support/running.js';
import { BENCH_RESOLVERS } from './resolvers.js';
import type { BenchSubgraphName } from './resolvers.js';

/** The four subgraphs, in the supergraph's order. */
export const BENCH_SUBGRAPHS: readonly BenchSubgraphName[] = ['accounts', 'inventory', 'products', 'reviews'];

/** The running benchmark subgraphs. */
export interface BenchSubgraphs {
  /** `http://127.0.0.1:PORT`; subgraph `name` is at `${url}/${name}`. */
  readonly url: string;
  /** Every request, recorded as `name operationType rootField...` (no variables kept). */
  readonly calls: CallRecord[];
  close(): Promise<void>;
}

function benchFile(name: string): string {
  return readFileSync(new URL(name, import.meta.url), 'utf8');
}

/** Starts the four subgraphs on 127.0.0.1 under one port (`port` 0, the default, picks one). */
export async function startBenchSubgraphs(options: { port?: number } = {}): Promise<BenchSubgraphs> {
  const log = new CallLog();
  const endpoints = new Map<string, RequestListener>(
    BENCH_SUBGRAPHS.map((name) => {
      const typeDefs = parse(benchFile(`./schemas/${name}.graphql`));
      const schema = buildSubgraphSchema({ typeDefs, resolvers: BENCH_RESOLVERS[name] });
      const listener = createGraphQLListener({
        name,
        schema,
        log,
        label: `${name} `,
        recordDetail: false,
        cacheResponses: true,
      });
      return [`/${name}`, listener];
    }),
  );
  const { server, port } = await listenOnLoopback((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    const endpoint = endpoints.get(path);
    if (endpoint) {
      void endpoint(req, res);
      return;
    }
    log.record(`${req.method ?? 'GET'} ${path}`);
    sendError(res, 404, 'not_found', `no subgraph at ${path}; try /${BENCH_SUBGRAPHS.join(', /')}`);
  }, options.port ?? 0);
  return {
    url: `http://127.0.0.1:${port}`,
    calls: log.calls,
    close: () => closeServer(server),
  };
}

/**
 * The benchmark's supergraph with its subgraph URLs pointed at `baseUrl` (for example the
 * `url` of {@link startBenchSubgraphs}) instead of `http://0.0.0.0:4200`.
 */
export function benchSupergraphSdl(baseUrl: string): string {
  return benchFile('./supergraph.graphql').replaceAll('http://0.0.0.0:4200', baseUrl.replace(/\/+$/, ''));
}

/** The one operation the benchmark sends (query.json). */
export function benchQuery(): { query: string } {
  const body: unknown = JSON.parse(benchFile('./query.json'));
  if (typeof body !== 'object' || body === null || typeof (body as { query?: unknown }).query !== 'string') {
    throw new Error('subgraphs/bench/query.json: expected { "query": string }');
  }
  return { query: (body as { query: string }).query };
}
