/**
 * The upstream HTTP client: one keep-alive connection pool per source, a timeout on every
 * call, and transport failures turned into `UPSTREAM_UNAVAILABLE` / `UPSTREAM_TIMEOUT` errors
 * that name the source. Every HTTP source (GraphQL, Federation, REST) calls through it; later
 * resilience (balancing, breaker, retry) is added here, in one place.
 */
import { Pool } from 'undici';
import { GatewayError } from '../errors/index.js';

/** One call to a source. `path` is relative to the source URL and may carry a query string. */
export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Overrides the source's timeout for this call. */
  timeoutMs?: number;
  /** The client's request signal: an aborted request stops its upstream calls. */
  signal?: AbortSignal;
}

/** A source's answer, body read as text. */
export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Options of one source's pool. */
export interface UpstreamOptions {
  /** Source name, for errors. */
  source: string;
  /** Base URL, e.g. `http://127.0.0.1:4001/graphql`; its path is prefixed to every call's path. */
  url: string;
  timeoutMs: number;
  /** Headers sent with every call. */
  headers?: Record<string, string>;
  /** Keep-alive connections per pool (default 64). */
  connections?: number;
}

const TRANSPORT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT']);

/** A keep-alive client for one source. Create one per source at start-up; close it on stop. */
export class UpstreamClient {
  readonly source: string;
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;

  /** Throws `CONFIG_INVALID` when `options.url` is not an absolute http(s) URL. */
  constructor(options: UpstreamOptions) {
    const url = URL.canParse(options.url) ? new URL(options.url) : undefined;
    if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new GatewayError('CONFIG_INVALID', `Source "${options.source}": url ${JSON.stringify(options.url)} is not an absolute http(s) URL (config sources.${options.source}.url).`, { source: options.source });
    }
    this.source = options.source;
    this.basePath = url.pathname.replace(/\/$/, '');
    this.timeoutMs = options.timeoutMs;
    this.headers = options.headers ?? {};
    this.pool = new Pool(url.origin, {
      connections: options.connections ?? 64,
      keepAliveTimeout: 30_000,
      pipelining: 1,
    });
  }

  /** Sends one request. Resolves with any HTTP status; rejects only for transport failures and timeouts. */
  async request(request: UpstreamRequest): Promise<UpstreamResponse> {
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const path = request.path === '' || request.path.startsWith('/') || request.path.startsWith('?')
      ? `${this.basePath}${request.path}`
      : `${this.basePath}/${request.path}`;
    try {
      const response = await this.pool.request({
        method: request.method,
        path: path === '' ? '/' : path,
        headers: { ...this.headers, ...request.headers },
        body: request.body,
        signal,
      });
      const body = await response.body.text();
      return { status: response.statusCode, headers: response.headers, body };
    } catch (error) {
      throw this.transportError(error, timeout.aborted, timeoutMs);
    }
  }

  /** Closes the pool's connections. */
  async close(): Promise<void> {
    await this.pool.close();
  }

  private transportError(error: unknown, timedOut: boolean, timeoutMs: number): GatewayError {
    if (timedOut) {
      return new GatewayError('UPSTREAM_TIMEOUT', `Source "${this.source}" did not answer within ${timeoutMs} ms.`, { source: this.source }, { cause: error });
    }
    const code = (error as { code?: string } | null)?.code ?? '';
    if (TRANSPORT_CODES.has(code)) {
      return new GatewayError('UPSTREAM_UNAVAILABLE', `Source "${this.source}" is unreachable (${code}).`, { source: this.source }, { cause: error });
    }
    if ((error as Error | null)?.name === 'AbortError') {
      return new GatewayError('UPSTREAM_UNAVAILABLE', `The call to source "${this.source}" was cancelled.`, { source: this.source }, { cause: error });
    }
    return new GatewayError('UPSTREAM_UNAVAILABLE', `Source "${this.source}" failed: ${(error as Error)?.message ?? String(error)}.`, { source: this.source }, { cause: error });
  }
}
