/**
 * Starting the gateway: compose the graph once, build the engine and the pipeline, serve HTTP.
 * Routes: the GraphQL path (GraphQL over HTTP, GraphiQL for browsers), `/healthz`, `/readyz`,
 * GraphiQL's static files.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer } from '@apollo/server';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';
import { composeGateway } from '../compose/index.js';
import type { ResolvedConfig } from '../config/types.js';
import type { ComposedGateway } from '../compose/types.js';
import type { GatewayContext } from '../context.js';
import { GatewayError } from '../errors/index.js';
import { apolloGatewayFor } from '../execute/apollo-gateway.js';
import { createReferenceEngine, type ExecutionEngine } from '../execute/engine.js';
import { createPlanEngine } from '../execute/plan/index.js';
import { createLogger, type Logger } from '../telemetry/logger.js';
import { GRAPHIQL_ASSETS_PREFIX, sendGraphiQL, sendGraphiQLAsset, wantsGraphiQL } from './graphiql.js';
import { handleGraphQL } from './graphql-http.js';
import { sendHealth, sendReadiness } from './health.js';
import { createPipeline, hooksOf } from './pipeline.js';
import type { GatewayPlugin, HttpExchange } from './plugin.js';
import { sendError } from './respond.js';

/** A gateway that is serving. */
export interface RunningGateway {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  port: number;
  /** The composed graph (schema, sources). */
  composed: ComposedGateway;
  /** Stops accepting requests, closes open connections and every source. */
  close(): Promise<void>;
}

/** Options of `startGateway` beyond the config. */
export interface StartOptions {
  /** Where logs go; default: JSON lines on stderr at `logging.level`. */
  logger?: Logger;
  /** Your own plugins, run after the built-in pipeline (pipeline.ts), in this order. */
  plugins?: readonly GatewayPlugin[];
}

/** Composes the graph from `config` and serves it. */
export async function startGateway(config: ResolvedConfig, options: StartOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger(config.logging.level);
  const composed = await composeGateway(config);
  const hooks = hooksOf([...createPipeline(logger), ...(options.plugins ?? [])]);
  const apollo = new ApolloServer<GatewayContext>({
    gateway: apolloGatewayFor(composed.schema, engineFor(config, composed, logger)),
    plugins: [...hooks.apollo],
    introspection: config.server.introspection,
    includeStacktraceInErrorResponses: false,
    csrfPrevention: false,
    persistedQueries: false,
    // Parsed and validated documents, by query hash: a repeated document skips both steps.
    documentStore: config.documentCache.size > 0 ? new InMemoryLRUCache<DocumentNode>({ max: config.documentCache.size }) : null,
    logger,
  });
  try {
    await apollo.start();
  } catch (error) {
    await composed.close();
    throw error;
  }
  const { graphqlPath, bodyLimitBytes } = config.server;
  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://gateway.local');
    const exchange: HttpExchange = { req, res, url, requestId: '' };
    if (url.pathname === graphqlPath) {
      if (config.server.graphiql && wantsGraphiQL(req, url)) return sendGraphiQL(res, graphqlPath);
      return handleGraphQL(exchange, { apollo, hooks, bodyLimitBytes, logger });
    }
    if (req.method === 'GET' && url.pathname === '/healthz') return sendHealth(res);
    if (req.method === 'GET' && url.pathname === '/readyz') return sendReadiness(res, composed.sources);
    if (req.method === 'GET' && config.server.graphiql && url.pathname.startsWith(GRAPHIQL_ASSETS_PREFIX)
      && sendGraphiQLAsset(res, url.pathname.slice(GRAPHIQL_ASSETS_PREFIX.length))) return;
    sendError(res, new GatewayError('NOT_FOUND', `No route for ${req.method} ${url.pathname}; GraphQL is served at ${graphqlPath}.`), '');
  };
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    route(req, res).catch((error: unknown) => {
      logger.error('request failed', { error: (error as Error).message, stack: (error as Error).stack });
      sendError(res, new GatewayError('INTERNAL_SERVER_ERROR', 'Unexpected error.'), '');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.server.port, config.server.host, () => resolve());
  }).catch(async (error: unknown) => {
    await apollo.stop();
    await composed.close();
    throw new GatewayError('CONFIG_INVALID', `Cannot listen on ${config.server.host}:${config.server.port}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const displayHost = host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host;
  logger.info('gateway listening', { port, sources: composed.sources.map((source) => source.name) });
  return {
    url: `http://${displayHost}:${port}${graphqlPath}`,
    port,
    composed,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await apollo.stop();
      await composed.close();
    },
  };
}

/**
 * The engine `config.engine` selects. The plan engine needs a supergraph; in schema/ mode
 * (no supergraph yet) the reference engine runs.
 */
function engineFor(config: ResolvedConfig, composed: ComposedGateway, logger: Logger): ExecutionEngine {
  if (config.engine === 'plan') {
    if (composed.supergraph) return createPlanEngine({ supergraphSdl: composed.supergraph.sdl, schema: composed.schema, executors: composed.supergraph.executors });
    logger.warn('engine "plan" serves a supergraph only; the reference engine runs this schema');
  }
  return createReferenceEngine(composed.schema);
}
