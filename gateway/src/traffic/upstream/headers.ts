/**
 * What every upstream call carries besides its own headers: the request id, the traceparent,
 * and (later) the caller's identity. The pipeline builds one `UpstreamHeaders` function from
 * its plugins' `onUpstreamRequest` hooks at start-up; both transports (HTTP and gRPC) call it
 * for every call, so no protocol adapter sets these headers itself.
 */
import type { GatewayContext } from '../../context.js';

/** Adds the headers every call to `source` carries for the request of `context`. */
export type UpstreamHeaders = (context: GatewayContext, source: string, headers: Record<string, string>) => void;

/** An `UpstreamHeaders` that adds nothing (for `openclaw check`, and tests without a pipeline). */
export const NO_UPSTREAM_HEADERS: UpstreamHeaders = () => undefined;
