/**
 * The HTTP transport: one keep-alive connection pool per source (undici), a deadline on every
 * call, the headers every call carries (`UpstreamHeaders`), and transport failures turned into
 * `UPSTREAM_UNAVAILABLE` / `UPSTREAM_TIMEOUT` errors that name the source. Every HTTP source
 * (GraphQL, Federation, REST) calls through it; balancing, breakers and retries go here.
 */
import { Pool } from 'undici';
import { GatewayError } from '../../errors/index.js';
import type { GatewayContext } from '../../context.js';
import { callDeadline } from './deadline.js';
import { cancelled, timedOut, unavailable } from './failures.js';
import { NO_UPSTREAM_HEADERS, type UpstreamHeaders } from './headers.js';

/** One call to a source. `path` is relative to the source URL and may carry a query string. */
export interface UpstreamRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Overrides the source's timeout for this call. */
  timeoutMs?: number;
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
  /** Headers sent with every call (`sources.<name>.headers`). */
  headers?: Record<string, string>;
  /** Adds the per-request headers (request id, traceparent, identity) to every call. */
  upstreamHeaders?: UpstreamHeaders;
  /** Keep-alive connections per pool (default 64). */
  connections?: number;
}

const TRANSPORT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_CONNECT_TIMEOUT']);

/** A keep-alive client for one source. Create one per source at start-up; close it on stop. */
export class UpstreamClient {
  readonly source: string;
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly timeoutMs: number;
  private readonly headers: Record<string, string>;
  private readonly upstreamHeaders: UpstreamHeaders;

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
    this.upstreamHeaders = options.upstreamHeaders ?? NO_UPSTREAM_HEADERS;
    this.pool = new Pool(url.origin, {
      connections: options.connections ?? 64,
      keepAliveTimeout: 30_000,
      pipelining: 1,
    });
  }

  /**
   * Sends one call on behalf of the request of `context` (its headers added, cancelled when it
   * ends). Resolves with any HTTP status; rejects only with a `GatewayError` for transport
   * failures, timeouts and cancellation.
   */
  async request(request: UpstreamRequest, context?: GatewayContext): Promise<UpstreamResponse> {
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const deadline = callDeadline(timeoutMs, context?.signal);
    const headers = { ...this.headers, ...request.headers };
    if (context !== undefined) this.upstreamHeaders(context, this.source, headers);
    const path = request.path === '' || request.path.startsWith('/') || request.path.startsWith('?')
      ? `${this.basePath}${request.path}`
      : `${this.basePath}/${request.path}`;
    try {
      const response = await this.pool.request({
        method: request.method,
        path: path === '' ? '/' : path,
        headers,
        body: request.body,
        signal: deadline.signal,
      });
      const body = await response.body.text();
      return { status: response.statusCode, headers: response.headers, body };
    } catch (error) {
      throw this.transportError(error, deadline.timedOut(), timeoutMs);
    } finally {
      deadline.done();
    }
  }

  /** Closes the pool's connections. */
  async close(): Promise<void> {
    await this.pool.close();
  }

  private transportError(error: unknown, expired: boolean, timeoutMs: number): GatewayError {
    if (expired) return timedOut(this.source, timeoutMs, error);
    const code = (error as { code?: string } | null)?.code ?? '';
    if (TRANSPORT_CODES.has(code)) return unavailable(this.source, code, error);
    if ((error as Error | null)?.name === 'AbortError' || code === 'UND_ERR_ABORTED') return cancelled(this.source, error);
    return unavailable(this.source, 'transport error', error);
  }
}
