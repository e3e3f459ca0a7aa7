/**
 * Environment overrides: deployment settings and secrets that do not belong in the config
 * file. Each variable is checked with the same field schema as the key it sets, and a bad
 * value is reported by the variable's name.
 */
import { resolve } from 'node:path';
import type { z } from 'zod';
import { FIELD_SCHEMAS } from './schema.js';
import { describeSecret, type ConfigProblem } from './issues.js';
import { sourceEnvName } from './sources.js';
import type { JwtAlgorithm, OpenClawConfig, SourceConfig, TokenProviderConfig } from './types.js';

const SOURCE_PREFIX = 'OPENCLAW_SOURCE_';

/** The config overrides read from the environment, and the problems found on the way. */
export interface EnvOverrides {
  /** Only the keys some variable sets; paths are absolute. */
  config: OpenClawConfig;
  /** Per entry of `config.sources`: the variables that set its `url` and its `timeoutMs`. */
  sourceVariables: Record<string, { url?: string; timeoutMs?: string }>;
  problems: ConfigProblem[];
  /**
   * Fields of the token provider `auth.providers.default` set by `OPENCLAW_JWT_*` (laid over
   * the file's provider of that name by `resolveConfig`); absent when no such variable is set.
   */
  jwtProvider?: Partial<TokenProviderConfig>;
}

/** Reads numbers as numbers, so that "4000" passes and "abc" fails the number schema. */
function numeric(raw: string): unknown {
  return /^[+-]?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
}

function check<T>(schema: z.ZodType<T>, variable: string, raw: string, value: unknown, problems: ConfigProblem[]): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const message = result.error.issues[0]?.message ?? 'is not valid';
  problems.push({ scope: 'environment', text: `${variable} ${message}; received ${JSON.stringify(raw)}.` });
  return undefined;
}

/** `check` for a secret: a bad value is described by its length (or a URL without its password), never shown. */
function checkSecret<T>(schema: z.ZodType<T>, variable: string, raw: string, kind: 'secret' | 'url', problems: ConfigProblem[]): T | undefined {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const message = result.error.issues[0]?.message ?? 'is not valid';
  problems.push({ scope: 'environment', text: `${variable} ${message}; received ${describeSecret(raw, kind)}.` });
  return undefined;
}

/** `OPENCLAW_DATABASE_URL`, `OPENCLAW_REDIS_URL`, `OPENCLAW_DATA_DIR`, `OPENCLAW_API_KEY_SECRET`, `OPENCLAW_ADMIN_TOKEN`, `OPENCLAW_ADMIN_PORT`, `OPENCLAW_ADMIN_HOST`. */
function readStoreAndKeyVariables(get: (name: string) => string | undefined, cwd: string, config: OpenClawConfig, problems: ConfigProblem[]): void {
  const databaseUrl = get('OPENCLAW_DATABASE_URL');
  if (databaseUrl !== undefined) {
    const value = checkSecret(FIELD_SCHEMAS.databaseUrl, 'OPENCLAW_DATABASE_URL', databaseUrl, 'url', problems);
    if (value !== undefined) config.store = { ...config.store, databaseUrl: value };
  }
  const redisUrl = get('OPENCLAW_REDIS_URL');
  if (redisUrl !== undefined) {
    const value = checkSecret(FIELD_SCHEMAS.redisUrl, 'OPENCLAW_REDIS_URL', redisUrl, 'url', problems);
    if (value !== undefined) config.store = { ...config.store, redisUrl: value };
  }
  const dataDir = get('OPENCLAW_DATA_DIR');
  if (dataDir !== undefined) {
    const value = check(FIELD_SCHEMAS.dataDir, 'OPENCLAW_DATA_DIR', dataDir, dataDir, problems);
    if (value !== undefined) config.store = { ...config.store, dataDir: resolve(cwd, value) };
  }
  const hashSecret = get('OPENCLAW_API_KEY_SECRET');
  if (hashSecret !== undefined) {
    const value = checkSecret(FIELD_SCHEMAS.hashSecret, 'OPENCLAW_API_KEY_SECRET', hashSecret, 'secret', problems);
    if (value !== undefined) config.apiKeys = { ...config.apiKeys, hashSecret: value };
  }
  const adminToken = get('OPENCLAW_ADMIN_TOKEN');
  if (adminToken !== undefined) {
    const value = checkSecret(FIELD_SCHEMAS.adminToken, 'OPENCLAW_ADMIN_TOKEN', adminToken, 'secret', problems);
    if (value !== undefined) config.admin = { ...config.admin, token: value };
  }
  const adminPort = get('OPENCLAW_ADMIN_PORT');
  if (adminPort !== undefined) {
    const value = check(FIELD_SCHEMAS.port, 'OPENCLAW_ADMIN_PORT', adminPort, numeric(adminPort), problems);
    if (value !== undefined) config.admin = { ...config.admin, port: value };
  }
  const adminHost = get('OPENCLAW_ADMIN_HOST');
  if (adminHost !== undefined) {
    const value = check(FIELD_SCHEMAS.host, 'OPENCLAW_ADMIN_HOST', adminHost, adminHost, problems);
    if (value !== undefined) config.admin = { ...config.admin, host: value };
  }
}

/**
 * Reads `PORT`, `OPENCLAW_HOST`, `OPENCLAW_SCHEMA` (comma-separated), `OPENCLAW_SUPERGRAPH`,
 * `OPENCLAW_ENGINE`, `OPENCLAW_LOG_LEVEL`, `OPENCLAW_LOG_FORMAT`, `OPENCLAW_SOURCE_<NAME>_URL` / `_TIMEOUT_MS`,
 * `OPENCLAW_JWT_*` (the token provider `default`: `_ISSUER`, `_AUDIENCE`, `_JWKS_URL`,
 * `_ALGORITHMS`), and the store and key variables (`OPENCLAW_DATABASE_URL`,
 * `OPENCLAW_REDIS_URL`, `OPENCLAW_DATA_DIR`, `OPENCLAW_API_KEY_SECRET`, `OPENCLAW_ADMIN_TOKEN`,
 * `OPENCLAW_ADMIN_PORT`, `OPENCLAW_ADMIN_HOST`; secrets are never echoed). An empty variable
 * counts as unset. `<NAME>` selects the entry of `sourceNames` whose `sourceEnvName` matches;
 * a name no entry matches adds a source, lower-cased. Relative paths resolve against `cwd`.
 */
export function readEnvOverrides(env: NodeJS.ProcessEnv, sourceNames: readonly string[], cwd: string): EnvOverrides {
  const problems: ConfigProblem[] = [];
  const config: OpenClawConfig = {};
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const port = get('PORT');
  if (port !== undefined) {
    const value = check(FIELD_SCHEMAS.port, 'PORT', port, numeric(port), problems);
    if (value !== undefined) config.server = { ...config.server, port: value };
  }
  const host = get('OPENCLAW_HOST');
  if (host !== undefined) {
    const value = check(FIELD_SCHEMAS.host, 'OPENCLAW_HOST', host, host, problems);
    if (value !== undefined) config.server = { ...config.server, host: value };
  }
  const schema = get('OPENCLAW_SCHEMA');
  if (schema !== undefined) {
    const entries = schema.split(',').map((entry) => entry.trim());
    if (entries.some((entry) => entry === '')) {
      problems.push({
        scope: 'environment',
        text: `OPENCLAW_SCHEMA must be a path or a comma-separated list of paths, none empty; received ${JSON.stringify(schema)}.`,
      });
    } else {
      config.schema = entries.map((entry) => resolve(cwd, entry));
    }
  }
  const supergraph = get('OPENCLAW_SUPERGRAPH');
  if (supergraph !== undefined) {
    const value = check(FIELD_SCHEMAS.supergraph, 'OPENCLAW_SUPERGRAPH', supergraph, supergraph, problems);
    if (value !== undefined) config.supergraph = resolve(cwd, value);
  }
  const engine = get('OPENCLAW_ENGINE');
  if (engine !== undefined) {
    const value = check(FIELD_SCHEMAS.engine, 'OPENCLAW_ENGINE', engine, engine, problems);
    if (value !== undefined) config.engine = value;
  }
  const level = get('OPENCLAW_LOG_LEVEL');
  if (level !== undefined) {
    const value = check(FIELD_SCHEMAS.logLevel, 'OPENCLAW_LOG_LEVEL', level, level, problems);
    if (value !== undefined) config.logging = { ...config.logging, level: value };
  }
  const format = get('OPENCLAW_LOG_FORMAT');
  if (format !== undefined) {
    const value = check(FIELD_SCHEMAS.logFormat, 'OPENCLAW_LOG_FORMAT', format, format, problems);
    if (value !== undefined) config.logging = { ...config.logging, format: value };
  }

  readStoreAndKeyVariables(get, cwd, config, problems);

  const sourceVariables: EnvOverrides['sourceVariables'] = {};
  const sources = readSourceVariables(env, sourceNames, problems, get, sourceVariables);
  if (Object.keys(sources).length > 0) config.sources = sources;
  const jwtProvider = readJwtVariables(problems, get);
  return { config, sourceVariables, problems, ...(jwtProvider === undefined ? {} : { jwtProvider }) };
}

/** A comma-separated variable as a list; an empty entry makes the whole value bad. */
function list(raw: string): string[] | undefined {
  const entries = raw.split(',').map((entry) => entry.trim());
  return entries.some((entry) => entry === '') ? undefined : entries;
}

/**
 * `OPENCLAW_JWT_ISSUER`, `OPENCLAW_JWT_AUDIENCE` (comma-separated), `OPENCLAW_JWT_JWKS_URL` and
 * `OPENCLAW_JWT_ALGORITHMS` (comma-separated): the fields of the token provider `default`.
 */
function readJwtVariables(problems: ConfigProblem[], get: (name: string) => string | undefined): Partial<TokenProviderConfig> | undefined {
  const provider: Partial<TokenProviderConfig> = {};
  const issuer = get('OPENCLAW_JWT_ISSUER');
  if (issuer !== undefined) {
    const value = check(FIELD_SCHEMAS.issuer, 'OPENCLAW_JWT_ISSUER', issuer, issuer, problems);
    if (value !== undefined) provider.issuer = value;
  }
  const audience = get('OPENCLAW_JWT_AUDIENCE');
  if (audience !== undefined) {
    const entries = list(audience);
    const value = check(FIELD_SCHEMAS.audience, 'OPENCLAW_JWT_AUDIENCE', audience, entries?.length === 1 ? entries[0] : entries, problems);
    if (value !== undefined) provider.audience = value;
  }
  const jwksUrl = get('OPENCLAW_JWT_JWKS_URL');
  if (jwksUrl !== undefined) {
    const value = check(FIELD_SCHEMAS.httpUrl, 'OPENCLAW_JWT_JWKS_URL', jwksUrl, jwksUrl, problems);
    if (value !== undefined) provider.jwksUrl = value;
  }
  const algorithms = get('OPENCLAW_JWT_ALGORITHMS');
  if (algorithms !== undefined) {
    const value = check(FIELD_SCHEMAS.jwtAlgorithms, 'OPENCLAW_JWT_ALGORITHMS', algorithms, list(algorithms), problems);
    if (value !== undefined) provider.algorithms = value as JwtAlgorithm[];
  }
  return Object.keys(provider).length === 0 ? undefined : provider;
}

function readSourceVariables(
  env: NodeJS.ProcessEnv,
  sourceNames: readonly string[],
  problems: ConfigProblem[],
  get: (name: string) => string | undefined,
  variables: EnvOverrides['sourceVariables'],
): Record<string, SourceConfig> {
  const sources: Record<string, SourceConfig> = {};
  const names = Object.keys(env)
    .filter((name) => name.startsWith(SOURCE_PREFIX) && get(name) !== undefined)
    .sort();
  for (const variable of names) {
    const raw = get(variable) ?? '';
    const rest = variable.slice(SOURCE_PREFIX.length);
    const setting = rest.endsWith('_TIMEOUT_MS') ? 'timeoutMs' : rest.endsWith('_URL') ? 'url' : undefined;
    const envName = setting === 'timeoutMs' ? rest.slice(0, -'_TIMEOUT_MS'.length) : rest.slice(0, -'_URL'.length);
    if (setting === undefined || envName === '') {
      problems.push({
        scope: 'environment',
        text: `${variable} is not a known variable; a source's variables are OPENCLAW_SOURCE_<NAME>_URL and OPENCLAW_SOURCE_<NAME>_TIMEOUT_MS.`,
      });
      continue;
    }
    const matches = sourceNames.filter((name) => sourceEnvName(name) === envName);
    if (matches.length > 1) {
      problems.push({
        scope: 'environment',
        text: `${variable} matches more than one source (${matches.map((name) => `"${name}"`).join(', ')}); rename one so their names differ in more than punctuation and case.`,
      });
      continue;
    }
    const name = matches[0] ?? envName.toLowerCase();
    if (setting === 'url') {
      const url = check(FIELD_SCHEMAS.url, variable, raw, raw, problems);
      if (url !== undefined) sources[name] = { ...sources[name], url };
    } else {
      const timeoutMs = check(FIELD_SCHEMAS.timeoutMs, variable, raw, numeric(raw), problems);
      if (timeoutMs !== undefined) sources[name] = { ...sources[name], timeoutMs };
    }
    variables[name] = { ...variables[name], [setting]: variable };
  }
  return sources;
}
