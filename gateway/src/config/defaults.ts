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
    admission: 'adaptive' as AdmissionMode,
    minConcurrentRequests: 8,
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
      introspection: { cacheTtlSeconds: 60, inactiveCacheTtlSeconds: 10 },
    },
    /** Mode `claims` without `headers`. */
    claimHeaders: { 'x-user-id': 'sub', 'x-scopes': 'scope' },
    /** Mode `jwt` without `claims`. */
    internalTokenClaims: ['scope'],
    internalToken: { issuer: 'openclaw-gateway', algorithm: 'ES256', ttlSeconds: 60 },
    refreshPath: '/auth/token',
  },
  store: {
    /** Beside the config file (its folder, else the working directory). */
    dataDir: '.openclaw',
    redisPrefix: 'openclaw:',
  },
  apiKeys: {
    /** 24 hours: time for every client of a rotated key to deploy the new one. */
    rotationGraceMs: 86_400_000,
    cacheSize: 10_000,
    changePollMs: 500,
  },
} as const;

/** The config file looked for in the working directory when `--config` is not given. */
export const DEFAULT_CONFIG_FILE = 'openclaw.config.ts';
