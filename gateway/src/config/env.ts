/**
 * Environment overrides: deployment settings and secrets that do not belong in the config
 * file. Each variable is checked with the same field schema as the key it sets, and a bad
 * value is reported by the variable's name.
 */
import { resolve } from 'node:path';
import type { z } from 'zod';
import { FIELD_SCHEMAS } from './schema.js';
import type { ConfigProblem } from './issues.js';
import { sourceEnvName } from './sources.js';
import type { OpenClawConfig, SourceConfig } from './types.js';

const SOURCE_PREFIX = 'OPENCLAW_SOURCE_';

/** The config overrides read from the environment, and the problems found on the way. */
export interface EnvOverrides {
  /** Only the keys some variable sets; paths are absolute. */
  config: OpenClawConfig;
  problems: ConfigProblem[];
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

/**
 * Reads `PORT`, `OPENCLAW_HOST`, `OPENCLAW_SCHEMA` (comma-separated), `OPENCLAW_SUPERGRAPH`,
 * `OPENCLAW_ENGINE`, `OPENCLAW_LOG_LEVEL` and `OPENCLAW_SOURCE_<NAME>_URL` / `_TIMEOUT_MS`. An empty variable
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
    if (value !== undefined) config.logging = { level: value };
  }

  const sources = readSourceVariables(env, sourceNames, problems, get);
  if (Object.keys(sources).length > 0) config.sources = sources;
  return { config, problems };
}

function readSourceVariables(
  env: NodeJS.ProcessEnv,
  sourceNames: readonly string[],
  problems: ConfigProblem[],
  get: (name: string) => string | undefined,
): Record<string, SourceConfig> {
  const sources: Record<string, SourceConfig> = {};
  const variables = Object.keys(env)
    .filter((name) => name.startsWith(SOURCE_PREFIX) && get(name) !== undefined)
    .sort();
  for (const variable of variables) {
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
  }
  return sources;
}
