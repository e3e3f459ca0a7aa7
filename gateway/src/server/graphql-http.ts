/**
 * `POST|GET /graphql` under the GraphQL over HTTP spec. The pipeline's HTTP hooks run first
 * (they may refuse the request), the body is read with a size limit (413), and Apollo Server
 * parses, validates (cached per document) and runs the operation through the engine.
 */
import type { ApolloServer, HTTPGraphQLRequest } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import getRawBody from 'raw-body';
import { GatewayError, isGatewayError } from '../errors/index.js';
import type { GatewayContext } from '../context.js';
import { RequestLoaders } from '../sources/loaders.js';
import type { Logger } from '../telemetry/logger.js';
import type { PipelineHooks } from './pipeline.js';
import type { HttpExchange } from './plugin.js';
import { sendError } from './respond.js';

/** What the GraphQL handler needs. */
export interface GraphQLHttpOptions {
  apollo: ApolloServer<GatewayContext>;
  hooks: PipelineHooks;
  bodyLimitBytes: number;
  logger: Logger;
}

/** Handles one GraphQL HTTP request; never throws (errors become responses). */
export async function handleGraphQL(exchange: HttpExchange, options: GraphQLHttpOptions): Promise<void> {
  const { req, res } = exchange;
  try {
    for (const hook of options.hooks.onHttpRequest) hook(exchange);
    if (req.method !== 'GET' && req.method !== 'POST') {
      res.setHeader('allow', 'GET, POST');
      throw new GatewayError('METHOD_NOT_ALLOWED', `GraphQL requests use GET or POST; received ${req.method}.`);
    }
    const body = req.method === 'POST' ? await readJsonBody(exchange, options.bodyLimitBytes) : undefined;
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const httpGraphQLRequest: HTTPGraphQLRequest = { method: req.method, headers, search: exchange.url.search, body };
    const response = await options.apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest,
      context: async () => {
        const context: GatewayContext = { requestId: exchange.requestId, loaders: new RequestLoaders(), signal: abort.signal };
        for (const hook of options.hooks.onContext) hook(exchange, context);
        return context;
      },
    });
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      if (res.statusCode === 400 && isLegacyDocumentFailure(response.headers.get('content-type'), response.body.string)) res.statusCode = 200;
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  } catch (error) {
    if (isGatewayError(error)) return sendError(res, error, exchange.requestId);
    // The client reads only the request id; the log must hold what it points to.
    options.logger.error('unexpected error', { requestId: exchange.requestId, error: (error as Error)?.message, stack: (error as Error)?.stack });
    sendError(res, new GatewayError('INTERNAL_SERVER_ERROR', 'Unexpected error.', {}, { cause: error }), exchange.requestId);
  }
}

const DOCUMENT_FAILURES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT']);

/**
 * The spec's rule for legacy clients: a response sent as `application/json` (the client did not
 * accept `application/graphql-response+json`) SHOULD use 200 when the document fails to parse
 * or validate or its variables fail coercion, since such clients read errors from the body.
 * `application/graphql-response+json` responses keep the 4xx status.
 */
function isLegacyDocumentFailure(contentType: string | undefined, body: string): boolean {
  if (contentType === undefined || !contentType.startsWith('application/json')) return false;
  try {
    const parsed = JSON.parse(body) as { data?: unknown; errors?: Array<{ extensions?: { code?: unknown } }> };
    return parsed.data === undefined && (parsed.errors ?? []).some((error) => DOCUMENT_FAILURES.has(String(error.extensions?.code)));
  } catch {
    return false;
  }
}

async function readJsonBody(exchange: HttpExchange, limit: number): Promise<unknown> {
  let text: string;
  try {
    text = await getRawBody(exchange.req, { limit, encoding: 'utf8', length: exchange.req.headers['content-length'] });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') {
      throw new GatewayError('PAYLOAD_TOO_LARGE', `The request body is larger than the limit of ${limit} bytes (server.bodyLimitBytes).`);
    }
    throw new GatewayError('BAD_REQUEST', 'The request body could not be read.');
  }
  if (text.length === 0) throw new GatewayError('BAD_REQUEST', 'The POST body is empty; send a JSON object with a "query" field.');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new GatewayError('BAD_REQUEST', `The request body is not valid JSON: ${(error as Error).message}.`);
  }
}
