/**
 * The plugin contract. Every cross-cutting concern of the request pipeline is one plugin, and
 * the plugins run in the order of the one list in `pipeline.ts`. A plugin is an object of
 * optional hooks; a hook no plugin registers costs nothing (hooks are grouped once, at
 * start-up). Hooks may be async where a step may wait (a store lookup, a JWKS fetch).
 *
 * A hook refuses the whole request by throwing a `GatewayError`: the client gets its HTTP
 * status, its code and its `headers` (`WWW-Authenticate`, `Retry-After`). Anything else thrown
 * is an unexpected error: logged under the request id, masked for the client.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DocumentNode, GraphQLError, GraphQLFormattedError, GraphQLSchema, OperationDefinitionNode, OperationTypeNode } from 'graphql';
import type { GatewayContext } from '../context.js';

/** One HTTP request as the pipeline's steps see it, before any GraphQL work. */
export interface HttpExchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** The request URL (path and query string; the host is a placeholder). */
  readonly url: URL;
  /** The HTTP method, upper-case. */
  readonly method: string;
  /** Correlation id (set by the request-context plugin; echoed as `x-request-id`). */
  requestId: string;
  /** W3C traceparent received from the client, when valid. */
  traceparent: string | undefined;
  /** The client's address: the socket's peer, or the forwarded one behind a trusted proxy. */
  clientIp: string;
  /** Set when a plugin has answered the request itself (a CORS preflight): later steps stop. */
  answered: boolean;
}

/** What a GraphQL request asks for: from the query string (GET) or the JSON body (POST). */
export interface GraphQLParams {
  readonly query: string;
  readonly operationName: string | undefined;
  readonly variables: Record<string, unknown> | undefined;
  readonly extensions: Record<string, unknown> | undefined;
}

/**
 * The parameters as the request sent them, before `onParams`: the document may be absent when
 * the request names a persisted one instead (`documentId`, or `extensions.persistedQuery`).
 */
export interface RequestParams {
  readonly query: string | undefined;
  /** A persisted document's id: `documentId` (GraphQL over HTTP), or Relay's `doc_id` / `id`. */
  readonly documentId: string | undefined;
  readonly operationName: string | undefined;
  readonly variables: Record<string, unknown> | undefined;
  readonly extensions: Record<string, unknown> | undefined;
}

/** A GraphQL result as it will be serialised: plain objects, errors formatted. */
export interface GraphQLResult {
  data?: Record<string, unknown> | null;
  errors?: GraphQLFormattedError[];
  extensions?: Record<string, unknown>;
}

/** One operation about to run. */
export interface Operation {
  readonly context: GatewayContext;
  /** The HTTP request it came with (a plugin may set response headers on `exchange.res`). */
  readonly exchange: HttpExchange;
  readonly params: GraphQLParams;
  /** The validated document as the client sent it. */
  readonly original: DocumentNode;
  /** The document the engine runs. A plugin may replace it (authorization prunes refused fields). */
  document: DocumentNode;
  /** The operation of `original` that runs. */
  readonly definition: OperationDefinitionNode;
  readonly operationName: string | undefined;
  readonly kind: OperationTypeNode;
  /** The variable values, coerced against the graph's types. */
  readonly variables: Record<string, unknown>;
  /**
   * The operation's estimated cost (`@cost` / `@listSize`), set by demand control before the
   * rate limit, in `enforce` and `measure` mode alike; absent when `demandControl.mode` is `off`.
   * The rate-limit step charges it to a key's cost budget; without it, the operation's root
   * fields are charged.
   */
  estimatedCost?: number;
}

/** Runs after execution with the result, which it may change in place (add errors, nulls). */
export type AfterExecute = (result: GraphQLResult, operation: Operation) => void | Promise<void>;

/** A per-request hook: may refuse, may replace `operation.document`, may return an after-hook. */
export type OperationHook = (operation: Operation) => void | AfterExecute | Promise<void | AfterExecute>;

/** The response about to be written. */
export interface GatewayResponse {
  /** HTTP status; a plugin may change it. */
  status: number;
  /** The body; a plugin may change it (mask errors, add extensions). */
  result: GraphQLResult;
  /** The request's context, when the request got that far. */
  readonly context: GatewayContext | undefined;
  /** The operation that ran, when one did. */
  readonly operation: Operation | undefined;
  /**
   * The engine's own errors, in the order of the first `result.errors` (for logs: they keep
   * the original exception and its stack, which the formatted errors drop).
   */
  readonly executionErrors?: readonly GraphQLError[];
}

/** A route a plugin serves itself (health, GraphiQL assets, JWKS, an admin API). */
export interface Route {
  /** Methods answered; `HEAD` is answered like `GET` when only `GET` is listed. */
  readonly methods: readonly string[];
  /** The exact path, or a prefix when `prefix` is true. */
  readonly path: string;
  readonly prefix?: boolean;
  handle(exchange: HttpExchange): void | Promise<void>;
}

/** One pipeline step. */
export interface GatewayPlugin {
  readonly name: string;
  /** Routes the plugin serves itself. */
  readonly routes?: readonly Route[];
  /** Every HTTP request, before routing. May answer it (`exchange.answered`) or refuse it. */
  onRequest?(exchange: HttpExchange): void | Promise<void>;
  /** Every GraphQL request, once its parameters are read and its context exists. May refuse it. */
  onContext?(context: GatewayContext, exchange: HttpExchange): void | Promise<void>;
  /**
   * Every GraphQL request, after every `onContext` (the Principal is known) and before the
   * document is looked up: may return new parameters (a persisted document's id resolved to
   * its text) or refuse the request. The parameters returned are what the next `onParams`
   * and the rest of the pipeline see; a request that still has no `query` after the last one
   * is refused (400).
   */
  onParams?(params: RequestParams, context: GatewayContext, exchange: HttpExchange): void | RequestParams | Promise<void | RequestParams>;
  /**
   * Once per distinct validated document (the result is cached with the document): what depends
   * only on the document is worked out here, and the returned hook runs per request.
   */
  onDocument?(document: DocumentNode, schema: GraphQLSchema): OperationHook | undefined;
  /** Every operation, before execution. May refuse it, replace its document, return an after-hook. */
  onExecute?(operation: Operation): void | AfterExecute | Promise<void | AfterExecute>;
  /** Every response of the GraphQL path (results and refusals alike), before it is written. */
  onResponse?(response: GatewayResponse, exchange: HttpExchange): void | Promise<void>;
  /** Every upstream call: adds the headers it carries (request id, traceparent, identity). */
  onUpstreamRequest?(context: GatewayContext, source: string, headers: Record<string, string>): void;
}
