/**
 * Transport failures, the same for every transport: a source that cannot be reached is
 * `UPSTREAM_UNAVAILABLE`, one that does not answer in time is `UPSTREAM_TIMEOUT`, and a call
 * cut short because the client went away is a cancellation. Messages name the source only:
 * hosts, paths and the transport's own text go to the log, never to a client.
 */
import { GatewayError, type ErrorDetails } from '../../errors/index.js';

/** The source could not be reached; `reason` is a short code such as `ECONNREFUSED`. */
export function unavailable(source: string, reason: string, cause?: unknown, details: ErrorDetails = {}): GatewayError {
  return new GatewayError('UPSTREAM_UNAVAILABLE', `Source "${source}" is unreachable (${reason}).`, { source, ...details }, { cause });
}

/** The source did not answer within `timeoutMs`. */
export function timedOut(source: string, timeoutMs: number, cause?: unknown, details: ErrorDetails = {}): GatewayError {
  return new GatewayError('UPSTREAM_TIMEOUT', `Source "${source}" did not answer within ${timeoutMs} ms.`, { source, ...details }, { cause });
}

/** The call was cancelled because the client's request ended first. */
export function cancelled(source: string, cause?: unknown, details: ErrorDetails = {}): GatewayError {
  return new GatewayError('UPSTREAM_UNAVAILABLE', `The call to source "${source}" was cancelled.`, { source, ...details }, { cause });
}
