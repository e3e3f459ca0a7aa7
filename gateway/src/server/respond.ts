/** Writing a whole-request refusal: the error's HTTP status and a GraphQL-shaped JSON body. */
import type { ServerResponse } from 'node:http';
import type { GatewayError } from '../errors/index.js';

/** What a client reads instead of an unexpected error's message (the log has the details). */
export const UNEXPECTED_ERROR_MESSAGE = 'Unexpected error. The gateway log has the details under this request id.';

/** Sends `error` as the whole response (status from its code), unless headers are already out. */
export function sendError(res: ServerResponse, error: GatewayError, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const message = error.code === 'INTERNAL_SERVER_ERROR' ? UNEXPECTED_ERROR_MESSAGE : error.message;
  const extensions = error.code === 'INTERNAL_SERVER_ERROR' ? { code: error.code, requestId } : error.extensions;
  res.statusCode = error.httpStatus;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message, extensions }] }));
}

/** Sends a JSON body with `status`. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}
