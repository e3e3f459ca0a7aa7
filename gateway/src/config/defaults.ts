/**
 * Every config default, in one place. `resolve.ts` applies them; `docs/config.md` lists them.
 */
import type { AdmissionMode } from './types.js';

/** The value each optional config key takes when neither the file nor the environment sets it. */
export const CONFIG_DEFAULTS = {
  schema: 'schema',
  server: {
    port: 4000,
    host: '127.0.0.1',
    graphqlPath: '/graphql',
    bodyLimitBytes: 1_048_576,
    graphiql: true,
    /** Off when `NODE_ENV=production` (resolve.ts). */
    introspection: true,
    /** "Did you mean" in errors; off when `NODE_ENV=production` (resolve.ts). */
    suggestions: true,
    drainTimeoutMs: 10_000,
    shutdownDelayMs: 0,
    trustedProxies: [] as string[],
    ipAllowList: [] as string[],
    ipDenyList: [] as string[],
    admission: 'adaptive' as AdmissionMode,
    minConcurrentRequests: 8,
    /** Unauthenticated `/readyz` hits never cost more than one probe per target per 5 s. */
    readinessIntervalMs: 5000,
    cors: {
      credentials: false,
      maxAgeSeconds: 600,
      allowedHeaders: ['content-type', 'accept', 'authorization', 'x-api-key', 'x-request-id', 'traceparent', 'tracestate'],
      exposedHeaders: ['x-request-id', 'ratelimit', 'ratelimit-policy', 'retry-after'],
    },
  },
  /** Query plans over the sources' executors; `'reference'` runs graphql-js over the stitched schema. */
  engine: 'plan',
  /** Applies to every entry of `sources` (and to sources the config does not name). */
  source: {
    timeoutMs: 10_000,
  },
  documentCache: {
    size: 1000,
    maxBytes: 67_108_864,
  },
  planCache: {
    size: 1000,
    maxBytes: 67_108_864,
  },
  /** In graphql-armor's and Apollo Router's range; GraphiQL's introspection query passes. */
  limits: {
    enabled: true,
    maxTokens: 5000,
    maxNesting: 100,
    maxDepth: 12,
    maxAliases: 15,
    maxRootFields: 20,
    maxDirectivesPerLocation: 10,
    maxFragments: 100,
    maxFields: 2000,
    maxMergedFields: 30,
    maxIntrospectionDepth: 20,
    maxIntrospectionFields: 3,
  },
  authorization: {
    mode: 'filter',
  },
  demandControl: {
    mode: 'enforce',
    maxCost: 50_000,
    defaultListSize: 10,
  },
  logging: {
    level: 'info',
    format: 'auto',
  },
  auth: {
    maxTokenBytes: 8192,
    verifiedTokenCacheSize: 10_000,
    /** Applies to every entry of `auth.providers`. */
    provider: {
      /** Every asymmetric JWS algorithm: a provider with public keys never accepts HMAC (RFC 8725 §3.1). */
      algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'],
      /** With `secret`. */
      hmacAlgorithms: ['HS256', 'HS384', 'HS512'],
      clockToleranceSeconds: 30,
      timeoutMs: 5000,
      jwksCache: { maxAgeSeconds: 600, cooldownSeconds: 30, staleLimitSeconds: 3600 },
      clientAuthMethod: 'client_secret_basic',
      introspection: { cacheTtlSeconds: 60, inactiveCacheTtlSeconds: 10, clientCallsPerMinute: 60 },
    },
    /** Mode `claims` without `headers`. */
    claimHeaders: { 'x-user-id': 'sub', 'x-scopes': 'scope' },
    /** Mode `jwt` without `claims`. */
    internalTokenClaims: ['scope'],
    internalToken: { issuer: 'openclaw-gateway', algorithm: 'ES256', ttlSeconds: 60 },
    refreshPath: '/auth/token',
    /** Per client address. */
    refreshRequestsPerMinute: 30,
    refreshMaxBodyBytes: 16_384,
  },
  store: {
    /** Beside the config file (its folder, else the working directory). */
    dataDir: '.openclaw',
    redisPrefix: 'openclaw:',
  },
  rateLimits: {
    redis: {
      /** Kong, Tyk and Envoy fail open too: a Redis outage must not become an API outage. */
      fail: 'open',
      /**
       * A Redis on the same network answers in about 1 ms: 200 ms is an outage, not a slow
       * reply, with room for a starved CPU (a false outage costs exactness for a second).
       */
      timeoutMs: 200,
    },
  },
  apiKeys: {
    /** 24 hours: time for every client of a rotated key to deploy the new one. */
    rotationGraceMs: 86_400_000,
    cacheSize: 10_000,
    changePollMs: 500,
    unknownKeyCacheSize: 10_000,
    /** Per client address. */
    unknownKeysPerMinute: 60,
  },
  admin: {
    /** Used only with `admin.port`. */
    host: '127.0.0.1',
    /** Per client address. */
    failuresPerMinute: 10,
  },
  persistedDocuments: {
    mode: 'allow-any',
    /** Off: registering documents is a client's choice only where the operator opts in. */
    apq: false,
    apqCacheBytes: 16_777_216,
    apqTtlSeconds: 86_400,
  },
} as const;

/** The config file looked for in the working directory when `--config` is not given. */
export const DEFAULT_CONFIG_FILE = 'openclaw.config.ts';
