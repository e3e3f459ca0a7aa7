/**
 * Pipeline step "context": the correlation id (the client's `x-request-id` when it is a safe
 * token, else a new UUID, echoed in the response) and the W3C `traceparent` to pass downstream.
 */
import { randomUUID } from 'node:crypto';
import type { GatewayPlugin } from '../plugin.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** The request-context plugin. */
export function requestContextPlugin(): GatewayPlugin {
  return {
    name: 'request-context',
    onHttpRequest(exchange) {
      const given = exchange.req.headers['x-request-id'];
      exchange.requestId = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
      exchange.res.setHeader('x-request-id', exchange.requestId);
      const traceparent = exchange.req.headers.traceparent;
      if (typeof traceparent === 'string' && TRACEPARENT.test(traceparent)) exchange.traceparent = traceparent;
    },
    onContext(exchange, context) {
      if (exchange.traceparent !== undefined) context.traceparent = exchange.traceparent;
    },
  };
}
