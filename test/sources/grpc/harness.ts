// What the gRPC tests share: a backend (an @grpc/grpc-js server on a loopback port that
// records every call and its metadata), the source declaration built by hand as compose would,
// and a way to run a document against the adapter's schema.
import { join } from 'node:path';
import { Server, ServerCredentials, type Metadata, type ServiceError, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { parse } from 'graphql';
import { sourceContext } from '../../support/sources.js';
import type { SourceDefinition, SourceRuntime } from '../../../gateway/src/sources/types.js';

export const SCHEMA_FILE = join(process.cwd(), 'schema', 'inventory.graphql');
export const PROTO_FILE = join(import.meta.dirname, 'fixtures', 'inventory.proto');

/** One call the backend received. */
export interface Received {
  method: string;
  request: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** A unary handler: answers the response message, or throws `{ code, details }` for a status. */
export type UnaryHandler = (request: Record<string, unknown>) => Promise<unknown> | unknown;

export interface TestGrpcServer {
  url: string;
  calls: Received[];
  close(): Promise<void>;
}

/** The declaration compose would make of `extend schema @source(name: "inventory", kind: GRPC, ...)` + `sdl`. */
export function grpcDefinition(sdl: string, overrides: Partial<SourceDefinition> = {}): SourceDefinition {
  return { name: 'inventory', kind: 'grpc', file: SCHEMA_FILE, label: 'schema/inventory.graphql', typeDefs: parse(sdl), proto: PROTO_FILE, service: 'inventory.Inventory', ...overrides };
}

export async function startGrpcServer(handlers: Record<string, UnaryHandler>): Promise<TestGrpcServer> {
  const definition = loadSync(PROTO_FILE, { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true });
  const service = definition['inventory.Inventory'] as Parameters<Server['addService']>[0];
  const calls: Received[] = [];
  const implementation: UntypedServiceImplementation = {};
  for (const [method, handler] of Object.entries(handlers)) {
    implementation[method] = (call: { request: Record<string, unknown>; metadata: Metadata }, callback: (error: Partial<ServiceError> | null, value?: unknown) => void) => {
      calls.push({ method, request: call.request, metadata: call.metadata.getMap() });
      Promise.resolve()
        .then(() => handler(call.request))
        .then((value) => callback(null, value), (error: Partial<ServiceError>) => callback(error));
    };
  }
  const server = new Server();
  server.addService(service, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return {
    url: `127.0.0.1:${port}`,
    calls,
    close: async () => {
      // Force: a test may leave a slow call pending on purpose.
      server.forceShutdown();
    },
  };
}

/** A response as the client sees it (JSON), errors with message, path and extensions. */
export interface JsonResult {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** Runs `source` as one request (fresh loaders) through the runtime's executor. */
export async function run(runtime: SourceRuntime, source: string, traceparent?: string): Promise<JsonResult> {
  const result = await runtime.executor({ document: parse(source), context: sourceContext(traceparent ? { traceparent } : {}) });
  return JSON.parse(JSON.stringify(result)) as JsonResult;
}
