/**
 * The plugin contract. Every cross-cutting concern of the request pipeline is one plugin, and
 * the plugins run in the order of the one list in `pipeline.ts`. A hook no plugin registers
 * costs nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.js';

/** What the HTTP steps know about a request before GraphQL runs. */
export interface HttpExchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** Correlation id (set by the request-context plugin). */
  requestId: string;
  /** W3C traceparent received from the client, if valid. */
  traceparent?: string;
}

/** One pipeline step. */
export interface GatewayPlugin {
  readonly name: string;
  /**
   * Runs for each GraphQL HTTP request before its body is read. Throw a GatewayError to refuse
   * the request as a whole (the server answers with the error's HTTP status and code).
   */
  onHttpRequest?(exchange: HttpExchange): void;
  /** Adds fields to the request's context before execution. */
  onContext?(exchange: HttpExchange, context: GatewayContext): void;
  /** Apollo Server hooks for the GraphQL steps (parse, validate, execute, respond). */
  readonly apollo?: ApolloServerPlugin<GatewayContext>;
}
