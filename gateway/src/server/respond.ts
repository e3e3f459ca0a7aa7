/** Writing responses: a GraphQL result, a whole-request refusal, a plain JSON body. */
import type { ServerResponse } from 'node:http';
import type { GatewayError } from '../errors/index.js';
import type { GraphQLResult } from './plugin.js';

/** What a client reads instead of an unexpected error's message (the log has the details). */
export const UNEXPECTED_ERROR_MESSAGE = 'Unexpected error. The gateway log has the details under this request id.';

/** The body of a refusal: the error's message and code (masked when it is unexpected). */
export function refusalResult(error: GatewayError, requestId: string): GraphQLResult {
  if (error.code === 'INTERNAL_SERVER_ERROR') return { errors: [{ message: UNEXPECTED_ERROR_MESSAGE, extensions: { code: error.code, requestId } }] };
  return { errors: [{ message: error.message, extensions: error.extensions }] };
}

/** Writes `result` as JSON with `status` and `contentType`, serialised once. */
export function writeResult(res: ServerResponse, status: number, contentType: string, result: GraphQLResult): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.statusCode = status;
  res.setHeader('content-type', `${contentType}; charset=utf-8`);
  res.end(JSON.stringify(result));
}

/** Sends `error` as the whole response (status, headers and body from the error). */
export function sendError(res: ServerResponse, error: GatewayError, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  writeResult(res, error.httpStatus, 'application/json', refusalResult(error, requestId));
}

/** Sends a JSON body with `status`, not cached. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}
