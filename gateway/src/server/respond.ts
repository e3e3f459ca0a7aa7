/** Writing a whole-request refusal: the error's HTTP status and a GraphQL-shaped JSON body. */
import type { ServerResponse } from 'node:http';
import type { GatewayError } from '../errors/index.js';

/** Sends `error` as the whole response (status from its code), unless headers are already out. */
export function sendError(res: ServerResponse, error: GatewayError, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const message = error.code === 'INTERNAL_SERVER_ERROR' ? 'Unexpected error. The gateway log has the details under this request id.' : error.message;
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
