/**
 * The executor of an HTTP GraphQL source: one POST per operation, through the source's
 * keep-alive `UpstreamClient`. Transport failures and non-GraphQL answers become errors that
 * name the source (the details go to the log); GraphQL errors from the source are sanitised.
 */
import { print, type DocumentNode, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { GatewayError, isGatewayError } from '../../errors/index.js';
import type { Logger } from '../../telemetry/logger.js';
import type { UpstreamClient } from '../../traffic/upstream/index.js';
import { logUpstreamFailure } from '../field-resolver.js';
import type { SourceExecutor } from '../types.js';

/** Operation texts by document object: printed once (delegation and plans reuse documents). */
const printed = new WeakMap<DocumentNode, string>();

/**
 * The text of `document` as sent upstream: printed once per document object. A caller that
 * already has the text (a query plan's fetch) records it with `rememberText`.
 */
export function documentText(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

/** Records `text` as the printed form of `document`, so it is never printed again. */
export function rememberText(document: DocumentNode, text: string): void {
  printed.set(document, text);
}

const HEADERS = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' } as const;

/** Builds the executor that sends operations to `client`'s source. */
export function createHttpExecutor(client: UpstreamClient, logger: Logger): SourceExecutor {
  const source = client.source;
  return async (request) => {
    const body = JSON.stringify({
      query: documentText(request.document),
      variables: request.variables,
      ...(request.operationName ? { operationName: request.operationName } : {}),
    });
    try {
      const response = await client.request({ method: 'POST', path: '', headers: { ...HEADERS }, body }, request.context);
      return readResult(source, response.status, response.body);
    } catch (error) {
      logUpstreamFailure(logger, request.context, source, 'POST', error);
      const gatewayError = isGatewayError(error)
        ? error
        : new GatewayError('UPSTREAM_ERROR', `Source "${source}" failed.`, { source }, { cause: error });
      return { errors: [gatewayError.toGraphQLError()] };
    }
  };
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
