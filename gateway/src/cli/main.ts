/**
 * The `openclaw` command line: picks the command, hands it its arguments, turns the outcome
 * into an exit code. Commands are thin: they parse options, call the core, print. Run it
 * directly (`tsx gateway/src/cli/main.ts`) or through `gateway/bin/openclaw.js`.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { suggestClosest } from '../config/index.js';
import { UsageError, parseOptions, type OptionSpec } from './args.js';
import { runCheck } from './check.js';
import { CHECK_HELP, KEYS_HELP, START_HELP, TOKENS_HELP, TOP_HELP } from './help.js';
import { contextFrom, reportFailure, type CliContext, type CliIo } from './io.js';
import { runKeys } from './keys.js';
import { runStart } from './start.js';
import { runTokens } from './tokens.js';
import { gatewayVersion } from './version.js';

const COMMANDS: Record<string, (argv: string[], ctx: CliContext) => Promise<number>> = {
  start: runStart,
  check: runCheck,
  keys: runKeys,
  tokens: runTokens,
};

const HELP: Record<string, string> = { start: START_HELP, check: CHECK_HELP, keys: KEYS_HELP, tokens: TOKENS_HELP };

const TOP_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const satisfies OptionSpec;

function unknownCommand(name: string): UsageError {
  const suggestion = suggestClosest(name, [...Object.keys(COMMANDS), 'help']);
  return new UsageError(`unknown command "${name}"${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}`, '');
}

async function dispatch(argv: string[], ctx: CliContext): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    ctx.stderr.write(TOP_HELP);
    return 2;
  }
  if (first.startsWith('-')) {
    const values = parseOptions('', argv, TOP_OPTIONS);
    if (values.version === true && values.help !== true) ctx.stdout.write(`${gatewayVersion()}\n`);
    else ctx.stdout.write(TOP_HELP);
    return 0;
  }
  if (first === 'help') {
    const [topic, ...extra] = rest;
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0] ?? ''}" (openclaw help takes one command name)`, '');
    if (topic === undefined) ctx.stdout.write(TOP_HELP);
    else if (HELP[topic] !== undefined) ctx.stdout.write(HELP[topic]);
    else throw unknownCommand(topic);
    return 0;
  }
  const command = COMMANDS[first];
  if (command === undefined) throw unknownCommand(first);
  return command(rest, ctx);
}

/**
 * Runs the command line `argv` (the arguments after `openclaw`) and resolves with its exit
 * code: 0 success, 1 run-time error (`error[CODE]: message`), 2 bad usage (one line naming
 * the problem and the `--help` to read). Never throws and never exits the process; output
 * goes to `io` (default: the process's streams, environment and working directory).
 */
export async function main(argv: string[], io: CliIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const ctx = contextFrom(io);
  try {
    return await dispatch(argv, ctx);
  } catch (error) {
    if (error instanceof UsageError) {
      ctx.stderr.write(`${error.toLine()}\n`);
      return 2;
    }
    return reportFailure(error, ctx, false);
  }
}

/**
 * The process entry: runs `main` on the process's streams, then exits with its code once
 * stdout and stderr are flushed. A closed pipe on stdout (`openclaw check | head`) ends the
 * run quietly instead of crashing.
 */
export async function runCli(argv: string[]): Promise<never> {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  const code = await main(argv);
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  await new Promise<void>((resolve) => process.stderr.write('', () => resolve()));
  process.exit(code);
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) await runCli(process.argv.slice(2));
