/**
 * gRPC status -> gateway error code, in one table (documented in docs/directives.md). A
 * status the table does not name is `UPSTREAM_ERROR`.
 */
import { GrpcStatus as Status, type GrpcStatusCode } from '../../traffic/upstream/index.js';
import type { ErrorCode } from '../../errors/index.js';

/** The error code of each gRPC status that has a more precise meaning than `UPSTREAM_ERROR`. */
export const GRPC_STATUS_CODES: Readonly<Partial<Record<GrpcStatusCode, ErrorCode>>> = {
  [Status.INVALID_ARGUMENT]: 'BAD_USER_INPUT',
  [Status.FAILED_PRECONDITION]: 'BAD_USER_INPUT',
  [Status.OUT_OF_RANGE]: 'BAD_USER_INPUT',
  [Status.NOT_FOUND]: 'NOT_FOUND',
  [Status.UNAUTHENTICATED]: 'UNAUTHENTICATED',
  [Status.PERMISSION_DENIED]: 'FORBIDDEN',
  [Status.RESOURCE_EXHAUSTED]: 'RATE_LIMITED',
  [Status.UNAVAILABLE]: 'UPSTREAM_UNAVAILABLE',
  [Status.DEADLINE_EXCEEDED]: 'UPSTREAM_TIMEOUT',
};

/**
 * Statuses whose details are written for the caller ("upc must not be empty"), so a short
 * excerpt may be quoted; the details of the others (INTERNAL, UNAVAILABLE, ...) can name
 * hosts, files or stack frames and are never passed on.
 */
export const CALLER_STATUSES: ReadonlySet<GrpcStatusCode> = new Set([
  Status.INVALID_ARGUMENT,
  Status.FAILED_PRECONDITION,
  Status.OUT_OF_RANGE,
  Status.NOT_FOUND,
  Status.ALREADY_EXISTS,
  Status.PERMISSION_DENIED,
  Status.UNAUTHENTICATED,
]);

/** The gateway error code of a gRPC status code. */
export function grpcErrorCode(code: GrpcStatusCode): ErrorCode {
  return GRPC_STATUS_CODES[code] ?? 'UPSTREAM_ERROR';
}
