import { GraphQLError } from 'graphql';
import { ERROR_CODES, type ErrorCode } from './codes.js';

/** Extra, client-safe facts attached to an error's `extensions` (never secrets or stacks). */
export interface ErrorDetails {
  /** The source (backend) the error came from, as named by `@source(name:)`. */
  source?: string;
  /** The upstream HTTP status, when the source is an HTTP service. */
  status?: number;
  /** The upstream gRPC status name (e.g. `NOT_FOUND`), when the source is a gRPC service. */
  grpcStatus?: string;
  [key: string]: unknown;
}

/** Options of a GatewayError beyond its code, message and details. */
export interface GatewayErrorOptions {
  /** The error this one reports (kept for logs, never shown to clients). */
  cause?: unknown;
  /** Response headers sent with this error when it refuses a whole request. */
  headers?: Record<string, string>;
}

/**
 * The gateway's one error type: a stable `code` (see `codes.ts`), the HTTP status that code
 * maps to, and a message that says what was wrong. `toGraphQLError()` turns it into the error
 * a client sees; nothing but `code` and `details` reaches `extensions`.
 */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;
  readonly details: ErrorDetails;
  /**
   * Response headers that belong to this error when it refuses a whole request
   * (`WWW-Authenticate` on a 401, `Retry-After` on a 429, `Allow` on a 405).
   */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, details: ErrorDetails = {}, options?: GatewayErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.httpStatus = ERROR_CODES[code].status;
    this.details = details;
    this.headers = options?.headers ?? {};
  }

  /**
   * What graphql-js copies into a GraphQLError's `extensions` when a resolver throws this
   * error: so a GatewayError thrown anywhere under execution keeps its code and details.
   */
  get extensions(): Record<string, unknown> {
    return { code: this.code, ...this.details };
  }

  /** The GraphQL error a client sees: message, `extensions.code` and the details. */
  toGraphQLError(path?: ReadonlyArray<string | number>): GraphQLError {
    return new GraphQLError(this.message, {
      path,
      extensions: { code: this.code, ...this.details },
    });
  }
}

/** True when `value` is a GatewayError (also across copies of this module). */
export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError || (value instanceof Error && value.name === 'GatewayError' && 'code' in value);
}
