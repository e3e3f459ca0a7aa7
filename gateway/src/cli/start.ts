/**
 * `openclaw start`: load the config, start the gateway, print where it listens, and close it
 * cleanly on SIGINT or SIGTERM.
 */
import { loadConfig, type ConfigOverrides } from '../config/index.js';
import { parseOptions, parsePort, wantsHelp, type OptionSpec } from './args.js';
import { START_HELP } from './help.js';
import { reportFailure, type CliContext } from './io.js';

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  port: { type: 'string', short: 'p' },
  supergraph: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Resolves with the first SIGINT/SIGTERM. Listening replaces Node's default (exit at once),
 * so a second signal while the gateway closes must still end the process: it exits with 130.
 */
function listenForShutdown(ctx: CliContext): { received: Promise<NodeJS.Signals>; dispose(): void } {
  let first = true;
  let settle: (signal: NodeJS.Signals) => void = () => undefined;
  const received = new Promise<NodeJS.Signals>((resolve) => {
    settle = resolve;
  });
  const onSignal = (signal: NodeJS.Signals): void => {
    if (first) {
      first = false;
      settle(signal);
      return;
    }
    ctx.stderr.write(`Received ${signal} again; exiting without waiting for the gateway to close.\n`);
    process.exit(130);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return { received, dispose: () => SIGNALS.forEach((signal) => process.off(signal, onSignal)) };
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
  const overrides: ConfigOverrides = {};
  if (values.port !== undefined) overrides.port = parsePort(values.port, 'start');
  if (values.supergraph !== undefined) overrides.supergraph = values.supergraph;

  // Listen before starting, so a signal that arrives during start-up still closes cleanly.
  const shutdown = listenForShutdown(ctx);
  try {
    const config = await loadConfig({ file: values.config, cwd: ctx.cwd, env: ctx.env, overrides });
    // Loaded on demand: `--help` and bad usage do not pay for the server's imports.
    const { startGateway } = await import('../server/start.js');
    const gateway = await startGateway(config);
    const graphiql = config.server.graphiql ? ' (GraphiQL: open it in a browser)' : '';
    ctx.stdout.write(`OpenClaw Gateway ready at ${gateway.url}${graphiql}\n`);
    const signal = await shutdown.received;
    ctx.stdout.write(`Received ${signal}; closing the gateway.\n`);
    await gateway.close();
    return 0;
  } catch (error) {
    return reportFailure(error, ctx, false);
  } finally {
    shutdown.dispose();
  }
}
