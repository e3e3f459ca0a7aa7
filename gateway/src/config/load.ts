/**
 * Loading: find the config file, import it (a TypeScript file through `import-module.ts`),
 * resolve it with the environment and command-line options, and check that the files it
 * points to exist, so a typo in a path fails at start-up with the key's name.
 */
import { stat, readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { GatewayError } from '../errors/index.js';
import { DEFAULT_CONFIG_FILE } from './defaults.js';
import { importConfigModule } from './import-module.js';
import { configError, type ConfigProblem } from './issues.js';
import { resolveConfig, type ConfigOverrides } from './resolve.js';
import type { ResolvedConfig } from './types.js';

/** What `loadConfig` reads; every field is optional. */
export interface LoadConfigOptions {
  /** Config file (`--config`), relative to `cwd`. Default: `openclaw.config.ts` in `cwd` if it exists. */
  file?: string;
  /** Working directory. Default `process.cwd()`. */
  cwd?: string;
  /** Environment for overrides. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Command-line values, applied last. */
  overrides?: ConfigOverrides;
  /**
   * Check that the schema paths (or the supergraph file) exist. Default true; commands that do
   * not read the graph (`openclaw keys`) pass false.
   */
  checkPaths?: boolean;
}

async function kindOf(path: string): Promise<'file' | 'directory' | 'other' | 'missing'> {
  try {
    const stats = await stat(path);
    return stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function loadError(file: string, error: unknown): GatewayError {
  // One line: a transpiler's message puts the file position on a line of its own.
  const lines = (error instanceof Error ? error.message : String(error)).split('\n').map((line) => line.trim()).filter(Boolean);
  const message = lines.map((line, index) => (index > 0 && /^\S+:\d+:\d+$/.test(line) ? `at ${line}` : line)).join(' ');
  return new GatewayError('CONFIG_INVALID', `Could not load config file ${file}: ${message}`, {}, { cause: error });
}

async function importModule(file: string): Promise<Record<string, unknown>> {
  try {
    return await importConfigModule(file);
  } catch (error) {
    throw loadError(file, error);
  }
}

/** What the config module exports: `default` (possibly wrapped by CommonJS interop), else `config`. */
async function importConfigFile(file: string): Promise<unknown> {
  if (file.endsWith('.json')) {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as unknown;
    } catch (error) {
      throw loadError(file, error);
    }
  }
  const module = await importModule(file);
  let exported = module.default;
  // A file compiled to CommonJS hands over `module.exports` as the default, with the real
  // default export inside it.
  if (isRecord(exported) && exported.__esModule === true) exported = exported.default ?? exported.config;
  exported ??= module.config;
  if (exported === undefined) {
    throw new GatewayError(
      'CONFIG_INVALID',
      `Config file ${file} exports no config; write "export default defineConfig({ ... })" or "export const config = defineConfig({ ... })".`,
    );
  }
  return exported;
}

/** Problems with paths that do not exist, attributed to the layer that set them. */
async function missingPaths(config: ResolvedConfig, options: LoadConfigOptions, env: NodeJS.ProcessEnv): Promise<ConfigProblem[]> {
  const relativeTo =
    config.configFile === undefined
      ? `no ${DEFAULT_CONFIG_FILE} was found in ${config.rootDir}, so paths resolve against the working directory`
      : `relative paths resolve against ${config.rootDir}, the config file's folder`;
  if (config.supergraph !== undefined) {
    const kind = await kindOf(config.supergraph);
    if (kind === 'file') return [];
    const found = kind === 'missing' ? 'does not exist' : `is a ${kind}, not a file`;
    const where = options.overrides?.supergraph !== undefined ? 'option' : env.OPENCLAW_SUPERGRAPH?.trim() ? 'environment' : 'config';
    const name = { option: '--supergraph', environment: 'OPENCLAW_SUPERGRAPH', config: '"supergraph"' }[where];
    const note = where === 'config' ? ` (${relativeTo})` : '';
    return [{ scope: where, text: `${name} must name an existing supergraph SDL file; "${config.supergraph}" ${found}${note}.` }];
  }
  const fromEnv = Boolean(env.OPENCLAW_SCHEMA?.trim());
  const problems: ConfigProblem[] = [];
  for (const entry of config.schema) {
    if ((await kindOf(entry)) !== 'missing') continue;
    problems.push(
      fromEnv
        ? { scope: 'environment', text: `OPENCLAW_SCHEMA must name existing schema files or folders; "${entry}" does not exist.` }
        : { scope: 'config', text: `"schema" must name existing schema files or folders; "${entry}" does not exist (${relativeTo}).` },
    );
  }
  return problems;
}

/**
 * Loads the config the gateway runs with. Reads `options.file` (an error naming the path when
 * it does not exist) or else `openclaw.config.ts` in `cwd` when present, else uses only the
 * defaults; a module config is imported by file URL and may `export default` it or export it
 * as `config`, a `.json` file is parsed. Then `resolveConfig` applies the environment and
 * `overrides`, and the schema paths (or the supergraph file, when set) must exist. Every
 * failure is a `GatewayError('CONFIG_INVALID')`.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const env = options.env ?? process.env;
  let configFile: string | undefined;
  if (options.file !== undefined) {
    configFile = resolve(cwd, options.file);
    const kind = await kindOf(configFile);
    if (kind === 'missing') throw new GatewayError('CONFIG_INVALID', `Config file not found: ${configFile}`);
    if (kind !== 'file') throw new GatewayError('CONFIG_INVALID', `Config file ${configFile} is a ${kind}, not a file.`);
  } else {
    const candidate = resolve(cwd, DEFAULT_CONFIG_FILE);
    if ((await kindOf(candidate)) === 'file') configFile = candidate;
  }

  const input = configFile === undefined ? {} : await importConfigFile(configFile);
  const config = resolveConfig(input, {
    rootDir: configFile === undefined ? cwd : dirname(configFile),
    env,
    cwd,
    ...(configFile === undefined ? {} : { configFile }),
    ...(options.overrides === undefined ? {} : { overrides: options.overrides }),
  });
  const problems = options.checkPaths === false ? [] : await missingPaths(config, options, env);
  if (problems.length > 0) throw configError(problems);
  return config;
}
