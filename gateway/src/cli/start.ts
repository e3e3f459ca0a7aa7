/**
 * `openclaw start`: load the config, start the gateway, print where it listens, and close it
 * cleanly on SIGINT or SIGTERM. With `--workers N` the process is a primary that runs N
 * gateways, one per worker process, on the same port (workers.ts).
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { LOG_LEVELS, type ConfigOverrides } from '../config/index.js';
import { parseChoice, parseHost, parseOptions, parsePort, parseWorkers, wantsHelp, type OptionSpec, type OptionValues } from './args.js';
import { START_HELP } from './help.js';
import { reportFailure, type CliContext } from './io.js';
import { readyLine, startFromConfig, type StartSettings } from './serve.js';
import { listenForShutdown } from './signals.js';
import { runPrimary, runWorker } from './workers.js';

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  'log-level': { type: 'string' },
  supergraph: { type: 'string' },
  workers: { type: 'string', short: 'w' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

function settingsFrom(values: OptionValues<typeof OPTIONS>): StartSettings {
  const overrides: ConfigOverrides = {};
  if (values.port !== undefined) overrides.port = parsePort(values.port, 'start');
  if (values.host !== undefined) overrides.host = parseHost(values.host, 'start');
  if (values['log-level'] !== undefined) overrides.logLevel = parseChoice(values['log-level'], '--log-level', LOG_LEVELS, 'start');
  if (values.supergraph !== undefined) overrides.supergraph = values.supergraph;
  return { ...(values.config === undefined ? {} : { file: values.config }), overrides };
}

async function serveUntilStopped(settings: StartSettings, ctx: CliContext): Promise<number> {
  // Listen before starting, so a signal that arrives during start-up still closes cleanly.
  const shutdown = listenForShutdown(ctx.stderr);
  try {
    const { gateway, config } = await startFromConfig(settings, ctx);
    ctx.stdout.write(readyLine(gateway.url, config, gateway.adminUrl));
    const reason = await shutdown.received;
    ctx.stdout.write(`Received ${reason}; closing the gateway.\n`);
    await gateway.close();
    return 0;
  } catch (error) {
    return reportFailure(error, ctx, false);
  } finally {
    shutdown.dispose();
  }
}

/**
 * Runs `openclaw start` with the arguments after the command name. Resolves with the exit
 * code once the gateway has closed after a signal (0), or failed to start (1). Throws
 * `UsageError` for bad arguments.
 */
export async function runStart(argv: string[], ctx: CliContext): Promise<number> {
  if (wantsHelp(argv)) {
    ctx.stdout.write(START_HELP);
    return 0;
  }
  const values = parseOptions('start', argv, OPTIONS);
  const settings = settingsFrom(values);
  if (values.workers === undefined) return serveUntilStopped(settings, ctx);
  const workers = parseWorkers(values.workers, 'start', availableParallelism);
  // A worker runs this same command line; the primary started it.
  return cluster.isWorker ? runWorker(settings, ctx) : runPrimary(workers, settings, ctx);
}
