/**
 * The per-request context every step of the pipeline and every source sees. It is created
 * once per request by the server's context plugin; sources read `loaders` for batching and
 * `signal` to stop upstream work when the client goes away.
 */
import type { RequestLoaders } from './sources/loaders.js';

/** The context object of one GraphQL request. */
export interface GatewayContext {
  /** Correlation id: the client's `x-request-id`, else generated. Sent to every source. */
  requestId: string;
  /** This request's batch loaders (see `sources/loaders.ts`). */
  loaders: RequestLoaders;
  /** Aborted when the client disconnects or the request is cancelled. */
  signal?: AbortSignal;
  /** W3C `traceparent` to propagate downstream, when the client sent one. */
  traceparent?: string;
}
