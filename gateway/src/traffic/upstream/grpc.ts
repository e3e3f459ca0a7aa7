/**
 * The gRPC transport: one channel per source, unary calls with a deadline, the headers every
 * call carries (as metadata), cancellation when the client goes away, and the transport
 * statuses (UNAVAILABLE, DEADLINE_EXCEEDED, a cancellation) reported like the HTTP transport's
 * failures. Any other status is a `GrpcStatusError` for the gRPC adapter to map, since what
 * NOT_FOUND or INVALID_ARGUMENT mean is the protocol's business.
 */
import type * as Grpc from '@grpc/grpc-js';
import type { Client, ServiceError } from '@grpc/grpc-js';
import { lazyModule } from '../../lazy.js';
import { GatewayError } from '../../errors/index.js';
import type { GatewayContext } from '../../context.js';
import { cancelled, timedOut, unavailable } from './failures.js';
import { NO_UPSTREAM_HEADERS, type UpstreamHeaders } from './headers.js';

/** @grpc/grpc-js, loaded when the first gRPC channel opens. */
const grpc = lazyModule<typeof Grpc>('@grpc/grpc-js');

/** The gRPC status codes (their numbers are the protocol's), by name. */
export const GrpcStatus = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/** A gRPC status code. */
export type GrpcStatusCode = number;

const STATUS_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(GrpcStatus).map(([name, code]) => [code, name]));

/** The name of a gRPC status code (`UNKNOWN` for a number the protocol does not define). */
export function grpcStatusName(code: number): string {
  return STATUS_NAMES.get(code) ?? 'UNKNOWN';
}

/** A unary method as the channel needs it: its path and message codecs (from a `.proto`). */
export interface GrpcMethod {
  readonly path: string;
  readonly requestSerialize: (value: object) => Buffer;
  readonly responseDeserialize: (bytes: Buffer) => object;
}

/** Options of one source's channel. */
export interface GrpcChannelOptions {
  source: string;
  /** `host:port` or `grpc://host:port`. */
  url: string;
  timeoutMs: number;
  /** Metadata sent with every call (`sources.<name>.headers`). */
  headers?: Record<string, string>;
  upstreamHeaders?: UpstreamHeaders;
}

/** A call answered with a gRPC status other than a transport failure. */
export class GrpcStatusError extends Error {
  readonly code: GrpcStatusCode;
  /** The status details the server sent (may describe the server's internals). */
  readonly details: string;

  constructor(error: ServiceError) {
    super(error.message, { cause: error });
    this.name = 'GrpcStatusError';
    this.code = error.code;
    this.details = error.details ?? '';
  }
}

/** The channel target of a source URL: `host:port` as it is, `grpc://host:port` without the scheme. */
export function grpcTarget(source: string, url: string): string {
  const target = url.startsWith('grpc://') ? url.slice('grpc://'.length).replace(/\/$/, '') : url;
  if (target === '' || target.includes('://')) {
    throw new GatewayError('CONFIG_INVALID', `Source "${source}": url ${JSON.stringify(url)} is not host:port or grpc://host:port (config sources.${source}.url).`, { source });
  }
  return target;
}

/** A gRPC channel for one source. Create one per source at start-up; close it on stop. */
export class GrpcChannel {
  readonly source: string;
  private readonly client: Client;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;
  private readonly upstreamHeaders: UpstreamHeaders;

  /** Throws `CONFIG_INVALID` for a URL that is not `host:port` or `grpc://host:port`. */
  constructor(options: GrpcChannelOptions) {
    this.source = options.source;
    this.client = new (grpc().Client)(grpcTarget(options.source, options.url), grpc().credentials.createInsecure());
    this.timeoutMs = options.timeoutMs;
    this.headers = options.headers ?? {};
    this.upstreamHeaders = options.upstreamHeaders ?? NO_UPSTREAM_HEADERS;
  }

  /**
   * Makes one unary call for the request of `context`. Resolves with the decoded response;
   * rejects with a `GatewayError` for UNAVAILABLE, DEADLINE_EXCEEDED and cancellation, and
   * with a `GrpcStatusError` for any other status.
   */
  unary(method: GrpcMethod, message: object, context: GatewayContext | undefined, deadlineMs = this.timeoutMs): Promise<unknown> {
    const signal = context?.signal;
    if (signal?.aborted) return Promise.reject(cancelled(this.source));
    const headers: Record<string, string> = { ...this.headers };
    if (context !== undefined) this.upstreamHeaders(context, this.source, headers);
    const metadata = new (grpc().Metadata)();
    for (const [name, value] of Object.entries(headers)) metadata.set(name.toLowerCase(), value);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => pending.cancel();
      const pending = this.client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        message,
        metadata,
        { deadline: Date.now() + deadlineMs },
        (error, response) => {
          signal?.removeEventListener('abort', onAbort);
          if (error === null || error === undefined) resolve(response);
          else reject(this.failure(error, deadlineMs, signal));
        },
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Resolves when the channel is ready within `timeoutMs`; rejects with UPSTREAM_UNAVAILABLE. */
  ready(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.waitForReady(Date.now() + timeoutMs, (error) => {
        if (error === undefined) resolve();
        else reject(unavailable(this.source, 'not ready', error));
      });
    });
  }

  /** Closes the channel. */
  close(): void {
    this.client.close();
  }

  private failure(error: ServiceError, deadlineMs: number, signal: AbortSignal | undefined): Error {
    const details = { grpcStatus: grpcStatusName(error.code) };
    if (error.code === GrpcStatus.DEADLINE_EXCEEDED) return timedOut(this.source, deadlineMs, error, details);
    if (error.code === GrpcStatus.UNAVAILABLE) return unavailable(this.source, 'gRPC status UNAVAILABLE', error, details);
    if (error.code === GrpcStatus.CANCELLED && signal?.aborted) return cancelled(this.source, error, details);
    return new GrpcStatusError(error);
  }
}
