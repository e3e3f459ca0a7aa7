/**
 * The config types: `OpenClawConfig` is what a user writes in `openclaw.config.ts` (every key
 * optional); `ResolvedConfig` is what the rest of the gateway reads (every default applied,
 * every path absolute). `schema.ts` checks at compile time that its validator accepts exactly
 * `OpenClawConfig`, so the two cannot drift apart.
 */

/** Log levels, most verbose first; `silent` logs nothing. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** How log records are written: JSON lines, human text, or text on a terminal and JSON otherwise. */
export type LogFormat = 'json' | 'text' | 'auto';

/**
 * Which engine executes operations: `plan` (cached query plans over the source executors) or
 * `reference` (graphql-js over the stitched schema). See `gateway/src/execute/README.md`.
 */
export type EngineName = 'plan' | 'reference';

/** How many operations execute at once (`server.admission`): adapted to the CPU, or all. */
export type AdmissionMode = 'adaptive' | 'off';

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
  /** Answer introspection queries. Default true, false when `NODE_ENV=production`. */
  introspection?: boolean;
  /**
   * Add "Did you mean ...?" suggestions (names from the schema) to validation and variable
   * errors. Default true, false when `NODE_ENV=production`.
   */
  suggestions?: boolean;
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
  /**
   * Client addresses (IPs or CIDRs, IPv4 or IPv6) allowed to call the gateway at all; any other
   * address gets 403 `IP_NOT_ALLOWED` on every route. Default none: every address is allowed.
   */
  ipAllowList?: string[];
  /**
   * Client addresses (IPs or CIDRs) refused on every route with 403 `IP_NOT_ALLOWED`, even when
   * `ipAllowList` contains them. Default none.
   */
  ipDenyList?: string[];
  /**
   * How many GraphQL operations execute at once: `'adaptive'` (default) admits more while the
   * CPU has room and makes the rest wait their turn when it is saturated; `'off'` admits all.
   */
  admission?: AdmissionMode;
  /** With adaptive admission, how many operations may always execute at once. Default 8. */
  minConcurrentRequests?: number;
  /**
   * Least time between two readiness probes of one store or source, in milliseconds: `/readyz`
   * answers from the last results in between, however many hits arrive. Default 5000.
   */
  readinessIntervalMs?: number;
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
  /** Estimated bytes the kept documents may hold (text and syntax tree). Default 67108864 (64 MiB). */
  maxBytes?: number;
}

/** The plan engine's cache of prepared operations. */
export interface PlanCacheConfig {
  /** Number of distinct documents whose plans are kept. Default 1000. */
  size?: number;
  /** Estimated bytes the kept plans may hold. Default 67108864 (64 MiB). */
  maxBytes?: number;
}

/**
 * Operation limits, checked before validation and before any backend call; a document over
 * one is refused with GRAPHQL_VALIDATION_FAILED (HTTP 400) naming the limit (docs/security.md).
 */
export interface LimitsConfig {
  /** Check the limits. Default true. */
  enabled?: boolean;
  /** Tokens in the document (counted by the lexer, before parsing). Default 5000. */
  maxTokens?: number;
  /** Nesting of `{`, `[` and `(` in the document (before parsing). Default 100. */
  maxNesting?: number;
  /** Depth of an operation's fields, fragments expanded, introspection aside. Default 12. */
  maxDepth?: number;
  /** Aliases in an operation, fragments expanded. Default 15. */
  maxAliases?: number;
  /** Root fields of an operation, fragments expanded. Default 20. */
  maxRootFields?: number;
  /** Directives at one location (a field, a fragment spread, an operation...). Default 10. */
  maxDirectivesPerLocation?: number;
  /** Fragment definitions in the document. Default 100. */
  maxFragments?: number;
  /** Fields of an operation with every fragment spread expanded. Default 2000. */
  maxFields?: number;
  /** Field selections merged into one response field (one response key at one path). Default 30. */
  maxMergedFields?: number;
  /** Depth of a `__schema` or `__type` selection, counting that field. Default 20. */
  maxIntrospectionDepth?: number;
  /** `__schema` and `__type` fields in an operation, fragments expanded. Default 3. */
  maxIntrospectionFields?: number;
}

/** The operation limits after defaults. */
export type ResolvedLimitsConfig = Required<LimitsConfig>;

/** How the auth directives are enforced. */
export interface AuthorizationConfig {
  /**
   * `filter` (default): a field the caller may not read comes back null with an
   * UNAUTHENTICATED/FORBIDDEN error at its path, and the rest of the data comes back.
   * `reject`: the whole operation is refused (401/403) when it selects such a field.
   */
  mode?: 'filter' | 'reject';
}

/** What demand control does with an operation's estimated cost (docs/demand-control.md). */
export type DemandControlMode = 'enforce' | 'measure' | 'off';

/** Demand control: each operation's cost estimated from the graph's `@cost` / `@listSize`. */
export interface DemandControlConfig {
  /**
   * `enforce` (default): an operation whose estimated cost exceeds `maxCost` is refused before
   * any backend call (`COST_ESTIMATED_TOO_EXPENSIVE`); `measure`: costs are computed and
   * reported, nothing is refused; `off`: no cost is computed.
   */
  mode?: DemandControlMode;
  /** Largest estimated cost an operation may have. Default 50000. */
  maxCost?: number;
  /** Items assumed for a list field no `@listSize` or slicing argument sizes. Default 10. */
  defaultListSize?: number;
}

/** Log output (on stderr). */
export interface LoggingConfig {
  /** Least severe level written. Default `info`; env `OPENCLAW_LOG_LEVEL`; CLI `--log-level`. */
  level?: LogLevel;
  /**
   * `json`: one JSON object per line; `text`: one human-readable line per record; `auto`: text
   * when stderr is a terminal, JSON otherwise (as Apollo Router does). Default `auto`; env
   * `OPENCLAW_LOG_FORMAT`.
   */
  format?: LogFormat;
}

/** JWS algorithms a token provider may accept (never `none`). */
export type JwtAlgorithm =
  | 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512'
  | 'ES256' | 'ES384' | 'ES512' | 'EdDSA' | 'Ed25519'
  | 'HS256' | 'HS384' | 'HS512';

/** A public key in a config file: a JWK object (`{ kty, ... }`). */
export interface JwkConfig {
  kty: string;
  [member: string]: unknown;
}

/** How long the keys fetched from a provider's JWKS are trusted. */
export interface JwksCacheConfig {
  /** Age after which the JWKS is fetched again (in the background). Default 600. */
  maxAgeSeconds?: number;
  /** Least time between two fetches caused by a token whose `kid` is unknown. Default 30. */
  cooldownSeconds?: number;
  /**
   * How long after the last successful fetch the known keys keep verifying tokens while the
   * provider cannot be reached; past it, tokens are refused until a fetch succeeds. Default 3600.
   */
  staleLimitSeconds?: number;
}

/** The gateway's own OAuth client at a provider: for introspection and the refresh endpoint. */
export interface TokenClientConfig {
  id: string;
  secret: string;
  /** How the client authenticates to the provider. Default `client_secret_basic`. */
  authMethod?: 'client_secret_basic' | 'client_secret_post';
}

/** RFC 7662 introspection of opaque (non-JWT) tokens; needs `client`. */
export interface IntrospectionConfig {
  /** Introspection endpoint. Default: `introspection_endpoint` of the issuer's discovery document. */
  url?: string;
  /** Longest time an active answer is reused (never past the token's `exp`). Default 60. */
  cacheTtlSeconds?: number;
  /**
   * Time a refusal is reused: an inactive answer, or an active one the gateway refuses (another
   * audience, no audience, expired, ...). A repeated unknown token is not sent again within it. Default 10.
   */
  inactiveCacheTtlSeconds?: number;
  /**
   * Introspection calls one client address may cause per minute (answers from the cache cost
   * nothing); past it, its uncached opaque tokens get 429 `RATE_LIMITED`. 0 turns the limit off. Default 60.
   */
  clientCallsPerMinute?: number;
}

/** One issuer of bearer tokens the gateway accepts. */
export interface TokenProviderConfig {
  /** The tokens' `iss`; tokens are routed to their provider by it. Also where discovery starts. */
  issuer: string;
  /** Accepted `aud` values: a token must name at least one. */
  audience: string | string[];
  /** JWKS URL. Default: `jwks_uri` of `<issuer>/.well-known/openid-configuration`. */
  jwksUrl?: string;
  /** Static public keys instead of a JWKS: JWK objects or PEM (SPKI public key or X.509 certificate). */
  keys?: Array<string | JwkConfig>;
  /** Shared HMAC secret (at least 32 bytes) instead of public keys; allows HS256/384/512 only. */
  secret?: string;
  /** Accepted `alg` values. Default: every asymmetric algorithm, or HS256/384/512 with `secret`. */
  algorithms?: JwtAlgorithm[];
  /** Required JOSE `typ` header (e.g. `at+jwt`, RFC 9068). Default: not checked. */
  typ?: string;
  /** Leeway for `exp`, `nbf` and `iat`, in seconds. Default 30. */
  clockToleranceSeconds?: number;
  /** Claim holding the granted scopes. Default `scope` (space-separated), else `scp` (list). */
  scopeClaim?: string;
  /** Timeout of each call to the provider (discovery, JWKS, introspection, refresh), in milliseconds. Default 5000. */
  timeoutMs?: number;
  jwksCache?: JwksCacheConfig;
  client?: TokenClientConfig;
  introspection?: IntrospectionConfig;
}

/** What one source receives about the caller. */
export interface PropagationConfig {
  /**
   * `none`: nothing; `forward`: the caller's own bearer token; `claims`: chosen claims as
   * headers; `jwt`: a short-lived token signed by the gateway with chosen claims.
   */
  mode: 'none' | 'forward' | 'claims' | 'jwt';
  /** Mode `claims`: header name -> claim name. Default `{ "x-user-id": "sub", "x-scopes": "scope" }`. */
  headers?: Record<string, string>;
  /** Mode `jwt`: claims copied into the gateway's token besides `sub`. Default `["scope"]`. */
  claims?: string[];
  /** Mode `jwt`: the token's `aud`. Default: the source's name. */
  audience?: string;
}

/** The gateway's own signing key and tokens for backends (propagation mode `jwt`). */
export interface InternalTokenConfig {
  /** The tokens' `iss`. Default `openclaw-gateway`. */
  issuer?: string;
  /** Signing algorithm of a generated key. Default `ES256`. */
  algorithm?: 'ES256' | 'RS256' | 'PS256' | 'EdDSA';
  /** Private key: PKCS#8 PEM or a private JWK. Default: a key pair generated at start. */
  privateKey?: string | JwkConfig;
  /** Lifetime of each token, in seconds. Default 60. */
  ttlSeconds?: number;
}

/** The token endpoint for public clients (refresh-token grant with the gateway's client). */
export interface RefreshEndpointConfig {
  /** Provider (a key of `auth.providers`, with a `client`). Default: the only provider. */
  provider?: string;
  /** Path the endpoint is served at. Default `/auth/token`. */
  path?: string;
  /** Requests one client address may send per minute; past it, 429 `RATE_LIMITED`. 0 turns the limit off. Default 30. */
  requestsPerMinute?: number;
  /** Largest request body read, in bytes; past it the gateway stops reading and answers 413. Default 16384. */
  maxBodyBytes?: number;
}

/** Bearer tokens: who issues them, how they are checked, what backends receive. */
export interface AuthConfig {
  /** Token issuers accepted, under names of your choice. Env `OPENCLAW_JWT_*` sets `default`. */
  providers?: Record<string, TokenProviderConfig>;
  /** Largest bearer token accepted, in bytes. Default 8192. */
  maxTokenBytes?: number;
  /** Verified tokens remembered (until `exp`) to skip the signature check; 0 turns it off. Default 10000. */
  verifiedTokenCacheSize?: number;
  /** Identity sent to each source, keyed by source name; `*` applies to sources not named. Default: none. */
  propagation?: Record<string, PropagationConfig>;
  internalToken?: InternalTokenConfig;
  /** Serve the refresh endpoint. Default: not served. */
  refresh?: RefreshEndpointConfig;
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
  /** Unknown (well-formed, never issued) keys remembered per instance, so a repeated one is refused without a store query; 0 turns it off. Default 10000. */
  unknownKeyCacheSize?: number;
  /**
   * Store lookups that find no key, per client address and minute; past it, that address's keys
   * not in the cache are refused with 429 `RATE_LIMITED` without a store query. 0 turns the limit off. Default 60.
   */
  unknownKeysPerMinute?: number;
}

/** The admin API (GraphQL) that manages API keys. */
export interface AdminConfig {
  /** Bearer token (at least 32 characters) the admin API requires; without it the API refuses every request. Env `OPENCLAW_ADMIN_TOKEN`. */
  token?: string;
  /**
   * Serve the admin API on a listener of its own, on this port (0: any free port); it is then no
   * longer served on `server.port`. Default: not set, the admin API is on the public port. Env `OPENCLAW_ADMIN_PORT`.
   */
  port?: number;
  /** Interface of the admin listener (with `port`). Default `127.0.0.1`; env `OPENCLAW_ADMIN_HOST`. */
  host?: string;
  /** Failed admin authentications one client address may make per minute; past it, 429 `RATE_LIMITED` with `Retry-After`. Default 10. */
  failuresPerMinute?: number;
}

/** The admin settings after defaults: `port` stays absent when the admin API shares the public port. */
export interface ResolvedAdminConfig {
  token?: string;
  port?: number;
  host: string;
  failuresPerMinute: number;
}

/**
 * Rate-limit policies of the whole gateway, beside each API key's own `rateLimit` and
 * `costLimit` (docs/rate-limits.md). Each is written as the limiter reads it: `100/min`,
 * `10/s`, `5000/h`, `100/30s`. A request counts one per root field it selects (at least 1).
 */
export interface RateLimitsConfig {
  /** Per client IP (as `server.trustedProxies` resolves it), over every GraphQL request. Default: none. */
  perIp?: string;
  /** Per caller: a token's subject, or an API key's id. Anonymous requests are not counted here. Default: none. */
  perSubject?: string;
  /** One budget shared by every request (by every instance, with Redis). Default: none. */
  global?: string;
  /** What happens when the limiter's Redis does not answer. */
  redis?: RateLimitRedisConfig;
}

/** The limiter's behaviour while its Redis store is unreachable (docs/rate-limits.md, "When Redis is down"). */
export interface RateLimitRedisConfig {
  /**
   * `open` (default): keep serving, counting in this instance's memory until Redis answers
   * again (each instance then enforces every limit on its own). `closed`: refuse every request
   * that a limit applies to with 503 STORE_UNAVAILABLE until Redis answers again.
   */
  fail?: 'open' | 'closed';
  /** How long a decision waits for Redis before the `fail` policy applies, in ms. Default 200. */
  timeoutMs?: number;
}

/** `rateLimits` with its defaults; the policies stay as written (the limiter parses them at start-up). */
export interface ResolvedRateLimitsConfig {
  perIp?: string;
  perSubject?: string;
  global?: string;
  redis: Required<RateLimitRedisConfig>;
}

/**
 * Which documents a request may run (`persistedDocuments.mode`): `allow-any` any document;
 * `safelist` only the manifest's documents, by id or by their text; `require-id` only the
 * manifest's documents, by id.
 */
export type PersistedDocumentsMode = 'allow-any' | 'safelist' | 'require-id';

/** Trusted documents: a manifest of the operations clients may send by id, and APQ (docs/trusted-documents.md). */
export interface PersistedDocumentsConfig {
  /**
   * Manifest file(s), relative to the config file's folder: Apollo's persisted query list
   * (`{ format: "apollo-persisted-query-manifest", version: 1, operations }`) or Relay's
   * `{ "<id>": "<document>" }`. Default none.
   */
  manifest?: string | string[];
  /** Default `allow-any`; `safelist` and `require-id` need `manifest`. */
  mode?: PersistedDocumentsMode;
  /** Automatic persisted queries (Apollo's APQ): clients register documents by SHA-256 hash. Only with mode `allow-any`. Default false. */
  apq?: boolean;
  /** Bytes of APQ registrations each instance keeps in memory (LRU; 2 bytes per character). Default 16777216 (16 MiB). */
  apqCacheBytes?: number;
  /** How long an APQ registration lives in Redis (with `store.redisUrl`), in seconds. Default 86400. */
  apqTtlSeconds?: number;
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
   * is ignored; the subgraph URLs are the supergraph's own. Env `OPENCLAW_SUPERGRAPH`.
   */
  supergraph?: string;
  server?: ServerConfig;
  /**
   * The execution engine. Default `plan` (query plans over the composed supergraph, in either
   * mode); `reference` runs graphql-js over the stitched schema. Env `OPENCLAW_ENGINE`.
   */
  engine?: EngineName;
  /**
   * Settings per source, keyed by the source's `@source(name:)`, or, in a file that sets
   * `supergraph`, by the subgraph's name (docs/config.md, "Supergraph mode").
   */
  sources?: Record<string, SourceConfig>;
  documentCache?: DocumentCacheConfig;
  planCache?: PlanCacheConfig;
  limits?: LimitsConfig;
  authorization?: AuthorizationConfig;
  demandControl?: DemandControlConfig;
  logging?: LoggingConfig;
  /** Bearer tokens (docs/tokens.md). */
  auth?: AuthConfig;
  store?: StoreConfig;
  apiKeys?: ApiKeysConfig;
  admin?: AdminConfig;
  rateLimits?: RateLimitsConfig;
  /** Trusted documents and automatic persisted queries (docs/trusted-documents.md). */
  persistedDocuments?: PersistedDocumentsConfig;
}

/** A source's settings after defaults: `url` stays optional (the `@source` may declare one). */
export interface ResolvedSourceConfig {
  url?: string;
  timeoutMs: number;
  headers: Record<string, string>;
  /**
   * Which settings made this entry, for error messages: `entry` names the key or variable that
   * introduced it (`sources.inventory`, `OPENCLAW_SOURCE_INVENTORY_URL`), `url` the one its URL
   * came from. Absent in a config built by hand; messages then name `sources.<name>`.
   */
  origin?: { entry: string; url?: string };
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
  unknownKeyCacheSize: number;
  unknownKeysPerMinute: number;
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
  engine: EngineName;
  sources: Record<string, ResolvedSourceConfig>;
  /**
   * The config file's `sources` left out of `sources`: a supergraph is served from the command
   * line or the environment, and the file, which sets no `supergraph`, describes its schema's
   * sources, not the supergraph's subgraphs. Empty otherwise. The CLI reports them.
   */
  ignoredSources: string[];
  documentCache: Required<DocumentCacheConfig>;
  planCache: Required<PlanCacheConfig>;
  limits: ResolvedLimitsConfig;
  authorization: Required<AuthorizationConfig>;
  demandControl: Required<DemandControlConfig>;
  logging: Required<LoggingConfig>;
  auth: ResolvedAuthConfig;
  store: ResolvedStoreConfig;
  apiKeys: ResolvedApiKeysConfig;
  admin: ResolvedAdminConfig;
  rateLimits: ResolvedRateLimitsConfig;
  persistedDocuments: ResolvedPersistedDocumentsConfig;
}

/** The `persistedDocuments` section after defaults: manifest paths absolute, always a list. */
export interface ResolvedPersistedDocumentsConfig {
  manifests: string[];
  mode: PersistedDocumentsMode;
  apq: boolean;
  apqCacheBytes: number;
  apqTtlSeconds: number;
}

/** A token provider after defaults. */
export interface ResolvedTokenProvider {
  /** The key under `auth.providers`. */
  name: string;
  issuer: string;
  /** Accepted `aud` values, never empty. */
  audience: string[];
  jwksUrl?: string;
  keys?: Array<string | JwkConfig>;
  secret?: string;
  algorithms: JwtAlgorithm[];
  typ?: string;
  clockToleranceSeconds: number;
  scopeClaim?: string;
  timeoutMs: number;
  jwksCache: Required<JwksCacheConfig>;
  client?: Required<TokenClientConfig>;
  introspection?: { url?: string; cacheTtlSeconds: number; inactiveCacheTtlSeconds: number; clientCallsPerMinute: number };
}

/** A source's propagation after defaults. */
export type ResolvedPropagation =
  | { mode: 'none' }
  | { mode: 'forward' }
  | { mode: 'claims'; headers: Record<string, string> }
  | { mode: 'jwt'; claims: string[]; audience?: string };

/** The `auth` section after defaults. */
export interface ResolvedAuthConfig {
  providers: Record<string, ResolvedTokenProvider>;
  maxTokenBytes: number;
  verifiedTokenCacheSize: number;
  /** Keyed by source name; `*` for sources not named. */
  propagation: Record<string, ResolvedPropagation>;
  internalToken: { issuer: string; algorithm: 'ES256' | 'RS256' | 'PS256' | 'EdDSA'; privateKey?: string | JwkConfig; ttlSeconds: number };
  refresh?: { provider: string; path: string; requestsPerMinute: number; maxBodyBytes: number };
}
