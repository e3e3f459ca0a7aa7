/**
 * From what the user wrote to what the gateway runs with, in layers: the config file, then
 * the environment, then command-line options, then the defaults. Every layer is validated;
 * all problems of all layers are reported together in one `CONFIG_INVALID` error.
 */
import { resolve } from 'node:path';
import { CONFIG_DEFAULTS } from './defaults.js';
import { readEnvOverrides } from './env.js';
import { configError, describeIssues, describeValue, type ConfigProblem } from './issues.js';
import { CONFIG_SCHEMA, FIELD_SCHEMAS } from './schema.js';
import type { OpenClawConfig, ResolvedConfig, ResolvedSourceConfig } from './types.js';

/** Values given on the command line; they win over the file and the environment. */
export interface ConfigOverrides {
  /** `--port`. */
  port?: number;
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
  return out;
}

function readOverrides(overrides: ConfigOverrides, cwd: string, problems: ConfigProblem[]): OpenClawConfig {
  const config: OpenClawConfig = {};
  if (overrides.port !== undefined) {
    const port = FIELD_SCHEMAS.port.safeParse(overrides.port);
    if (port.success) config.server = { port: port.data };
    else problems.push({ scope: 'option', text: `--port ${port.error.issues[0]?.message}; received ${describeValue(overrides.port)}.` });
  }
  if (overrides.supergraph !== undefined) {
    const supergraph = FIELD_SCHEMAS.supergraph.safeParse(overrides.supergraph);
    if (supergraph.success) config.supergraph = resolve(cwd, supergraph.data);
    else {
      problems.push({
        scope: 'option',
        text: `--supergraph ${supergraph.error.issues[0]?.message}; received ${describeValue(overrides.supergraph)}.`,
      });
    }
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
    logging: { ...base.logging, ...over.logging },
  };
}

function withDefaults(config: OpenClawConfig, rootDir: string, configFile: string | undefined): ResolvedConfig {
  const server = config.server ?? {};
  const defaults = CONFIG_DEFAULTS.server;
  const sources: Record<string, ResolvedSourceConfig> = {};
  for (const [name, source] of Object.entries(config.sources ?? {})) {
    sources[name] = {
      ...(source.url === undefined ? {} : { url: source.url }),
      timeoutMs: source.timeoutMs ?? CONFIG_DEFAULTS.source.timeoutMs,
      headers: { ...source.headers },
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
      introspection: server.introspection ?? defaults.introspection,
    },
    engine: config.engine ?? CONFIG_DEFAULTS.engine,
    sources,
    documentCache: { size: config.documentCache?.size ?? CONFIG_DEFAULTS.documentCache.size },
    logging: { level: config.logging?.level ?? CONFIG_DEFAULTS.logging.level },
  };
}

/**
 * Validates `input` (what the config file exported; `undefined` means `{}`), applies the
 * environment, then `overrides`, then the defaults. Relative paths in `input` resolve against
 * `rootDir`; those from the environment and overrides against `cwd`. Throws one
 * `GatewayError('CONFIG_INVALID')` listing every problem found (key path, expected shape, value
 * received). Does no I/O: whether the paths exist is checked by `loadConfig`.
 */
export function resolveConfig(input: unknown, options: ResolveOptions): ResolvedConfig {
  const rootDir = resolve(options.rootDir);
  const cwd = resolve(options.cwd ?? rootDir);
  const problems: ConfigProblem[] = [];

  const parsed = CONFIG_SCHEMA.safeParse(input === undefined ? {} : input, { reportInput: true });
  let config: OpenClawConfig = {};
  if (parsed.success) config = withAbsolutePaths(parsed.data, rootDir);
  else problems.push(...describeIssues(parsed.error.issues).map((text) => ({ scope: 'config' as const, text })));

  const env = readEnvOverrides(options.env ?? {}, Object.keys(config.sources ?? {}), cwd);
  problems.push(...env.problems);
  const cli = readOverrides(options.overrides ?? {}, cwd, problems);

  if (problems.length > 0) throw configError(problems);
  return withDefaults(layer(layer(config, env.config), cli), rootDir, options.configFile);
}
