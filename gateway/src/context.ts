/**
 * The per-request context every step of the pipeline and every source sees. It is created
 * once per GraphQL request by the pipeline (server/pipeline.ts); the identity step sets
 * `principal`; sources read `signal` to stop upstream work when the client goes away (and get
 * their batch loaders from the engine: sources/types.ts `SourceContext`).
 */
import type { Principal } from './auth/principal.js';

/** The context object of one GraphQL request. */
export interface GatewayContext {
  /** Correlation id: the client's `x-request-id`, else generated. Sent to every source. */
  readonly requestId: string;
  /** W3C `traceparent` to propagate downstream, when the client sent a valid one. */
  readonly traceparent: string | undefined;
  /** The client's address (the socket's peer address). */
  readonly clientIp: string;
  /** Aborted when the client disconnects or the gateway gives up on the request. */
  readonly signal: AbortSignal;
  /** Who is calling; `ANONYMOUS` until the identity step says otherwise. */
  principal: Principal;
  /** The bearer token as presented, for a source configured to receive it (never logged). */
  bearerToken?: string;
}
