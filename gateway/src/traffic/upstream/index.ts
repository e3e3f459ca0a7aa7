/**
 * Upstream calls, once per transport: HTTP (`http.ts`: GraphQL, Federation and REST sources)
 * and gRPC (`grpc.ts`). Both add the same per-request headers (`headers.ts`), end a call on its
 * deadline or when the client goes away (`deadline.ts`), and report transport failures the
 * same way (`failures.ts`).
 */
export { UpstreamClient, type UpstreamOptions, type UpstreamRequest, type UpstreamResponse } from './http.js';
export { GrpcChannel, GrpcStatus, GrpcStatusError, grpcStatusName, type GrpcChannelOptions, type GrpcMethod, type GrpcStatusCode } from './grpc.js';
export { NO_UPSTREAM_HEADERS, type UpstreamHeaders } from './headers.js';
export { callDeadline, type CallDeadline } from './deadline.js';
export { cancelled, timedOut, unavailable } from './failures.js';
