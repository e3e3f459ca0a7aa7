/**
 * From what the user wrote to what the gateway runs with, in layers: the config file, then
 * the environment, then command-line options, then the defaults. Every layer is validated;
 * all problems of all layers are reported together in one `CONFIG_INVALID` error.
 */
import { resolve } from 'node:path';
import { resolveAuth, withEnvProvider } from './auth.js';
import type { z } from 'zod';
import { CONFIG_DEFAULTS } from './defaults.js';
import { readEnvOverrides, type EnvOverrides } from './env.js';
import { configError, describeIssues, describeValue, formatPath, type ConfigProblem } from './issues.js';
import { CONFIG_SCHEMA, FIELD_SCHEMAS } from './schema.js';
import type {
  ApiKeysConfig,
  LogLevel,
  OpenClawConfig,
  RateLimitsConfig,
  PersistedDocumentsConfig,
  ResolvedApiKeysConfig,
  ResolvedPersistedDocumentsConfig,
  ResolvedConfig,
  ResolvedRateLimitsConfig,
  ResolvedSourceConfig,
  ResolvedStoreConfig,
  StoreConfig,
} from './types.js';

/** Values given on the command line; they win over the file and the environment. */
export interface ConfigOverrides {
  /** `--port`. */
  port?: number;
  /** `--host`. */
  host?: string;
  /** `--log-level`. */
  logLevel?: LogLevel;
  /** `--supergraph`, relative to the working directory. */
  supergraph?: string;
}

/** Where relative paths resolve and which layers sit above the file. */
export interface ResolveOptions {
  /** Folder the file's relative paths resolve against (the config file's folder, else the cwd). */
  rootDir: string;
  /** Environment to read overrides from. Default: none (`{}`); `loadConfig` passes `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The config file the input came from, recorded in the result. */
  configFile?: string;
  /** Folder relative paths in the environment and options resolve against. Default `rootDir`. */
  cwd?: string;
  /** Command-line values, applied last. */
  overrides?: ConfigOverrides;
}

function withAbsolutePaths(config: OpenClawConfig, dir: string): OpenClawConfig {
  const out: OpenClawConfig = { ...config };
  if (config.schema !== undefined) {
    const list = typeof config.schema === 'string' ? [config.schema] : config.schema;
    out.schema = list.map((entry) => resolve(dir, entry));
  }
  if (config.supergraph !== undefined) out.supergraph = resolve(dir, config.supergraph);
  if (config.store?.dataDir !== undefined) out.store = { ...config.store, dataDir: resolve(dir, config.store.dataDir) };
  const manifest = config.persistedDocuments?.manifest;
  if (manifest !== undefined) {
    out.persistedDocuments = { ...config.persistedDocuments, manifest: (typeof manifest === 'string' ? [manifest] : manifest).map((entry) => resolve(dir, entry)) };
  }
  return out;
}

/** One command-line value checked with its key's field schema; a bad one is a problem naming the option. */
function option<T>(schema: z.ZodType<T>, flag: string, value: unknown, problems: ConfigProblem[]): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  problems.push({ scope: 'option', text: `${flag} ${result.error.issues[0]?.message}; received ${describeValue(value)}.` });
  return undefined;
}

function readOverrides(overrides: ConfigOverrides, cwd: string, problems: ConfigProblem[]): OpenClawConfig {
  const config: OpenClawConfig = {};
  const server: NonNullable<OpenClawConfig['server']> = {};
  if (overrides.port !== undefined) {
    const port = option(FIELD_SCHEMAS.port, '--port', overrides.port, problems);
    if (port !== undefined) server.port = port;
  }
  if (overrides.host !== undefined) {
    const host = option(FIELD_SCHEMAS.host, '--host', overrides.host, problems);
    if (host !== undefined) server.host = host;
  }
  if (Object.keys(server).length > 0) config.server = server;
  if (overrides.logLevel !== undefined) {
    const level = option(FIELD_SCHEMAS.logLevel, '--log-level', overrides.logLevel, problems);
    if (level !== undefined) config.logging = { level };
  }
  if (overrides.supergraph !== undefined) {
    const supergraph = option(FIELD_SCHEMAS.supergraph, '--supergraph', overrides.supergraph, problems);
    if (supergraph !== undefined) config.supergraph = resolve(cwd, supergraph);
  }
  return config;
}

/** `over` on top of `base`, one level into each section and into each source. */
function layer(base: OpenClawConfig, over: OpenClawConfig): OpenClawConfig {
  const sources = { ...base.sources };
  for (const [name, source] of Object.entries(over.sources ?? {})) sources[name] = { ...sources[name], ...source };
  return {
    ...base,
    ...over,
    server: { ...base.server, ...over.server },
    sources,
    documentCache: { ...base.documentCache, ...over.documentCache },
    planCache: { ...base.planCache, ...over.planCache },
    limits: { ...base.limits, ...over.limits },
    authorization: { ...base.authorization, ...over.authorization },
    demandControl: { ...base.demandControl, ...over.demandControl },
    logging: { ...base.logging, ...over.logging },
    store: { ...base.store, ...over.store },
    apiKeys: { ...base.apiKeys, ...over.apiKeys },
    admin: { ...base.admin, ...over.admin },
    rateLimits: { ...base.rateLimits, ...over.rateLimits },
    persistedDocuments: { ...base.persistedDocuments, ...over.persistedDocuments },
  };
}

/**
 * Where each source entry came from, for messages: the key or variable that made the entry,
 * and the one its URL came from (the environment wins over the file, as in `layer`).
 */
function originOf(name: string, file: OpenClawConfig, env: EnvOverrides): NonNullable<ResolvedSourceConfig['origin']> {
  const variables = env.sourceVariables[name];
  const inFile = file.sources?.[name];
  const key = formatPath(['sources', name]);
  const entry = inFile === undefined ? (variables?.url ?? variables?.timeoutMs ?? key) : key;
  const url = variables?.url ?? (inFile?.url === undefined ? undefined : formatPath(['sources', name, 'url']));
  return url === undefined ? { entry } : { entry, url };
}

/** What `withDefaults` needs besides the layered config. */
interface ResolveContext {
  rootDir: string;
  configFile: string | undefined;
  /** The file's layer as applied (its sources left out in supergraph mode), and the environment's. */
  file: OpenClawConfig;
  env: EnvOverrides;
  ignoredSources: string[];
  /** `NODE_ENV=production`: introspection and suggestions default to off. */
  production: boolean;
}

function withDefaults(config: OpenClawConfig, context: ResolveContext): ResolvedConfig {
  const { rootDir, configFile } = context;
  const server = config.server ?? {};
  const defaults = CONFIG_DEFAULTS.server;
  const sources: Record<string, ResolvedSourceConfig> = {};
  for (const [name, source] of Object.entries(config.sources ?? {})) {
    sources[name] = {
      ...(source.url === undefined ? {} : { url: source.url }),
      timeoutMs: source.timeoutMs ?? CONFIG_DEFAULTS.source.timeoutMs,
      headers: { ...source.headers },
      origin: originOf(name, context.file, context.env),
    };
  }
  const schema = config.schema ?? CONFIG_DEFAULTS.schema;
  return {
    ...(configFile === undefined ? {} : { configFile: resolve(configFile) }),
    rootDir,
    schema: (typeof schema === 'string' ? [schema] : schema).map((entry) => resolve(rootDir, entry)),
    ...(config.supergraph === undefined ? {} : { supergraph: config.supergraph }),
    server: {
      port: server.port ?? defaults.port,
      host: server.host ?? defaults.host,
      graphqlPath: server.graphqlPath ?? defaults.graphqlPath,
      bodyLimitBytes: server.bodyLimitBytes ?? defaults.bodyLimitBytes,
      graphiql: server.graphiql ?? defaults.graphiql,
      introspection: server.introspection ?? (context.production ? false : defaults.introspection),
      suggestions: server.suggestions ?? (context.production ? false : defaults.suggestions),
      drainTimeoutMs: server.drainTimeoutMs ?? defaults.drainTimeoutMs,
      shutdownDelayMs: server.shutdownDelayMs ?? defaults.shutdownDelayMs,
      trustedProxies: [...(server.trustedProxies ?? defaults.trustedProxies)],
      ipAllowList: [...(server.ipAllowList ?? defaults.ipAllowList)],
      ipDenyList: [...(server.ipDenyList ?? defaults.ipDenyList)],
      admission: server.admission ?? defaults.admission,
      minConcurrentRequests: server.minConcurrentRequests ?? defaults.minConcurrentRequests,
      readinessIntervalMs: server.readinessIntervalMs ?? defaults.readinessIntervalMs,
      ...(server.cors === undefined
        ? {}
        : {
          cors: {
            origins: [...server.cors.origins],
            credentials: server.cors.credentials ?? defaults.cors.credentials,
            maxAgeSeconds: server.cors.maxAgeSeconds ?? defaults.cors.maxAgeSeconds,
            allowedHeaders: [...(server.cors.allowedHeaders ?? defaults.cors.allowedHeaders)],
            exposedHeaders: [...(server.cors.exposedHeaders ?? defaults.cors.exposedHeaders)],
          },
        }),
    },
    engine: config.engine ?? CONFIG_DEFAULTS.engine,
    sources,
    ignoredSources: context.ignoredSources,
    documentCache: {
      size: config.documentCache?.size ?? CONFIG_DEFAULTS.documentCache.size,
      maxBytes: config.documentCache?.maxBytes ?? CONFIG_DEFAULTS.documentCache.maxBytes,
    },
    planCache: {
      size: config.planCache?.size ?? CONFIG_DEFAULTS.planCache.size,
      maxBytes: config.planCache?.maxBytes ?? CONFIG_DEFAULTS.planCache.maxBytes,
    },
    limits: { ...CONFIG_DEFAULTS.limits, ...config.limits },
    authorization: { mode: config.authorization?.mode ?? CONFIG_DEFAULTS.authorization.mode },
    demandControl: {
      mode: config.demandControl?.mode ?? CONFIG_DEFAULTS.demandControl.mode,
      maxCost: config.demandControl?.maxCost ?? CONFIG_DEFAULTS.demandControl.maxCost,
      defaultListSize: config.demandControl?.defaultListSize ?? CONFIG_DEFAULTS.demandControl.defaultListSize,
    },
    logging: {
      level: config.logging?.level ?? CONFIG_DEFAULTS.logging.level,
      format: config.logging?.format ?? CONFIG_DEFAULTS.logging.format,
    },
    auth: resolveAuth(config.auth),
    store: resolvedStore(config.store ?? {}, rootDir),
    apiKeys: resolvedApiKeys(config.apiKeys ?? {}),
    admin: {
      ...(config.admin?.token === undefined ? {} : { token: config.admin.token }),
      ...(config.admin?.port === undefined ? {} : { port: config.admin.port }),
      host: config.admin?.host ?? CONFIG_DEFAULTS.admin.host,
      failuresPerMinute: config.admin?.failuresPerMinute ?? CONFIG_DEFAULTS.admin.failuresPerMinute,
    },
    rateLimits: resolvedRateLimits(config.rateLimits ?? {}),
    persistedDocuments: resolvedPersistedDocuments(config.persistedDocuments ?? {}, rootDir),
  };
}

function resolvedPersistedDocuments(section: PersistedDocumentsConfig, rootDir: string): ResolvedPersistedDocumentsConfig {
  const defaults = CONFIG_DEFAULTS.persistedDocuments;
  const manifest = section.manifest ?? [];
  return {
    manifests: (typeof manifest === 'string' ? [manifest] : manifest).map((entry) => resolve(rootDir, entry)),
    mode: section.mode ?? defaults.mode,
    apq: section.apq ?? defaults.apq,
    apqCacheBytes: section.apqCacheBytes ?? defaults.apqCacheBytes,
    apqTtlSeconds: section.apqTtlSeconds ?? defaults.apqTtlSeconds,
  };
}

function resolvedStore(store: StoreConfig, rootDir: string): ResolvedStoreConfig {
  return {
    ...(store.databaseUrl === undefined ? {} : { databaseUrl: store.databaseUrl }),
    ...(store.redisUrl === undefined ? {} : { redisUrl: store.redisUrl }),
    dataDir: resolve(rootDir, store.dataDir ?? CONFIG_DEFAULTS.store.dataDir),
    redisPrefix: store.redisPrefix ?? CONFIG_DEFAULTS.store.redisPrefix,
  };
}

function resolvedRateLimits(rateLimits: RateLimitsConfig): ResolvedRateLimitsConfig {
  const defaults = CONFIG_DEFAULTS.rateLimits.redis;
  return {
    ...(rateLimits.perIp === undefined ? {} : { perIp: rateLimits.perIp }),
    ...(rateLimits.perSubject === undefined ? {} : { perSubject: rateLimits.perSubject }),
    ...(rateLimits.global === undefined ? {} : { global: rateLimits.global }),
    redis: { fail: rateLimits.redis?.fail ?? defaults.fail, timeoutMs: rateLimits.redis?.timeoutMs ?? defaults.timeoutMs },
  };
}

function resolvedApiKeys(apiKeys: ApiKeysConfig): ResolvedApiKeysConfig {
  const defaults = CONFIG_DEFAULTS.apiKeys;
  return {
    ...(apiKeys.hashSecret === undefined ? {} : { hashSecret: apiKeys.hashSecret }),
    rotationGraceMs: apiKeys.rotationGraceMs ?? defaults.rotationGraceMs,
    cacheSize: apiKeys.cacheSize ?? defaults.cacheSize,
    changePollMs: apiKeys.changePollMs ?? defaults.changePollMs,
    unknownKeyCacheSize: apiKeys.unknownKeyCacheSize ?? defaults.unknownKeyCacheSize,
    unknownKeysPerMinute: apiKeys.unknownKeysPerMinute ?? defaults.unknownKeysPerMinute,
  };
}

/**
 * Validates `input` (what the config file exported; `undefined` means `{}`), applies the
 * environment, then `overrides`, then the defaults. Relative paths in `input` resolve against
 * `rootDir`; those from the environment and overrides against `cwd`. Throws one
 * `GatewayError('CONFIG_INVALID')` listing every problem found (key path, expected shape, value
 * received). Does no I/O: whether the paths exist is checked by `loadConfig`.
 *
 * Supergraph mode: when the environment or `overrides` set `supergraph` and the file does not,
 * the file's `sources` describe its schema, not the supergraph's subgraphs, so they are left
 * out (named in `ignoredSources`); `OPENCLAW_SOURCE_<NAME>_*` variables still apply.
 */
export function resolveConfig(input: unknown, options: ResolveOptions): ResolvedConfig {
  const rootDir = resolve(options.rootDir);
  const cwd = resolve(options.cwd ?? rootDir);
  const problems: ConfigProblem[] = [];

  const parsed = CONFIG_SCHEMA.safeParse(input === undefined ? {} : input, { reportInput: true });
  let file: OpenClawConfig = {};
  if (parsed.success) file = withAbsolutePaths(parsed.data, rootDir);
  else problems.push(...describeIssues(parsed.error.issues).map((text) => ({ scope: 'config' as const, text })));

  const env = readEnvOverrides(options.env ?? {}, Object.keys(file.sources ?? {}), cwd);
  problems.push(...env.problems);
  const cli = readOverrides(options.overrides ?? {}, cwd, problems);
  const servesSupergraph = (cli.supergraph ?? env.config.supergraph) !== undefined;
  const ignoredSources = servesSupergraph && file.supergraph === undefined ? Object.keys(file.sources ?? {}) : [];
  const applied: OpenClawConfig = ignoredSources.length > 0 ? { ...file, sources: {} } : file;
  const layered = layer(layer(applied, env.config), cli);
  if (parsed.success) layered.auth = withEnvProvider(layered.auth, env.jwtProvider, problems);

  if (problems.length > 0) throw configError(problems);
  const production = options.env?.NODE_ENV === 'production';
  const context: ResolveContext = { rootDir, configFile: options.configFile, file: applied, env, ignoredSources, production };
  return withDefaults(layered, context);
}
