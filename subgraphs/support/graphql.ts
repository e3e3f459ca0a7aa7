/**
 * Serves a GraphQL schema over HTTP with graphql-http (the reference GraphQL-over-HTTP server)
 * and the test hooks every backend has: each operation is recorded, and the failure mode is
 * honoured before anything is executed.
 */
import { GraphQLError } from 'graphql';
import type { GraphQLSchema } from 'graphql';
import { createHandler as createCoreHandler } from 'graphql-http';
import type { HandlerOptions, RequestHeaders } from 'graphql-http';
import { createHandler } from 'graphql-http/lib/use/http';
import type { IncomingHttpHeaders, IncomingMessage, RequestListener } from 'node:http';
import type { CallLog, HeaderReader } from './call-log.js';
import { createCachingListener } from './graphql-cache.js';
import { DocumentCache } from './graphql-documents.js';
import { closeServer, httpHeaderReader, listenOnLoopback, sendError } from './http.js';
import type { RunningSubgraph } from './running.js';

/** How one GraphQL endpoint records and answers. */
export interface GraphQLEndpointOptions {
  /** Backend name, in injected errors. */
  name: string;
  schema: GraphQLSchema;
  log: CallLog;
  /** Prefix of each recorded operation, e.g. `accounts ` when several endpoints share a log. */
  label?: string;
  /** Record operation name and variables as the call's detail (off for the benchmark: they pile up). */
  recordDetail?: boolean;
  /**
   * Replay the stored answer of a repeated request (see graphql-cache.ts). Only for backends
   * whose answers depend on nothing but the request, such as the benchmark's.
   */
  cacheResponses?: boolean;
}

/** graphql-http's request headers (a plain object, or a Fetch-style `get`) for the call record. */
function headerReader(headers: RequestHeaders): HeaderReader {
  if (typeof headers.get === 'function') {
    const get = headers.get.bind(headers) as (name: string) => string | null;
    return (name) => get(name) ?? undefined;
  }
  return httpHeaderReader(headers as IncomingHttpHeaders);
}

// One set of hooks for both transports below; `RequestContext` is whatever the transport adds.
function handlerOptions<RequestContext>(
  options: GraphQLEndpointOptions,
  documents: DocumentCache,
): HandlerOptions<IncomingMessage, RequestContext> {
  const { name, schema, log, label = '', recordDetail = true } = options;
  return {
    schema,
    async onSubscribe(req, { query, operationName, variables }) {
      const prepared = documents.prepare(query);
      log.record(label + documents.describe(query, operationName), recordDetail ? { operationName, variables } : undefined, headerReader(req.headers));
      // Cut short by close(): the socket is gone and nothing will read this answer.
      if (!(await log.delayIfSlow())) return [null, { status: 503, statusText: 'Service Unavailable' }];
      if (log.mode === 'error') {
        const message = `${name}: failure injected by failWith('error')`;
        return { data: null, errors: [new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } })] };
      }
      if (!prepared.document || prepared.errors.length > 0) return prepared.errors;
      return { schema, document: prepared.document, operationName, variableValues: variables };
    },
  };
}

/** A node:http listener answering GraphQL requests for one schema, whatever the path. */
export function createGraphQLListener(options: GraphQLEndpointOptions): RequestListener {
  const documents = new DocumentCache(options.schema);
  if (!options.cacheResponses) return createHandler(handlerOptions(options, documents));
  return createCachingListener({
    handler: createCoreHandler(handlerOptions<undefined>(options, documents)),
    log: options.log,
    label: options.label ?? '',
    documents,
  });
}

/** Starts a backend serving `schema` at `/graphql` on loopback. */
export async function startGraphQLServer(options: {
  name: string;
  schema: GraphQLSchema;
  log: CallLog;
  port: number;
}): Promise<RunningSubgraph> {
  const { name, log } = options;
  const graphql = createGraphQLListener(options);
  const { server, port, connectionCount } = await listenOnLoopback((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (path === '/graphql') {
      void graphql(req, res);
      return;
    }
    log.record(`${req.method ?? 'GET'} ${path}`, undefined, httpHeaderReader(req.headers));
    sendError(res, 404, 'not_found', `${name} serves GraphQL at /graphql only`);
  }, options.port);
  return log.running(name, `http://127.0.0.1:${port}/graphql`, () => closeServer(server), connectionCount);
}
