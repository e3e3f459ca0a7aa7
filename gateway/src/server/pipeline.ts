/**
 * The request pipeline: the plugins in their one order, and the whole path of a request, in
 * this file.
 *
 *   HTTP request
 *    -> onRequest    every request: correlation id, client IP, traceparent (request-context);
 *                    IP allow and deny lists (ip-filter, 403); CORS and preflights (cors); GraphiQL for browsers (graphiql); the CSRF
 *                    rule (media-type)
 *    -> route        a plugin's own route (/healthz, /readyz, GraphiQL's files, the admin API,
 *                    the JWKS, the refresh endpoint), else the GraphQL path, else 404
 *    -> read         Accept negotiated (406), parameters read from GET or POST (400, 405, 413)
 *    -> onContext    identity: API key (x-api-key) and bearer token -> one Principal (401)
 *    -> onParams     persisted documents: an id or APQ hash resolved to its text; trusted
 *                    documents only, globally or per key (403); no document at all (400)
 *    -> document     parse + validate, once per distinct document (documents.ts), with each
 *                    plugin's onDocument work (authorization pass, operation limits)
 *    -> operation    operation selected by name, mutations over GET refused (405),
 *                    variables coerced (BAD_USER_INPUT)
 *    -> onExecute    per operation: the estimated cost (demand control, 400 over the
 *                    maximum), rate limits per key, cost budget, subject, IP and globally
 *                    (429), authorization (refused fields pruned, put back as null with
 *                    errors by an after-hook), field @rateLimits (the same, RATE_LIMITED)
 *    -> execute      the ExecutionEngine runs the document over the sources
 *    -> onResponse   error masking; usage per key
 *    -> write        the result serialised once
 *
 * `builtInPlugins` is the list; `createPipeline` runs it. A program that embeds the gateway
 * appends its own plugins after the built-in ones (`startGateway(config, { plugins })`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getVariableValues, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { ANONYMOUS } from '../auth/principal.js';
import type { ResolvedConfig } from '../config/types.js';
import type { GatewayContext } from '../context.js';
import { GatewayError, isGatewayError } from '../errors/index.js';
import type { ExecutionEngine } from '../execute/engine.js';
import type { Logger } from '../telemetry/logger.js';
import type { UpstreamHeaders } from '../traffic/upstream/index.js';
import { DocumentCache, withoutSuggestion, type DocumentEntry } from './documents.js';
import { newExchange } from './exchange.js';
import { negotiateMediaType, readParams, resultStatus, toGraphQLParams, type ResponseMediaType } from './graphql-over-http.js';
import type { GatewayState } from './state.js';
import type { AfterExecute, GatewayPlugin, GatewayResponse, GraphQLParams, GraphQLResult, HttpExchange, Operation, Route } from './plugin.js';
import { adminHasOwnListener, gatewayAdminApi } from './admin-listener.js';
import { authRoutesPlugin } from './plugins/auth-routes.js';
import { authorizePlugin } from './plugins/authorize.js';
import { demandControlPlugin } from './plugins/demand-control.js';
import { identityPlugin } from './plugins/identity.js';
import { fieldRateLimitPlugin } from './plugins/field-rate-limit.js';
import { rateLimitPlugin, requestRatePolicies } from './plugins/rate-limit.js';
import { persistedDocumentsPlugin } from './plugins/persisted-documents.js';
import type { GatewayServices } from './services.js';
import { corsPlugin } from './plugins/cors.js';
import { errorMaskingPlugin } from './plugins/error-masking.js';
import { graphiqlPlugin } from './plugins/graphiql.js';
import { healthPlugin } from './plugins/health.js';
import { mediaTypePlugin } from './plugins/media-type.js';
import { ipFilterIsOff, ipFilterPlugin } from './plugins/ip-filter.js';
import { requestContextPlugin } from './plugins/request-context.js';
import { ADMIT_ALL, createAdmission } from './admission.js';
import { refusalResult, writeResult } from './respond.js';

/** What the built-in plugins are made from. */
export interface BuiltInOptions {
  readonly config: ResolvedConfig;
  readonly logger: Logger;
  /** The long-lived services (stores, verifiers, the limiter). */
  readonly services: GatewayServices;
  /** What start-up produced: the phase, the sources, the graph's policies. */
  readonly state: GatewayState;
  /** Time source of the plugins' intervals (readiness probes), ms. Default `Date.now`. */
  readonly clock?: () => number;
}

/** The built-in plugins, in pipeline order. */
export function builtInPlugins({ config, logger, services, state, clock }: BuiltInOptions): GatewayPlugin[] {
  const { server } = config;
  const ipLists = { allow: server.ipAllowList, deny: server.ipDenyList };
  const propagation = Object.values(config.auth.propagation);
  const admin = adminHasOwnListener(config) ? undefined : gatewayAdminApi(config, services, logger);
  return [
    requestContextPlugin(server.trustedProxies),
    ...(ipFilterIsOff(ipLists) ? [] : [ipFilterPlugin(ipLists)]),
    corsPlugin(server.cors),
    healthPlugin(state, logger, { intervalMs: server.readinessIntervalMs, ...(clock === undefined ? {} : { clock }) }),
    ...(server.graphiql ? [graphiqlPlugin(server.graphqlPath)] : []),
    authRoutesPlugin(admin, services.tokens, config.auth.internalToken.privateKey !== undefined || propagation.some((policy) => policy.mode === 'jwt')),
    mediaTypePlugin(server.graphqlPath),
    identityPlugin({ apiKeys: services.apiKeys, tokens: services.tokens, propagates: propagation.some((policy) => policy.mode !== 'none') }),
    persistedDocumentsPlugin({ mode: config.persistedDocuments.mode, manifest: services.persistedDocuments.manifest, apq: services.persistedDocuments.apq }),
    demandControlPlugin(state, config.demandControl),
    rateLimitPlugin(services.limiter, requestRatePolicies(config.rateLimits)),
    authorizePlugin(state, config.authorization.mode),
    fieldRateLimitPlugin(services.limiter, state),
    errorMaskingPlugin(logger),
  ];
}

/** The plugins' `onUpstreamRequest` hooks as one function, for the sources' transports. */
export function upstreamHeadersOf(plugins: readonly GatewayPlugin[]): UpstreamHeaders {
  const hooks = plugins.flatMap((plugin) => (plugin.onUpstreamRequest ? [plugin.onUpstreamRequest.bind(plugin)] : []));
  return (context, source, headers) => {
    for (const hook of hooks) hook(context, source, headers);
  };
}

/** What the pipeline runs with. */
export interface PipelineOptions {
  readonly plugins: readonly GatewayPlugin[];
  readonly engine: ExecutionEngine;
  /** The public graph: what documents validate against and variables are coerced with. */
  readonly schema: GraphQLSchema;
  readonly config: ResolvedConfig;
  readonly logger: Logger;
}

/** Handles one HTTP request; never rejects (every failure becomes a response). */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

type Maybe<T> = T | Promise<T>;
const isPromise = <T>(value: Maybe<T>): value is Promise<T> => typeof (value as { then?: unknown } | null)?.then === 'function';

/** Builds the handler that runs every request through `options.plugins` and the engine. */
export function createPipeline(options: PipelineOptions): RequestHandler {
  const { plugins, engine, schema, logger } = options;
  const { graphqlPath, bodyLimitBytes } = options.config.server;
  const onRequest = plugins.flatMap((plugin) => (plugin.onRequest ? [plugin.onRequest.bind(plugin)] : []));
  const onContext = plugins.flatMap((plugin) => (plugin.onContext ? [plugin.onContext.bind(plugin)] : []));
  const onParams = plugins.flatMap((plugin) => (plugin.onParams ? [plugin.onParams.bind(plugin)] : []));
  const onResponse = plugins.flatMap((plugin) => (plugin.onResponse ? [plugin.onResponse.bind(plugin)] : []));
  const routes = new Map<string, Route>();
  const prefixRoutes: Route[] = [];
  for (const route of plugins.flatMap((plugin) => plugin.routes ?? [])) {
    if (route.prefix === true) prefixRoutes.push(route);
    else routes.set(route.path, route);
  }
  const documents = new DocumentCache(schema, plugins, {
    size: options.config.documentCache.size,
    maxBytes: options.config.documentCache.maxBytes,
    introspection: options.config.server.introspection,
    suggestions: options.config.server.suggestions,
    limits: options.config.limits,
  });
  const maxJsonNesting = options.config.limits.enabled ? options.config.limits.maxNesting : undefined;
  const admission = options.config.server.admission === 'off' ? ADMIT_ALL : createAdmission({ minConcurrent: options.config.server.minConcurrentRequests });

  /** Logs what is not a GatewayError and turns it into the masked INTERNAL_SERVER_ERROR. */
  const asGatewayError = (error: unknown, requestId: string): GatewayError => {
    if (isGatewayError(error)) return error;
    // The client reads only the request id; the log must hold what it points to.
    logger.error('unexpected error', { requestId, error: (error as Error)?.message ?? String(error), stack: (error as Error)?.stack });
    return new GatewayError('INTERNAL_SERVER_ERROR', 'Unexpected error.', {}, { cause: error });
  };

  /** onResponse hooks, then the write: every GraphQL-path response ends here. */
  const respond = async (exchange: HttpExchange, response: GatewayResponse, mediaType: ResponseMediaType): Promise<void> => {
    try {
      for (const hook of onResponse) {
        const pending = hook(response, exchange);
        if (isPromise(pending)) await pending;
      }
    } catch (error) {
      const failure = asGatewayError(error, exchange.requestId);
      response.status = failure.httpStatus;
      response.result = refusalResult(failure, exchange.requestId);
    }
    writeResult(exchange.res, response.status, mediaType, response.result);
  };

  /** A request refused as a whole: the error's status, headers and code. */
  const refuse = (exchange: HttpExchange, error: unknown, mediaType: ResponseMediaType, context?: GatewayContext, operation?: Operation): Promise<void> => {
    const failure = asGatewayError(error, exchange.requestId);
    if (!exchange.res.headersSent) for (const [name, value] of Object.entries(failure.headers)) exchange.res.setHeader(name, value);
    return respond(exchange, { status: failure.httpStatus, result: refusalResult(failure, exchange.requestId), context, operation }, mediaType);
  };

  const createContext = (exchange: HttpExchange): GatewayContext => {
    const controller = new AbortController();
    exchange.res.once('close', () => {
      if (!exchange.res.writableFinished) controller.abort();
    });
    return { requestId: exchange.requestId, traceparent: exchange.traceparent, clientIp: exchange.clientIp, signal: controller.signal, principal: ANONYMOUS };
  };

  /** The GraphQL path: read -> context -> document -> operation -> execute -> respond. */
  const graphql = async (exchange: HttpExchange): Promise<void> => {
    let mediaType: ResponseMediaType = 'application/json';
    let context: GatewayContext | undefined;
    let operation: Operation | undefined;
    try {
      mediaType = negotiateMediaType(exchange.req.headers.accept);
      let received = await readParams(exchange, bodyLimitBytes, maxJsonNesting);
      context = createContext(exchange);
      for (const hook of onContext) {
        const pending = hook(context, exchange);
        if (isPromise(pending)) await pending;
      }
      for (const hook of onParams) {
        let next = hook(received, context, exchange);
        if (isPromise(next)) next = await next;
        if (next !== undefined) received = next;
      }
      const params = toGraphQLParams(received);
      const entry = documents.get(params.query);
      const resolved = entry.errors === undefined ? resolveOperation(entry, params, exchange, schema, context, options.config.server.suggestions) : entry.errors;
      if (Array.isArray(resolved)) {
        return await respond(exchange, { status: entry.status ?? resultStatus(mediaType, true), result: { errors: [...resolved] }, context, operation }, mediaType);
      }
      operation = resolved as Operation;
      const after: AfterExecute[] = [];
      for (const hook of entry.hooks) {
        let next = hook(operation);
        if (isPromise(next)) next = await next;
        if (next !== undefined) after.push(next);
      }
      // Admission (admission.ts): under a saturated CPU, wait here, holding no answer yet.
      const admitted = admission.acquire();
      try {
        if (admitted !== undefined) await admitted;
        // A client that left while its request waited gets nothing executed on its behalf.
        if (context.signal.aborted) return;
        const executed = await engine.execute({ document: operation.document, operationName: operation.operationName, variables: operation.variables, context });
        const result = toResult(executed);
        for (const hook of after) {
          const pending = hook(result, operation);
          if (isPromise(pending)) await pending;
        }
        await respond(exchange, { status: 200, result, context, operation, ...(executed.errors ? { executionErrors: executed.errors } : {}) }, mediaType);
      } finally {
        admission.release();
      }
    } catch (error) {
      await refuse(exchange, error, mediaType, context, operation);
    }
  };

  const route = async (exchange: HttpExchange): Promise<void> => {
    const path = exchange.url.pathname;
    if (path === graphqlPath) return graphql(exchange);
    const found = routes.get(path) ?? prefixRoutes.find((candidate) => path.startsWith(candidate.path));
    if (found === undefined) {
      throw new GatewayError('NOT_FOUND', `No route for ${exchange.method.slice(0, 20)} ${path.slice(0, 200)}; GraphQL is served at ${graphqlPath}.`);
    }
    const allowed = found.methods.includes(exchange.method) || (exchange.method === 'HEAD' && found.methods.includes('GET'));
    if (!allowed) {
      const allow = found.methods.includes('GET') && !found.methods.includes('HEAD') ? [...found.methods, 'HEAD'] : [...found.methods];
      throw new GatewayError('METHOD_NOT_ALLOWED', `${path} answers ${allow.join(', ')}; received ${exchange.method.slice(0, 20)}.`, {}, { headers: { allow: allow.join(', ') } });
    }
    await found.handle(exchange);
  };

  return async (req, res) => {
    const exchange = newExchange(req, res);
    try {
      for (const hook of onRequest) {
        const pending = hook(exchange);
        if (isPromise(pending)) await pending;
        if (exchange.answered) return;
      }
      await route(exchange);
    } catch (error) {
      if (exchange.url.pathname === graphqlPath) return refuse(exchange, error, 'application/json');
      const failure = asGatewayError(error, exchange.requestId);
      if (exchange.res.headersSent) {
        exchange.res.destroy();
        return;
      }
      for (const [name, value] of Object.entries(failure.headers)) exchange.res.setHeader(name, value);
      writeResult(exchange.res, failure.httpStatus, 'application/json', refusalResult(failure, exchange.requestId));
    }
  };
}

/** A result with formatted errors: what plugins read and the response serialises. */
function toResult(result: ExecutionResult): GraphQLResult {
  const out: GraphQLResult = {};
  if (result.errors !== undefined && result.errors.length > 0) out.errors = result.errors.map((error) => error.toJSON());
  if (result.data !== undefined) out.data = result.data as Record<string, unknown> | null;
  if (result.extensions !== undefined) out.extensions = result.extensions as Record<string, unknown>;
  return out;
}

function failure(message: string, code: string): GraphQLFormattedError[] {
  return [{ message, extensions: { code } }];
}

/**
 * The operation of `entry` that `params` names, ready to run; or the errors that say why it
 * cannot (an unknown operation name, variables that do not coerce). A mutation sent with GET
 * is refused (405): GET must not change state.
 */
function resolveOperation(entry: DocumentEntry, params: GraphQLParams, exchange: HttpExchange, schema: GraphQLSchema, context: GatewayContext, suggestions: boolean): Operation | GraphQLFormattedError[] {
  let definition: OperationDefinitionNode | undefined;
  if (params.operationName !== undefined) {
    definition = entry.operations.get(params.operationName);
    if (definition === undefined) return failure(`Unknown operation named "${params.operationName.slice(0, 100)}".`, 'OPERATION_RESOLUTION_FAILURE');
  } else if (entry.operations.size === 1) {
    definition = entry.operations.values().next().value;
  }
  if (definition === undefined || entry.document === undefined) {
    return failure('The document has several operations: say which to run with "operationName".', 'OPERATION_RESOLUTION_FAILURE');
  }
  if (definition.operation !== 'query' && exchange.method === 'GET') {
    throw new GatewayError('METHOD_NOT_ALLOWED', `A ${definition.operation} cannot be sent with GET (GET must not change state); use POST.`, {}, { headers: { allow: 'POST' } });
  }
  const coerced = getVariableValues(schema, definition.variableDefinitions ?? [], params.variables ?? {}, { maxErrors: 25 });
  if (coerced.errors !== undefined) {
    return coerced.errors.map((error) => ({ ...error.toJSON(), ...(suggestions ? {} : { message: withoutSuggestion(error.message) }), extensions: { code: 'BAD_USER_INPUT' } }));
  }
  return {
    context,
    exchange,
    params,
    original: entry.document,
    document: entry.document,
    definition,
    operationName: definition.name?.value,
    kind: definition.operation,
    variables: coerced.coerced,
  };
}
