/**
 * Test support: the demo backends on ephemeral ports with a gateway in front of them, built
 * from the repository's schema/ and a config that points at those ports. Everything is real:
 * HTTP, gRPC and GraphQL servers on loopback, the gateway's own HTTP server.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { openKeyManagement } from '../../gateway/src/auth/api-keys/services.js';
import type { CreateKeyInput } from '../../gateway/src/auth/api-keys/service.js';
import { resolveConfig, startGateway, type OpenClawConfig, type ResolvedConfig, type RunningGateway, type StartOptions } from '../../gateway/src/index.js';
import { startDemoSubgraphs, type DemoSubgraphs, type RecordingOptions } from '../../subgraphs/index.js';

/** The repository's root folder. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A response read as JSON. */
export interface JsonResponse<T = GraphQLBody> {
  status: number;
  headers: Headers;
  body: T;
}

/** The body of a GraphQL response. */
export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** A running demo: backends, gateway and request helpers. */
export interface DemoGateway {
  gateway: RunningGateway;
  /** The config the gateway runs with (its store is a fresh folder, removed on close). */
  config: ResolvedConfig;
  /** Creates an API key in the gateway's store, as `openclaw keys create` does; resolves with the key. */
  createKey(input: CreateKeyInput): Promise<{ id: string; key: string }>;
  subgraphs: DemoSubgraphs;
  /** Base URL of the gateway's HTTP server (no path). */
  origin: string;
  /** POSTs a GraphQL request to the gateway. */
  query(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<JsonResponse>;
  /** Forgets every backend's recorded calls. */
  resetCalls(): void;
  close(): Promise<void>;
}

/**
 * Starts the demo backends and a gateway; `config` is merged over the test defaults. The
 * backends record the request headers `options.recordHeaders` names (calls' `headers`).
 */
export async function startDemoGateway(config: OpenClawConfig = {}, options: StartOptions & RecordingOptions = {}): Promise<DemoGateway> {
  const { recordHeaders, ...startOptions } = options;
  const subgraphs = await startDemoSubgraphs(recordHeaders === undefined ? {} : { recordHeaders });
  const dataDir = await mkdtemp(join(tmpdir(), 'openclaw-demo-'));
  let gateway: RunningGateway;
  let resolved: ResolvedConfig;
  try {
    const sources: NonNullable<OpenClawConfig['sources']> = {};
    for (const name of ['accounts', 'reviews', 'products', 'inventory', 'orders'] as const) {
      sources[name] = { url: subgraphs[name].url, timeoutMs: 1000, ...config.sources?.[name] };
    }
    resolved = resolveConfig(
      { schema: 'schema', ...config, server: { port: 0, ...config.server }, logging: { level: 'silent', ...config.logging }, store: { dataDir, ...config.store }, sources },
      { rootDir: REPO_ROOT, env: {} },
    );
    gateway = await startGateway(resolved, startOptions);
  } catch (error) {
    await subgraphs.close();
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const origin = new URL(gateway.url).origin;
  const running = resolved;
  return {
    gateway,
    config: running,
    async createKey(input) {
      const keys = await openKeyManagement(running);
      try {
        const issued = await keys.service.create(input);
        return { id: issued.record.id, key: issued.key };
      } finally {
        await keys.close();
      }
    },
    subgraphs,
    origin,
    query: (query, variables, headers) => postGraphQL(gateway.url, { query, variables }, headers),
    resetCalls() {
      for (const name of ['accounts', 'reviews', 'products', 'inventory', 'orders'] as const) subgraphs[name].resetCalls();
    },
    async close() {
      await gateway.close();
      await subgraphs.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs `body` as JSON to `url` and reads the JSON answer. */
export async function postGraphQL(url: string, body: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLBody };
}
