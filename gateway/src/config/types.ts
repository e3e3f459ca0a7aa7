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

/** Log output. */
export interface LoggingConfig {
  /** Least severe level written. Default `info`; env `OPENCLAW_LOG_LEVEL`. */
  level?: LogLevel;
}

/** Where the gateway keeps its state (API keys, usage) and what its instances share. */
export interface StoreConfig {
  /**
   * PostgreSQL URL (`postgres://user:password@host:5432/db`). When set, API keys and usage
   * live there instead of the embedded store. Env `OPENCLAW_DATABASE_URL`.
   */
  databaseUrl?: string;
  /**
   * Redis URL (`redis://host:6379`). When set, revocations and rotations reach every instance
   * through Redis pub/sub. Env `OPENCLAW_REDIS_URL`.
   */
  redisUrl?: string;
  /**
   * Folder of the embedded store's file, relative to the config file's folder. Default
   * `.openclaw`; env `OPENCLAW_DATA_DIR`.
   */
  dataDir?: string;
  /** Put in front of every Redis key and channel the gateway uses. Default `openclaw:`. */
  redisPrefix?: string;
}

/** API keys: how they are hashed, rotated and cached. */
export interface ApiKeysConfig {
  /**
   * Server-side secret (at least 32 characters) keyed into each key's HMAC-SHA-256 digest.
   * Without it, digests are plain SHA-256. Env `OPENCLAW_API_KEY_SECRET`.
   */
  hashSecret?: string;
  /** How long a rotated key keeps working when `keys rotate` gets no `--grace`, in ms. Default 86400000 (24 h); 0 ends it at once. */
  rotationGraceMs?: number;
  /** Verified keys kept in memory per instance; 0 turns the cache off. Default 10000. */
  cacheSize?: number;
  /** How often an instance without Redis checks the store for revoked or rotated keys, in ms. Default 500. */
  changePollMs?: number;
}

/** The admin API (GraphQL) that manages API keys. */
export interface AdminConfig {
  /** Bearer token (at least 32 characters) the admin API requires; without it the API refuses every request. Env `OPENCLAW_ADMIN_TOKEN`. */
  token?: string;
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
  logging?: LoggingConfig;
  store?: StoreConfig;
  apiKeys?: ApiKeysConfig;
  admin?: AdminConfig;
}

/** A source's settings after defaults: `url` stays optional (the `@source` may declare one). */
export interface ResolvedSourceConfig {
  url?: string;
  timeoutMs: number;
  headers: Record<string, string>;
}

/** The store settings after defaults: `dataDir` is absolute. */
export interface ResolvedStoreConfig {
  databaseUrl?: string;
  redisUrl?: string;
  dataDir: string;
  redisPrefix: string;
}

/** The API key settings after defaults. */
export interface ResolvedApiKeysConfig {
  hashSecret?: string;
  rotationGraceMs: number;
  cacheSize: number;
  changePollMs: number;
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
  server: Required<ServerConfig>;
  sources: Record<string, ResolvedSourceConfig>;
  documentCache: Required<DocumentCacheConfig>;
  logging: Required<LoggingConfig>;
  store: ResolvedStoreConfig;
  apiKeys: ResolvedApiKeysConfig;
  admin: AdminConfig;
}
