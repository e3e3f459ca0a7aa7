/**
 * The contract every demo backend honours, whatever its protocol: tests and the gateway's own
 * end-to-end suites start a backend, read its URL, count the calls it received and switch it
 * into failure modes, without knowing how it is implemented.
 */

/** One request a backend received, named so that tests can count calls of one kind. */
export interface CallRecord {
  /**
   * `METHOD /route/{param}` for REST (the OpenAPI path template, so calls of one endpoint
   * compare equal), `package.Service/Method` for gRPC, and `operationType rootField ...` for
   * GraphQL (e.g. `query usersByIds`, `query _entities`).
   */
  operation: string;
  /** What varied between calls of that operation: path parameters, query, variables, message. */
  detail?: unknown;
  /**
   * The request headers (gRPC: metadata) the backend was started to record (`recordHeaders`),
   * by lower-case name; a header the request did not carry is left out, so `{}` means it
   * carried none of them. Absent when the backend records no headers.
   */
  headers?: Record<string, string>;
}

/** What every backend's start function accepts besides its port. */
export interface RecordingOptions {
  /**
   * Request headers (gRPC: metadata keys) to keep in each call's `headers`, e.g.
   * `['authorization', 'x-user-id']`; case-insensitive. Default: none (no `headers` recorded).
   */
  recordHeaders?: readonly string[];
}

/**
 * A failure a backend can be told to simulate. `error`: every request fails (HTTP 500 with a
 * JSON body, gRPC `INTERNAL`, or a GraphQL `errors` answer); `slow`: every request waits
 * {@link SLOW_MS} before it is answered; `null`: normal service.
 */
export type FailureMode = 'error' | 'slow' | null;

/** How long a request waits in `slow` mode: longer than any sane gateway timeout in tests. */
export const SLOW_MS = 2000;

/** A backend listening on loopback. */
export interface RunningSubgraph {
  readonly name: string;
  /**
   * What a gateway should use as the source URL: `http://127.0.0.1:PORT/graphql` for GraphQL,
   * `http://127.0.0.1:PORT` for REST, `127.0.0.1:PORT` for gRPC.
   */
  readonly url: string;
  /** Every request received, in arrival order. */
  readonly calls: CallRecord[];
  /** Forgets the calls received so far (the array is emptied in place). */
  resetCalls(): void;
  /** Switches the failure mode; `null` restores normal service. */
  failWith(mode: FailureMode): void;
  /** Stops listening and destroys open sockets, idle keep-alive ones included, so it is prompt. */
  close(): Promise<void>;
  /**
   * TCP connections accepted so far (HTTP backends; a gRPC channel is one HTTP/2 connection
   * by design, so the gRPC backend does not count). Tests use it to see keep-alive at work.
   */
  connectionCount?(): number;
}
