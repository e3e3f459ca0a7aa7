/**
 * The config validator. Each field's schema carries, as its error, the phrase that states the
 * shape it expects ("must be an integer from 0 to 65535"); `issues.ts` puts the key path in
 * front and the value received after it. The environment and command-line overrides are
 * checked with these same field schemas, so a value means the same wherever it comes from.
 */
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import type { OpenClawConfig } from './types.js';

/** The log levels `logging.level` accepts, most verbose first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** JWS algorithms with a public key: the only kind a provider with a JWKS or static keys takes. */
export const ASYMMETRIC_JWT_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
/** JWS algorithms with a shared secret: only for a provider with `secret`. */
export const HMAC_JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
/** Propagation modes, from least to most the backend learns. */
export const PROPAGATION_MODES = ['none', 'claims', 'jwt', 'forward'] as const;
/** The formats `logging.format` accepts. */
export const LOG_FORMATS = ['json', 'text', 'auto'] as const;

const quoted = (values: readonly string[]): string => values.map((value) => `"${value}"`).join(', ');
/** The modes `persistedDocuments.mode` accepts. */
export const PERSISTED_DOCUMENTS_MODES = ['allow-any', 'safelist', 'require-id'] as const;
/** The engines `engine` accepts. */
export const ENGINES = ['plan', 'reference'] as const;
/** The modes `server.admission` accepts. */
export const ADMISSION_MODES = ['adaptive', 'off'] as const;
/** Values of `demandControl.mode`. */
export const DEMAND_CONTROL_MODES = ['enforce', 'measure', 'off'] as const;

// An RFC 9110 token: what an HTTP header name may be made of.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HOST_PORT = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/;
const URL_PROTOCOLS = new Set(['http:', 'https:', 'grpc:', 'grpcs:']);

/**
 * True when `value` is a source address: an http(s) or grpc(s) URL with a host, or a bare
 * `host:port` (checked first: `new URL('localhost:4001')` would read `localhost:` as a scheme).
 */
export function isSourceUrl(value: string): boolean {
  const hostPort = HOST_PORT.exec(value);
  if (hostPort) return Number(hostPort[1]) <= 65535;
  try {
    const url = new URL(value);
    return URL_PROTOCOLS.has(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

/** True for an IPv4/IPv6 address or CIDR block. */
export function isIpOrCidr(value: string): boolean {
  return ipaddr.isValid(value) || ipaddr.isValidCIDR(value);
}

/**
 * True for an IPv4 or IPv6 address or CIDR written in full: `10.0.0.0/8`, `2001:db8::/32`,
 * `::ffff:10.0.0.1`. The shorthands ipaddr.js also reads as IPv4 (`10.1`, `0x0a.0.0.1`) are
 * typos in an access list, not addresses.
 */
export function isStrictIpOrCidr(value: string): boolean {
  const [host = '', bits, ...rest] = value.split('/');
  if (rest.length > 0 || (bits !== undefined && !/^\d{1,3}$/.test(bits))) return false;
  if (!host.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(host)) return false;
  return isIpOrCidr(value);
}

/** True for `*` or a browser origin (`scheme://host[:port]`, nothing after it). */
export function isOrigin(value: string): boolean {
  if (value === '*') return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value;
  } catch {
    return false;
  }
}

function integer(min: number, max: number | undefined, expected: string) {
  const error = { error: expected };
  const atLeast = z.number(error).int(error).min(min, error);
  return max === undefined ? atLeast : atLeast.max(max, error);
}

function nonEmptyString(expected: string) {
  const error = { error: expected };
  return z.string(error).min(1, error);
}

function flag() {
  return z.boolean({ error: 'must be true or false' });
}

/** A strict object whose type error lists the keys it takes. */
function section<Shape extends z.ZodRawShape>(shape: Shape, what = 'an object') {
  return z.strictObject(shape, { error: `must be ${what} with the keys ${Object.keys(shape).join(', ')}` });
}

const path = nonEmptyString('must be a non-empty path');

function isHttpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const { protocol, hostname } = new URL(value);
  return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
}

function httpUrl(expected: string) {
  return z.string({ error: expected }).refine(isHttpUrl, { error: expected });
}

const JWT_ALGORITHMS = [...ASYMMETRIC_JWT_ALGORITHMS, ...HMAC_JWT_ALGORITHMS] as const;

/** A secret checked by `schema` whose value is never echoed into a message: it reads "(hidden)". */
function hidden<T>(schema: z.ZodType<T>) {
  return z.unknown().transform((value, ctx): T => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: 'custom', message: parsed.error.issues[0]?.message ?? 'is not valid', input: '(hidden)' });
    return z.NEVER;
  });
}

function urlWithProtocol(protocols: readonly string[], expected: string) {
  return z.string({ error: expected }).refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, { error: expected });
}

function secret(what: string) {
  const error = { error: `must be a string of at least 32 characters (${what}; e.g. the output of "openssl rand -base64 32")` };
  return z.string(error).min(32, error);
}

/**
 * Keys whose values are secrets (or may hold a password): a message about a bad value there
 * says how long it was, never what it was (issues.ts, env.ts).
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['store.databaseUrl', 'store.redisUrl', 'apiKeys.hashSecret', 'admin.token']);

/**
 * The schema of each leaf value, shared by the file, the environment and the command line.
 * Their errors are the "must be ..." phrase of the messages users see.
 */
export const FIELD_SCHEMAS = {
  schema: z.union([path, z.array(path).min(1, { error: 'must be a non-empty list of paths' })], {
    error: 'must be a path or a non-empty list of paths (strings)',
  }),
  supergraph: nonEmptyString('must be a non-empty path (the supergraph SDL file)'),
  port: integer(0, 65535, 'must be an integer from 0 to 65535'),
  host: nonEmptyString('must be a non-empty host name or IP address'),
  graphqlPath: z
    .string({ error: 'must be a path starting with "/" (e.g. "/graphql")' })
    .regex(/^\/[^\s?#]*$/, { error: 'must be a path starting with "/" (e.g. "/graphql"), without spaces, "?" or "#"' }),
  bodyLimitBytes: integer(1, undefined, 'must be a positive integer (bytes)'),
  flag: flag(),
  sourceName: nonEmptyString('must be a non-empty source name'),
  url: z
    .string({ error: 'must be a URL (e.g. "http://localhost:4001/graphql") or host:port (e.g. "localhost:50051")' })
    .refine(isSourceUrl, {
      error: 'must be an http, https, grpc or grpcs URL (e.g. "http://localhost:4001/graphql") or host:port (e.g. "localhost:50051")',
    }),
  timeoutMs: integer(1, undefined, 'must be a positive integer (milliseconds)'),
  headerName: z.string().regex(HEADER_NAME, { error: 'must be an HTTP header name (letters, digits and !#$%&\'*+-.^_`|~)' }),
  headerValue: z.string({ error: 'must be a string (the header value)' }),
  drainTimeoutMs: integer(0, undefined, 'must be an integer >= 0 (milliseconds)'),
  admission: z.enum(ADMISSION_MODES, { error: `must be one of ${quoted(ADMISSION_MODES)}` }),
  minConcurrentRequests: integer(1, undefined, 'must be a positive integer (operations executing at once)'),
  readinessIntervalMs: integer(1, 3_600_000, 'must be an integer from 1 to 3600000 (milliseconds between two probes of one target)'),
  ipOrCidr: z.string({ error: 'must be an IP address or CIDR (e.g. "10.0.0.0/8")' }).refine(isIpOrCidr, {
    error: 'must be an IPv4 or IPv6 address or CIDR (e.g. "10.0.0.0/8", "::1")',
  }),
  accessListEntry: z.string({ error: 'must be an IP address or CIDR (e.g. "10.0.0.0/8", "2001:db8::/32")' }).refine(isStrictIpOrCidr, {
    error: 'must be an IPv4 or IPv6 address or CIDR written in full (e.g. "203.0.113.7", "10.0.0.0/8", "2001:db8::/32")',
  }),
  perMinute: integer(0, 1_000_000_000, 'must be an integer from 0 to 1000000000 (per minute; 0 turns the limit off)'),
  origin: z.string({ error: 'must be an origin such as "https://app.example.com", or "*"' }).refine(isOrigin, {
    error: 'must be an origin such as "https://app.example.com" (scheme, host and optional port, no path), or "*"',
  }),
  maxAgeSeconds: integer(0, undefined, 'must be an integer >= 0 (seconds)'),
  documentCacheSize: integer(0, undefined, 'must be an integer >= 0 (0 turns the cache off)'),
  demandControlMode: z.enum(DEMAND_CONTROL_MODES, { error: `must be one of ${quoted(DEMAND_CONTROL_MODES)}` }),
  maxCost: integer(1, undefined, 'must be a positive integer (the largest estimated cost an operation may have)'),
  defaultListSize: integer(0, undefined, 'must be an integer >= 0 (items assumed for a list field)'),
  cacheBytes: integer(1024, undefined, 'must be an integer >= 1024 (bytes)'),
  limit: integer(1, 1_000_000, 'must be an integer from 1 to 1000000'),
  engine: z.enum(ENGINES, { error: `must be one of ${quoted(ENGINES)}` }),
  logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${quoted(LOG_LEVELS)}` }),
  logFormat: z.enum(LOG_FORMATS, { error: `must be one of ${quoted(LOG_FORMATS)}` }),
  issuer: nonEmptyString('must be a non-empty string (the tokens\' "iss", e.g. "https://login.example.com/")'),
  audience: z.union(
    [
      nonEmptyString('must be a non-empty string'),
      z.array(nonEmptyString('must be a non-empty string')).min(1, { error: 'must be a non-empty list of strings' }),
    ],
    { error: 'must be a non-empty string or a non-empty list of strings (the accepted "aud" values)' },
  ),
  httpUrl: httpUrl('must be an http or https URL'),
  jwtAlgorithms: z
    .array(z.enum(JWT_ALGORITHMS, { error: `must be one of ${JWT_ALGORITHMS.join(', ')} ("none" is never accepted)` }), {
      error: 'must be a list of JWS algorithms (e.g. ["RS256", "ES256"])',
    })
    .min(1, { error: 'must be a non-empty list of JWS algorithms (e.g. ["RS256", "ES256"])' }),
  seconds: integer(0, undefined, 'must be an integer >= 0 (seconds)'),
  positiveSeconds: integer(1, undefined, 'must be a positive integer (seconds)'),
  tokenBytes: integer(256, undefined, 'must be an integer >= 256 (bytes)'),
  databaseUrl: urlWithProtocol(['postgres:', 'postgresql:'], 'must be a PostgreSQL URL (e.g. "postgres://user:password@localhost:5432/openclaw")'),
  redisUrl: urlWithProtocol(['redis:', 'rediss:'], 'must be a Redis URL (e.g. "redis://localhost:6379")'),
  dataDir: nonEmptyString('must be a non-empty path (a folder)'),
  redisPrefix: z
    .string({ error: 'must be a string of at most 64 letters, digits or ":._-"' })
    .regex(/^[A-Za-z0-9:._-]{0,64}$/, { error: 'must be a string of at most 64 letters, digits or ":._-"' }),
  hashSecret: secret('the API key hashing secret'),
  rotationGraceMs: integer(0, undefined, 'must be an integer >= 0 (milliseconds; 0 ends a rotated key at once)'),
  keyCacheSize: integer(0, undefined, 'must be an integer >= 0 (0 turns the cache off)'),
  changePollMs: integer(10, 60_000, 'must be an integer from 10 to 60000 (milliseconds)'),
  adminToken: secret('the admin API token'),
  // The shape of the limiter's syntax (traffic/rate-limit/policy.ts parses it, with ranges, at start-up).
  ratePolicy: z
    .string({ error: 'must be a rate such as "100/min", "10/s", "5000/h" or "100/30s"' })
    .regex(/^\s*\d+\s*\/\s*\d*\s*(ms|s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?)\s*$/i, {
      error: 'must be a rate such as "100/min", "10/s", "5000/h" or "100/30s"',
    }),
  redisFail: z.enum(['open', 'closed'], { error: 'must be "open" or "closed"' }),
  redisTimeoutMs: integer(1, 10_000, 'must be an integer from 1 to 10000 (milliseconds)'),
} as const;

const F = FIELD_SCHEMAS;

const sourceSchema = section({
  url: F.url.optional(),
  timeoutMs: F.timeoutMs.optional(),
  headers: z
    .record(F.headerName, F.headerValue, { error: 'must be an object mapping header names to string values' })
    .optional(),
});

const jwk = z.looseObject(
  { kty: nonEmptyString('must be a string (the JWK key type, e.g. "RSA", "EC")') },
  { error: 'must be a PEM string or a JWK object with "kty"' },
);
const pemOrJwk = z.union([nonEmptyString('must be a non-empty PEM string'), jwk], {
  error: 'must be a PEM string or a JWK object with "kty"',
});

/** Rules across the keys of one provider: one key source, and algorithms that fit it (RFC 8725 §3.1). */
function checkProvider(provider: z.output<typeof providerFields>, ctx: z.RefinementCtx): void {
  const sources = (['jwksUrl', 'keys', 'secret'] as const).filter((key) => provider[key] !== undefined);
  if (sources.length > 1) {
    ctx.addIssue({ code: 'custom', path: [sources[1] ?? ''], input: sources, message: 'must not be set with another key source: set one of jwksUrl, keys or secret (none means OpenID discovery from the issuer)' });
  }
  if (sources.length === 0 && !isHttpUrl(provider.issuer)) {
    ctx.addIssue({ code: 'custom', path: ['issuer'], input: provider.issuer, message: 'must be an http or https URL when the keys come from OpenID discovery (no jwksUrl, keys or secret)' });
  }
  if (provider.secret !== undefined && Buffer.byteLength(provider.secret) < 32) {
    // The secret itself is never echoed into an error message.
    ctx.addIssue({ code: 'custom', path: ['secret'], input: `${Buffer.byteLength(provider.secret)} bytes`, message: 'must be at least 32 bytes long (RFC 7518 §3.2)' });
  }
  const hmac = new Set<string>(HMAC_JWT_ALGORITHMS);
  const algorithms = provider.algorithms ?? [];
  const misfit = provider.secret === undefined ? algorithms.filter((alg) => hmac.has(alg)) : algorithms.filter((alg) => !hmac.has(alg));
  if (misfit.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['algorithms'],
      input: provider.algorithms,
      message:
        provider.secret === undefined
          ? 'must list only asymmetric algorithms (RS*, PS*, ES*, EdDSA) when the keys are public; HMAC (HS*) needs "secret" (RFC 8725 §3.1)'
          : 'must list only HS256, HS384 or HS512 when "secret" is set',
    });
  }
  if (provider.introspection !== undefined && provider.client === undefined) {
    ctx.addIssue({ code: 'custom', path: ['introspection'], input: provider.introspection, message: 'must come with "client" (the gateway\'s id and secret at the provider)' });
  }
}

const providerFields = section({
  issuer: F.issuer,
  audience: F.audience,
  jwksUrl: F.httpUrl.optional(),
  keys: z.array(pemOrJwk, { error: 'must be a list of PEM strings or JWK objects' }).min(1, { error: 'must be a non-empty list of PEM strings or JWK objects' }).optional(),
  secret: hidden(nonEmptyString('must be a non-empty string (the shared HMAC secret)')).optional(),
  algorithms: F.jwtAlgorithms.optional(),
  typ: nonEmptyString('must be a non-empty string (e.g. "at+jwt")').optional(),
  clockToleranceSeconds: F.seconds.optional(),
  scopeClaim: nonEmptyString('must be a non-empty claim name (e.g. "roles")').optional(),
  timeoutMs: F.timeoutMs.optional(),
  jwksCache: section({
    maxAgeSeconds: F.positiveSeconds.optional(),
    cooldownSeconds: F.seconds.optional(),
    staleLimitSeconds: F.seconds.optional(),
  }).optional(),
  client: section({
    id: nonEmptyString('must be a non-empty string (the gateway\'s client id at the provider)'),
    secret: hidden(nonEmptyString('must be a non-empty string (the gateway\'s client secret at the provider)')),
    authMethod: z.enum(['client_secret_basic', 'client_secret_post'], { error: 'must be "client_secret_basic" or "client_secret_post"' }).optional(),
  }).optional(),
  introspection: section({
    url: F.httpUrl.optional(),
    cacheTtlSeconds: F.seconds.optional(),
    inactiveCacheTtlSeconds: F.seconds.optional(),
    clientCallsPerMinute: F.perMinute.optional(),
  }).optional(),
});

const propagationSchema = section({
  mode: z.enum(PROPAGATION_MODES, { error: `must be one of ${PROPAGATION_MODES.map((mode) => `"${mode}"`).join(', ')}` }),
  headers: z.record(F.headerName, nonEmptyString('must be a non-empty claim name'), { error: 'must be an object mapping header names to claim names' }).optional(),
  claims: z.array(nonEmptyString('must be a non-empty claim name'), { error: 'must be a list of claim names' }).optional(),
  audience: nonEmptyString('must be a non-empty string (the "aud" of the gateway\'s token)').optional(),
}).superRefine((policy, ctx) => {
  const onlyFor = { headers: 'claims', claims: 'jwt', audience: 'jwt' } as const;
  for (const [key, mode] of Object.entries(onlyFor)) {
    if (policy[key as keyof typeof onlyFor] !== undefined && policy.mode !== mode) {
      ctx.addIssue({ code: 'custom', path: [key], input: policy[key as keyof typeof onlyFor], message: `must be set only with mode "${mode}" (mode is "${policy.mode}")` });
    }
  }
});

/** The `auth` section: token providers and what backends receive (docs/tokens.md). */
export const AUTH_SCHEMA = section({
  providers: z.record(F.sourceName, providerFields.superRefine(checkProvider), { error: 'must be an object mapping provider names to { issuer, audience, ... }' }).optional(),
  maxTokenBytes: F.tokenBytes.optional(),
  verifiedTokenCacheSize: F.documentCacheSize.optional(),
  propagation: z.record(F.sourceName, propagationSchema, { error: 'must be an object mapping source names (or "*") to { mode, ... }' }).optional(),
  internalToken: section({
    issuer: nonEmptyString('must be a non-empty string (the "iss" of the gateway\'s tokens)').optional(),
    algorithm: z.enum(['ES256', 'RS256', 'PS256', 'EdDSA'], { error: 'must be one of "ES256", "RS256", "PS256", "EdDSA"' }).optional(),
    privateKey: hidden(pemOrJwk).optional(),
    ttlSeconds: F.positiveSeconds.optional(),
  }).optional(),
  refresh: section({
    provider: F.sourceName.optional(),
    path: F.graphqlPath.optional(),
    requestsPerMinute: F.perMinute.optional(),
    maxBodyBytes: F.bodyLimitBytes.optional(),
  }).optional(),
}).superRefine((auth, ctx) => {
  const providers = Object.entries(auth.providers ?? {});
  const introspecting = providers.filter(([, provider]) => provider.introspection !== undefined).map(([name]) => name);
  if (introspecting.length > 1) {
    ctx.addIssue({ code: 'custom', path: ['providers'], input: introspecting, message: 'must enable introspection on one provider at most (an opaque token does not say who issued it)' });
  }
  if (auth.refresh !== undefined) {
    const name = auth.refresh.provider ?? (providers.length === 1 ? providers[0]?.[0] : undefined);
    const provider = name === undefined ? undefined : auth.providers?.[name];
    if (provider?.client === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['refresh', 'provider'],
        input: auth.refresh.provider,
        message: 'must name a provider of auth.providers that has a "client" (may be left out when there is exactly one provider)',
      });
    }
  }
});

/** The whole config file's validator: strict at every level (unknown keys are errors). */
export const CONFIG_SCHEMA = section(
  {
    schema: F.schema.optional(),
    supergraph: F.supergraph.optional(),
    server: section({
      port: F.port.optional(),
      host: F.host.optional(),
      graphqlPath: F.graphqlPath.optional(),
      bodyLimitBytes: F.bodyLimitBytes.optional(),
      graphiql: F.flag.optional(),
      introspection: F.flag.optional(),
      suggestions: F.flag.optional(),
      cors: section({
        origins: z.array(F.origin, { error: 'must be a list of origins, e.g. ["https://app.example.com"] or ["*"]' }),
        credentials: F.flag.optional(),
        maxAgeSeconds: F.maxAgeSeconds.optional(),
        allowedHeaders: z.array(F.headerName, { error: 'must be a list of header names' }).optional(),
        exposedHeaders: z.array(F.headerName, { error: 'must be a list of header names' }).optional(),
      })
        .refine((cors) => !(cors.credentials === true && cors.origins.includes('*')), {
          error: 'cannot allow credentials for any origin ("*"); list the origins that may send credentials',
        })
        .optional(),
      drainTimeoutMs: F.drainTimeoutMs.optional(),
      shutdownDelayMs: F.drainTimeoutMs.optional(),
      trustedProxies: z.array(F.ipOrCidr, { error: 'must be a list of IP addresses or CIDRs' }).optional(),
      ipAllowList: z.array(F.accessListEntry, { error: 'must be a list of IP addresses or CIDRs' }).optional(),
      ipDenyList: z.array(F.accessListEntry, { error: 'must be a list of IP addresses or CIDRs' }).optional(),
      admission: F.admission.optional(),
      minConcurrentRequests: F.minConcurrentRequests.optional(),
      readinessIntervalMs: F.readinessIntervalMs.optional(),
    }).optional(),
    engine: F.engine.optional(),
    sources: z
      .record(F.sourceName, sourceSchema, { error: 'must be an object mapping source names to { url, timeoutMs, headers }' })
      .optional(),
    documentCache: section({ size: F.documentCacheSize.optional(), maxBytes: F.cacheBytes.optional() }).optional(),
    planCache: section({ size: F.documentCacheSize.optional(), maxBytes: F.cacheBytes.optional() }).optional(),
    limits: section({
      enabled: F.flag.optional(),
      maxTokens: F.limit.optional(),
      maxNesting: F.limit.optional(),
      maxDepth: F.limit.optional(),
      maxAliases: F.limit.optional(),
      maxRootFields: F.limit.optional(),
      maxDirectivesPerLocation: F.limit.optional(),
      maxFragments: F.limit.optional(),
      maxFields: F.limit.optional(),
      maxMergedFields: F.limit.optional(),
      maxIntrospectionDepth: F.limit.optional(),
      maxIntrospectionFields: F.limit.optional(),
    }).optional(),
    authorization: section({ mode: z.enum(['filter', 'reject'], { error: 'must be "filter" or "reject"' }).optional() }).optional(),
    demandControl: section({
      mode: F.demandControlMode.optional(),
      maxCost: F.maxCost.optional(),
      defaultListSize: F.defaultListSize.optional(),
    }).optional(),
    logging: section({ level: F.logLevel.optional(), format: F.logFormat.optional() }).optional(),
    auth: AUTH_SCHEMA.optional(),
    store: section({
      databaseUrl: F.databaseUrl.optional(),
      redisUrl: F.redisUrl.optional(),
      dataDir: F.dataDir.optional(),
      redisPrefix: F.redisPrefix.optional(),
    }).optional(),
    apiKeys: section({
      hashSecret: F.hashSecret.optional(),
      rotationGraceMs: F.rotationGraceMs.optional(),
      cacheSize: F.keyCacheSize.optional(),
      changePollMs: F.changePollMs.optional(),
      unknownKeyCacheSize: F.keyCacheSize.optional(),
      unknownKeysPerMinute: F.perMinute.optional(),
    }).optional(),
    admin: section({
      token: F.adminToken.optional(),
      port: F.port.optional(),
      host: F.host.optional(),
      failuresPerMinute: F.perMinute.optional(),
    }).optional(),
    rateLimits: section({
      perIp: F.ratePolicy.optional(),
      perSubject: F.ratePolicy.optional(),
      global: F.ratePolicy.optional(),
      redis: section({ fail: F.redisFail.optional(), timeoutMs: F.redisTimeoutMs.optional() }).optional(),
    }).optional(),
    persistedDocuments: section({
      manifest: z.union([path, z.array(path).min(1, { error: 'must be a non-empty list of paths' })], {
        error: 'must be a path or a non-empty list of paths (manifest files)',
      }).optional(),
      mode: z.enum(PERSISTED_DOCUMENTS_MODES, { error: `must be one of ${quoted(PERSISTED_DOCUMENTS_MODES)}` }).optional(),
      apq: F.flag.optional(),
      apqCacheBytes: integer(1024, undefined, 'must be an integer >= 1024 (bytes)').optional(),
      apqTtlSeconds: F.positiveSeconds.optional(),
    }).superRefine((section, ctx) => {
      const mode = section.mode ?? 'allow-any';
      if (mode !== 'allow-any' && section.manifest === undefined) {
        ctx.addIssue({ code: 'custom', path: ['mode'], input: mode, message: `needs "persistedDocuments.manifest" (mode "${mode}" accepts only the manifest's documents)` });
      }
      if (mode !== 'allow-any' && section.apq === true) {
        ctx.addIssue({ code: 'custom', path: ['apq'], input: true, message: `must be false with mode "${mode}": automatic persisted queries let any client register a document, which the mode refuses` });
      }
    }).optional(),
  },
  'an object (export default defineConfig({ ... }))',
);

/**
 * The keys the object at `path` takes (for "did you mean"), or `[]` when `path` does not lead
 * to an object in the schema.
 */
export function knownKeysAt(path: ReadonlyArray<PropertyKey>): string[] {
  let schema: z.ZodType = CONFIG_SCHEMA;
  for (const segment of [...path, undefined]) {
    while (schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType;
    if (segment === undefined) break;
    if (schema instanceof z.ZodObject) {
      const next: unknown = (schema.shape as Record<string, unknown>)[String(segment)];
      if (!(next instanceof z.ZodType)) return [];
      schema = next;
    } else if (schema instanceof z.ZodRecord) {
      schema = schema.valueType as z.ZodType;
    } else {
      return [];
    }
  }
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

// The validator and the hand-written type must describe the same thing; this line stops
// compiling the moment they differ.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _schemaMatchesType: Same<z.output<typeof CONFIG_SCHEMA>, OpenClawConfig> = true;
void _schemaMatchesType;
