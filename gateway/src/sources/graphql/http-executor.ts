/**
 * The executor of an HTTP GraphQL source: one POST per delegated request, through the source's
 * keep-alive `UpstreamClient`. Transport failures and non-GraphQL answers become errors that
 * name the source; GraphQL errors from the source keep their message and gain
 * `extensions.source`.
 */
import { print, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import type { ExecutionRequest, Executor } from '@graphql-tools/utils';
import { GatewayError, isGatewayError } from '../../errors/index.js';
import type { UpstreamClient } from '../../traffic/upstream.js';
import type { GatewayContext } from '../../context.js';

/** Prints a document once per document object (delegation reuses documents for batched calls). */
const printed = new WeakMap<object, string>();
function printOnce(document: ExecutionRequest['document']): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

/** Builds the executor that sends delegated GraphQL requests to `client`'s source. */
export function createHttpExecutor(client: UpstreamClient): Executor {
  const source = client.source;
  const execute = async (request: ExecutionRequest): Promise<ExecutionResult> => {
    const context = request.context as Partial<GatewayContext> | undefined;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
    };
    if (context?.requestId) headers['x-request-id'] = context.requestId;
    if (context?.traceparent) headers.traceparent = context.traceparent;
    const body = JSON.stringify({
      query: printOnce(request.document),
      variables: request.variables,
      ...(request.operationName ? { operationName: request.operationName } : {}),
    });
    try {
      const response = await client.request({ method: 'POST', path: '', headers, body, signal: request.signal ?? context?.signal });
      return readResult(source, response.status, response.body);
    } catch (error) {
      const gatewayError = isGatewayError(error)
        ? error
        : new GatewayError('UPSTREAM_ERROR', `Source "${source}" failed.`, { source }, { cause: error });
      return { errors: [gatewayError.toGraphQLError()] };
    }
  };
  return execute as Executor;
}

/**
 * Codes a subgraph may give that mean the same to the gateway's client. Any other code (the
 * subgraph's INTERNAL_SERVER_ERROR, or a validation failure of the gateway's own request) is
 * the source's failure, not the client's: it becomes UPSTREAM_ERROR.
 */
const PASSTHROUGH_CODES = new Set(['BAD_USER_INPUT', 'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND']);

/**
 * Keeps an upstream error's path and locations; its extensions are replaced, because a
 * subgraph's extensions may carry stack traces or internals. A pass-through code keeps its code
 * and message; any other becomes UPSTREAM_ERROR, with the original code in `upstreamCode` and
 * a message that names only the source.
 */
function sanitizeError(source: string, error: GraphQLFormattedError): GraphQLFormattedError {
  const upstreamCode = error.extensions?.code;
  const known = typeof upstreamCode === 'string' && PASSTHROUGH_CODES.has(upstreamCode);
  const extensions: Record<string, unknown> = { code: known ? upstreamCode : 'UPSTREAM_ERROR', source };
  if (!known && typeof upstreamCode === 'string') extensions.upstreamCode = upstreamCode;
  // A client-meaningful error keeps its message; a source's own failure may describe its
  // internals, so the client sees only which source failed (the log does not see it either).
  const message = known ? error.message : `Source "${source}" failed to resolve this field${typeof upstreamCode === 'string' ? ` (${upstreamCode})` : ''}.`;
  return { message, ...(error.path ? { path: error.path } : {}), ...(error.locations ? { locations: error.locations } : {}), extensions };
}

function readResult(source: string, status: number, text: string): ExecutionResult {
  let parsed: { data?: unknown; errors?: GraphQLFormattedError[] } | undefined;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || parsed === null || typeof parsed !== 'object' || (!('data' in parsed) && !('errors' in parsed))) {
    const error = status >= 400
      ? new GatewayError('UPSTREAM_ERROR', `Source "${source}" answered HTTP ${status}.`, { source, status })
      : new GatewayError('UPSTREAM_BAD_RESPONSE', `Source "${source}" answered with a body that is not a GraphQL response.`, { source, status });
    return { errors: [error.toGraphQLError()] };
  }
  if (parsed.errors !== undefined) parsed.errors = parsed.errors.map((error) => sanitizeError(source, error));
  return parsed as ExecutionResult;
}
