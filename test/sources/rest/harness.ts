// What the REST tests share: a backend (a node:http server on a loopback port that records
// every request and answers with the test's handler), the source declaration built by hand as
// compose would, and a way to run a document against the adapter's schema.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { parse } from 'graphql';
import type { RequestLoaders } from '../../../gateway/src/sources/loaders.js';
import { sourceContext } from '../../support/sources.js';
import type { SourceDefinition, SourceRuntime } from '../../../gateway/src/sources/types.js';

/** The schema file the tests pretend to load; errors name it relative to the working directory. */
export const SCHEMA_FILE = join(process.cwd(), 'schema', 'products.graphql');
export const OPENAPI_FILE = join(import.meta.dirname, 'fixtures', 'openapi.yaml');

/** The declaration compose would make of `extend schema @source(name: "products", kind: REST, ...)` + `sdl`. */
export function restDefinition(sdl: string, openapi: string = OPENAPI_FILE): SourceDefinition {
  return { name: 'products', kind: 'rest', file: SCHEMA_FILE, label: 'schema/products.graphql', typeDefs: parse(sdl), openapi };
}

/** A response as the client sees it (JSON), errors with message, path and extensions. */
export interface JsonResult {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** Runs `source` as one request (fresh loaders unless given) through the runtime's executor. */
export async function run(runtime: SourceRuntime, source: string, extra: { traceparent?: string; loaders?: RequestLoaders } = {}): Promise<JsonResult> {
  const result = await runtime.executor({ document: parse(source), context: sourceContext(extra) });
  return JSON.parse(JSON.stringify(result)) as JsonResult;
}

export interface Hit {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface TestServer {
  url: string;
  hits: Hit[];
  close(): Promise<void>;
}

export type Handler = (hit: Hit, response: ServerResponse) => void;

/** Answers `status` with `value` as JSON. */
export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(value));
}

export async function startServer(handler: Handler): Promise<TestServer> {
  const hits: Hit[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const hit = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
      hits.push(hit);
      handler(hit, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
