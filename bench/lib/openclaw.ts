/**
 * How the benchmark starts OpenClaw: the real CLI, compiled as users install it
 * (`gateway/dist/cli/main.js start`, built once per run by {@link buildOpenClaw}), with a JSON
 * config written for the run. In a checkout, `gateway/bin/openclaw.js` would run the TypeScript
 * source through tsx instead, whose loader thread and transpiler are not what users run. `engine` selects the execution engine by the config key
 * `engine: 'plan' | 'reference'`; `default` leaves the key out. Until a gateway build knows the
 * key, asking for `reference` falls back to leaving it out (the reference engine is then the
 * only one) and says so; asking for `plan` fails cleanly with the gateway's own message.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GatewayProcess, StartFailure, type LaunchSpec } from './gateway-process.js';
import { REPO_DIR } from './paths.js';

/** Which engine to ask for. */
export type Engine = 'reference' | 'plan' | 'default';

/** One OpenClaw process to start. */
export interface OpenClawLaunch {
  engine: Engine;
  port: number;
  /** Folder for the generated config file. */
  workDir: string;
  /** `--supergraph FILE`, or else `config` must say where the schema is. */
  supergraph?: string;
  /** More config keys (schema, sources...). */
  config?: Record<string, unknown>;
  /** `--workers N` (left out when undefined). */
  workers?: number;
  /** Write a CPU profile (`node --cpu-prof`) into this folder on exit. */
  profileDir?: string;
  /**
   * Create an API key with these `openclaw keys create` flags before the start (in the launch's
   * own store, through the real CLI); every request then carries it in `x-api-key`.
   */
  apiKey?: readonly string[];
}

/** The config file of `launch`. */
function configFileOf(launch: OpenClawLaunch): string {
  return join(launch.workDir, `openclaw-${launch.engine}-${launch.port}.json`);
}

/** The spec of `launch`: the command line and the config file it points at. */
export function openclawSpec(launch: OpenClawLaunch): LaunchSpec {
  const { server, ...rest } = (launch.config ?? {}) as { server?: Record<string, unknown> };
  const config: Record<string, unknown> = {
    ...(launch.engine === 'default' ? {} : { engine: launch.engine }),
    logging: { level: 'warn' },
    ...rest,
    // The run's server settings, with the launch's own on top (one level deep).
    server: { host: '127.0.0.1', graphiql: false, ...server },
  };
  const configFile = configFileOf(launch);
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  const nodeFlags = launch.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${launch.profileDir}`] : [];
  return {
    argv: [
      process.execPath,
      ...nodeFlags,
      join(REPO_DIR, 'gateway', 'dist', 'cli', 'main.js'),
      'start',
      '--config',
      configFile,
      '--port',
      String(launch.port),
      ...(launch.supergraph ? ['--supergraph', launch.supergraph] : []),
      ...(launch.workers === undefined ? [] : ['--workers', String(launch.workers)]),
    ],
    // The runner's own environment must not reconfigure the gateway under test.
    env: { PORT: undefined, OPENCLAW_SUPERGRAPH: undefined, OPENCLAW_SCHEMA: undefined, OPENCLAW_LOG_LEVEL: undefined },
    cwd: REPO_DIR,
    url: `http://127.0.0.1:${launch.port}/graphql`,
  };
}

let built = false;

/** Compiles the gateway to `gateway/dist/` (`npm run build`), once per benchmark run. */
export function buildOpenClaw(): void {
  if (built) return;
  process.stdout.write('  building OpenClaw (gateway/dist, npm run build -w openclaw-gateway)\n');
  execFileSync('npm', ['run', 'build', '--silent', '-w', 'openclaw-gateway'], { cwd: REPO_DIR, stdio: ['ignore', 'ignore', 'inherit'] });
  built = true;
}

const UNKNOWN_ENGINE_KEY = /unknown key "engine"/;

/** A started OpenClaw and the note to print beside its figures (empty when none). */
export interface StartedOpenClaw {
  gateway: GatewayProcess;
  note: string;
  /** Headers every request must carry (the launch's API key). */
  headers?: Record<string, string>;
}

/**
 * Creates the API key `launch.apiKey` asks for, with the compiled CLI against the launch's
 * config (so in the store the gateway will open), and returns its plaintext.
 */
function createApiKey(launch: OpenClawLaunch, flags: readonly string[]): string {
  openclawSpec(launch); // writes the config file the CLI reads
  const output = execFileSync(
    process.execPath,
    [join(REPO_DIR, 'gateway', 'dist', 'cli', 'main.js'), 'keys', 'create', '--config', configFileOf(launch), '--name', `bench-${launch.port}`, ...flags, '--json'],
    { cwd: REPO_DIR, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const key = (JSON.parse(output) as { key?: unknown }).key;
  if (typeof key !== 'string') throw new Error(`openclaw keys create printed no key: ${output.slice(0, 200)}`);
  return key;
}

/**
 * Starts OpenClaw on `cpus`. With `engine: 'reference'` on a build that does not know the
 * `engine` key yet, starts it again without the key and notes it. Throws {@link StartFailure}.
 */
export async function startOpenClaw(launch: OpenClawLaunch, cpus: string | null): Promise<StartedOpenClaw> {
  buildOpenClaw();
  const headers = launch.apiKey === undefined ? undefined : { 'x-api-key': createApiKey(launch, launch.apiKey) };
  try {
    return { gateway: await GatewayProcess.start(openclawSpec(launch), cpus), note: '', ...(headers ? { headers } : {}) };
  } catch (error) {
    if (!(error instanceof StartFailure) || launch.engine !== 'reference' || !UNKNOWN_ENGINE_KEY.test(error.output)) throw error;
    const gateway = await GatewayProcess.start(openclawSpec({ ...launch, engine: 'default' }), cpus);
    return { gateway, note: 'this build has no `engine` key yet: ran its only engine (reference)' };
  }
}

/** The line of a failed start's output that says why, for a table cell. */
export function failureReason(error: unknown): string {
  if (error instanceof StartFailure) {
    const lines = error.output.split('\n').map((line) => line.trim()).filter((line) => line !== '');
    const telling = lines.find((line) => /error|invalid|unknown|cannot|failed/i.test(line)) ?? lines.at(-1);
    return telling ? `${error.message}: ${telling}` : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
