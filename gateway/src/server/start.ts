/**
 * Starting the gateway, and stopping it: services from config, the plugin list, the graph
 * composed once, the engine, the pipeline, the HTTP server (and the admin listener, with
 * `admin.port`). Closing drains: the gateway
 * reports not-ready (still serving for `server.shutdownDelayMs`), stops accepting
 * connections, lets requests in flight finish within `server.drainTimeoutMs`, then closes
 * every connection, source and service.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeGateway } from '../compose/index.js';
import type { ComposedGateway } from '../compose/types.js';
import type { ResolvedConfig } from '../config/types.js';
import { GatewayError } from '../errors/index.js';
import { createEngine } from '../execute/create.js';
import type { ExecutionEngine } from '../execute/engine.js';
import { createLogger, type Logger } from '../telemetry/logger.js';
import { EMPTY_COST_MODEL } from '../traffic/demand-control/index.js';
import type { GatewayState } from './state.js';
import { builtInPlugins, createPipeline, upstreamHeadersOf } from './pipeline.js';
import type { GatewayPlugin } from './plugin.js';
import { createServices } from './services.js';
import { ADMIN_PATH, adminHasOwnListener, adminListenerHandler, gatewayAdminApi } from './admin-listener.js';

/** A gateway that is serving. */
export interface RunningGateway {
  /** The GraphQL endpoint, e.g. `http://127.0.0.1:4000/graphql`. */
  url: string;
  port: number;
  /**
   * The admin API's URL when it has a listener of its own (`admin.port`, 0 included: the port
   * actually bound), e.g. `http://127.0.0.1:4001/admin/graphql`; undefined when it is served on
   * the public port (`<origin of url>/admin/graphql`).
   */
  adminUrl?: string;
  /** The composed graph (schema, sources). */
  composed: ComposedGateway;
  /**
   * Drains and stops: readiness turns 503 (the gateway still serves for
   * `server.shutdownDelayMs`), then no new connections are accepted, requests in flight get up
   * to `server.drainTimeoutMs` to finish, and every connection, source and service is closed.
   * Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

/** Options of `startGateway` beyond the config. */
export interface StartOptions {
  /** Where logs go; default: the console at `logging.level`. */
  logger?: Logger;
  /** Your own plugins, run after the built-in pipeline (pipeline.ts), in this order. */
  plugins?: readonly GatewayPlugin[];
  /** Time source of the gateway's intervals (readiness probes), ms since the epoch. Default `Date.now`; tests inject one. */
  clock?: () => number;
}

/** Composes the graph from `config` and serves it. */
export async function startGateway(config: ResolvedConfig, options: StartOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger(config.logging);
  const services = await createServices(config, logger);
  const state: GatewayState = { phase: 'starting', services: services.probes, sources: [], policies: new Map(), fieldRateLimits: new Map(), costs: EMPTY_COST_MODEL };
  let plugins: GatewayPlugin[];
  try {
    plugins = [...builtInPlugins({ config, logger, services, state, ...(options.clock === undefined ? {} : { clock: options.clock }) }), ...(options.plugins ?? [])];
  } catch (error) {
    // A plugin's settings refused (a rate policy out of range, say): nothing may stay open.
    await services.close();
    throw error;
  }
  let composed: ComposedGateway;
  try {
    composed = await composeGateway(config, { logger, upstreamHeaders: upstreamHeadersOf(plugins) });
  } catch (error) {
    await services.close();
    throw error;
  }
  let engine: ExecutionEngine;
  try {
    engine = createEngine(config.engine, composed, config.planCache);
  } catch (error) {
    await composed.close();
    await services.close();
    throw error;
  }
  state.sources = composed.sources;
  state.policies = composed.policies;
  state.fieldRateLimits = composed.fieldRateLimits;
  state.costs = composed.costs;
  const handle = createPipeline({ plugins, engine, schema: composed.schema, config, logger });

  const inFlight = new Set<ServerResponse>();
  let drained: (() => void) | undefined;
  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    inFlight.add(res);
    // A client that sends a request while the gateway drains gets its answer, then the door.
    if (state.phase === 'draining') res.setHeader('connection', 'close');
    res.once('close', () => {
      inFlight.delete(res);
      if (inFlight.size === 0) drained?.();
    });
    handle(req, res).catch((error: unknown) => {
      logger.error('request failed', { error: (error as Error)?.message, stack: (error as Error)?.stack });
      res.destroy();
    });
  });
  // The admin listener, when it has one: requests only the admin API answers, closed with the rest.
  const adminServer: Server | undefined = adminHasOwnListener(config)
    ? createServer({ keepAliveTimeout: 5000 }, adminListenerHandler(config, gatewayAdminApi(config, services, logger)))
    : undefined;
  const listen = (target: Server, port: number, host: string, what: string) =>
    new Promise<void>((resolve, reject) => {
      target.once('error', reject);
      target.listen(port, host, () => {
        target.off('error', reject);
        resolve();
      });
    }).catch((error: unknown) => {
      throw new GatewayError('CONFIG_INVALID', `Cannot listen on ${host}:${port} (${what}): ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
    });
  try {
    await listen(server, config.server.port, config.server.host, 'server.port');
    if (adminServer !== undefined) await listen(adminServer, config.admin.port ?? 0, config.admin.host, 'admin.port');
  } catch (error) {
    await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    await composed.close();
    await services.close();
    throw error;
  }
  state.phase = 'ready';
  const port = (server.address() as AddressInfo).port;
  const urlHost = (bound: string): string => {
    const host = bound.includes(':') ? `[${bound}]` : bound;
    return host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host;
  };
  const displayHost = urlHost(config.server.host);
  const adminUrl = adminServer === undefined ? undefined : `http://${urlHost(config.admin.host)}:${(adminServer.address() as AddressInfo).port}${ADMIN_PATH}`;
  logger.info('gateway listening', { port, sources: composed.sources.map((source) => source.name), ...(adminUrl === undefined ? {} : { adminUrl }) });

  let closing: Promise<void> | undefined;
  const drain = async (): Promise<void> => {
    state.phase = 'draining';
    if (config.server.shutdownDelayMs > 0) {
      logger.info('shutting down: not ready, still serving', { delayMs: config.server.shutdownDelayMs });
      await new Promise((resolve) => setTimeout(resolve, config.server.shutdownDelayMs));
    }
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    if (inFlight.size > 0) {
      logger.info('draining', { inFlight: inFlight.size, timeoutMs: config.server.drainTimeoutMs });
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        new Promise<boolean>((resolve) => {
          drained = () => resolve(true);
        }),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), config.server.drainTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (!finished) logger.warn('drain timeout: closing requests still in flight', { inFlight: inFlight.size });
    }
    server.closeAllConnections();
    await stopped;
    if (adminServer !== undefined) {
      const adminStopped = new Promise<void>((resolve) => adminServer.close(() => resolve()));
      adminServer.closeAllConnections();
      await adminStopped;
    }
    await composed.close();
    await services.close();
    logger.info('gateway closed');
  };
  return {
    url: `http://${displayHost}:${port}${config.server.graphqlPath}`,
    port,
    ...(adminUrl === undefined ? {} : { adminUrl }),
    composed,
    close() {
      closing ??= drain();
      return closing;
    },
  };
}

