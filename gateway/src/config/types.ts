/**
 * The config types: `OpenClawConfig` is what a user writes in `openclaw.config.ts` (every key
 * optional); `ResolvedConfig` is what the rest of the gateway reads (every default applied,
 * every path absolute). `schema.ts` checks at compile time that its validator accepts exactly
 * `OpenClawConfig`, so the two cannot drift apart.
 */

/** Log levels, most verbose first; `silent` logs nothing. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** The HTTP server: where it listens and what it serves. */
export interface ServerConfig {
  /** TCP port, 0 for any free port. Default 4000; env `PORT`. */
  port?: number;
  /** Interface to bind. Default `127.0.0.1` (loopback only); env `OPENCLAW_HOST`. */
  host?: string;
  /** Path of the GraphQL endpoint; starts with `/`. Default `/graphql`. */
  graphqlPath?: string;
  /** Largest request body accepted, in bytes; larger ones get 413. Default 1 MiB. */
  bodyLimitBytes?: number;
  /** Serve GraphiQL to browsers on GET of the GraphQL path. Default true. */
  graphiql?: boolean;
  /** Answer introspection queries. Default true. */
  introspection?: boolean;
  /** Cross-origin requests from browsers. Default: none allowed (no CORS headers are sent). */
  cors?: CorsConfig;
  /**
   * How long a stopping gateway (SIGTERM/SIGINT) lets requests in flight finish before it
   * closes their connections, in milliseconds. Default 10000.
   */
  drainTimeoutMs?: number;
  /**
   * How long a stopping gateway keeps serving while `/readyz` answers 503, before it stops
   * accepting connections, so that load balancers take it out of rotation first (milliseconds).
   * Default 0.
   */
  shutdownDelayMs?: number;
  /**
   * Proxies (IPs or CIDRs) whose `X-Forwarded-For` is believed: the client's address is the
   * nearest address in that header not in this list. Default none: the socket's peer address.
   */
  trustedProxies?: string[];
}

/** Which browser origins may call the gateway (CORS), and how. */
export interface CorsConfig {
  /** Allowed origins (`https://app.example.com`), or `["*"]` for any origin. */
  origins: string[];
  /** Allow cookies and `Authorization` on cross-origin requests. Not with `["*"]`. Default false. */
  credentials?: boolean;
  /** How long a browser may cache a preflight answer, in seconds. Default 600. */
  maxAgeSeconds?: number;
  /** Request headers a browser may send. Default: content-type, accept, authorization, x-api-key, x-request-id, traceparent, tracestate. */
  allowedHeaders?: string[];
  /** Response headers a browser script may read. Default: x-request-id, ratelimit, ratelimit-policy, retry-after. */
  exposedHeaders?: string[];
}

/** Where and how to reach one source declared with `@source(name:)` in the schema. */
export interface SourceConfig {
  /** Base URL, or `host:port` for gRPC; overrides the `@source` default. Env `OPENCLAW_SOURCE_<NAME>_URL`. */
  url?: string;
  /** Per-call timeout in milliseconds. Default 10000; env `OPENCLAW_SOURCE_<NAME>_TIMEOUT_MS`. */
  timeoutMs?: number;
  /** Headers sent with every call to this source. */
  headers?: Record<string, string>;
}

/** The bounded cache of parsed and validated documents. */
export interface DocumentCacheConfig {
  /** Number of distinct documents kept; 0 turns the cache off. Default 1000. */
  size?: number;
}

/** How the auth directives are enforced. */
export interface AuthorizationConfig {
  /**
   * `filter` (default): a field the caller may not read comes back null with an
   * UNAUTHENTICATED/FORBIDDEN error at its path, and the rest of the data comes back.
   * `reject`: the whole operation is refused (401/403) when it selects such a field.
   */
  mode?: 'filter' | 'reject';
}

/** Log output. */
export interface LoggingConfig {
  /** Least severe level written. Default `info`; env `OPENCLAW_LOG_LEVEL`. */
  level?: LogLevel;
}

/** What `openclaw.config.ts` exports. Every key is optional; unknown keys are errors. */
export interface OpenClawConfig {
  /**
   * Schema directory or files (SDL annotated with `@source`), relative to the config file's
   * folder. Default `schema`; env `OPENCLAW_SCHEMA` (comma-separated).
   */
  schema?: string | string[];
  /**
   * Path of an Apollo Federation supergraph SDL. When set it is served as it is and `schema`
   * is ignored. Env `OPENCLAW_SUPERGRAPH`.
   */
  supergraph?: string;
  server?: ServerConfig;
  /** Settings per source, keyed by the source's `@source(name:)`. */
  sources?: Record<string, SourceConfig>;
  documentCache?: DocumentCacheConfig;
  authorization?: AuthorizationConfig;
  logging?: LoggingConfig;
}

/** A source's settings after defaults: `url` stays optional (the `@source` may declare one). */
export interface ResolvedSourceConfig {
  url?: string;
  timeoutMs: number;
  headers: Record<string, string>;
}

/** The server settings after defaults; `cors` stays absent when it is not configured. */
export type ResolvedServerConfig = Required<Omit<ServerConfig, 'cors'>> & { cors?: Required<CorsConfig> };

/** Where and how to reach a source: deployment settings from config and `OPENCLAW_*` env. */
export interface SourceSettings {
  /** Base URL: `http(s)://host:port[/path]` for HTTP sources, `host:port` or `grpc://host:port` for gRPC. */
  url: string;
  /** Per-call timeout (gRPC deadline) in milliseconds. */
  timeoutMs: number;
  /** Headers sent with every call to this source. */
  headers: Record<string, string>;
}

/**
 * The validated config the gateway runs with: file, then environment, then command-line
 * options, then defaults. Paths are absolute; `schema` is always a list.
 */
export interface ResolvedConfig {
  /** Absolute path of the config file, when one was loaded. */
  configFile?: string;
  /** Folder relative config paths were resolved against: the config file's, else the cwd. */
  rootDir: string;
  /** Absolute paths of the schema directories or files (ignored when `supergraph` is set). */
  schema: string[];
  /** Absolute path of the supergraph SDL, when one is served. */
  supergraph?: string;
  server: ResolvedServerConfig;
  sources: Record<string, ResolvedSourceConfig>;
  documentCache: Required<DocumentCacheConfig>;
  authorization: Required<AuthorizationConfig>;
  logging: Required<LoggingConfig>;
}
