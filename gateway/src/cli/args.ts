/**
 * Argument parsing shared by the commands: node:util `parseArgs` in strict mode, with its
 * errors rewritten as one line that names the bad argument and points at `--help`.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { suggestClosest } from '../config/index.js';

/** Bad usage (unknown command or option, bad option value): exit code 2. */
export class UsageError extends Error {
  /** The command whose help the message points at (`''` for the top level). */
  readonly command: string;

  constructor(message: string, command: string) {
    super(message);
    this.name = 'UsageError';
    this.command = command;
  }

  /** The line printed on stderr: the problem, then where to read the usage. */
  toLine(): string {
    const help = this.command === '' ? 'openclaw --help' : `openclaw ${this.command} --help`;
    return `error: ${this.message}. Run ${help}`;
  }
}

/** The options a command accepts, as `parseArgs` takes them. */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** True when `-h` or `--help` appears before any `--`: help wins over every other argument. */
export function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => arg === '--help' || arg === '-h');
}

function usageErrorFrom(error: unknown, command: string, options: OptionSpec): UsageError {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  const option = /--[\w-]+/.exec(quoted)?.[0] ?? quoted;
  const longNames = Object.keys(options).map((name) => `--${name}`);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const suggestion = quoted.startsWith('--') ? suggestClosest(quoted, longNames) : undefined;
    const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
    return new UsageError(`unknown option "${quoted}"${hint}`, command);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (message.includes('does not take an argument')) return new UsageError(`option "${option}" takes no value`, command);
    if (message.includes('ambiguous')) {
      return new UsageError(`option "${option}" needs a value (write ${option}=VALUE for a value starting with "-")`, command);
    }
    return new UsageError(`option "${option}" needs a value`, command);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
    const takes = command === '' ? 'options go after the command' : `openclaw ${command} takes options only`;
    return new UsageError(`unexpected argument "${quoted}" (${takes})`, command);
  }
  return new UsageError(message.split('\n')[0] ?? message, command);
}

/** The values `parseOptions` returns: each option given, as a string or (a flag) `true`. */
export type OptionValues<T extends OptionSpec> = { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string };

/** `parseArgs(argv)` against `options`, strict, no positionals; throws `UsageError` on bad input. */
export function parseOptions<T extends OptionSpec>(command: string, argv: string[], options: T): OptionValues<T> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values as OptionValues<T>;
  } catch (error) {
    throw usageErrorFrom(error, command, options);
  }
}

/** `--port`'s value as a number; throws `UsageError` unless it is an integer from 0 to 65535. */
export function parsePort(value: string, command: string): number {
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port <= 65535)) {
    throw new UsageError(`invalid value for --port: ${JSON.stringify(value)} (expected an integer from 0 to 65535)`, command);
  }
  return port;
}

/** `--workers`' value: a positive integer, or `auto` (the cores Node may use). Throws `UsageError` otherwise. */
export function parseWorkers(value: string, command: string, cores: () => number): number {
  if (value === 'auto') return cores();
  const count = /^\d{1,4}$/.test(value) ? Number(value) : Number.NaN;
  if (!(count >= 1)) {
    throw new UsageError(`invalid value for --workers: ${JSON.stringify(value)} (expected a positive integer or "auto")`, command);
  }
  return count;
}

/** An option's value that must be one of `choices`; throws `UsageError` naming them otherwise. */
export function parseChoice<T extends string>(value: string, option: string, choices: readonly T[], command: string): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`invalid value for ${option}: ${JSON.stringify(value)} (expected one of ${choices.join(', ')})`, command);
}

/** `--host`'s value: any non-empty text (the config check says more); throws `UsageError` when empty. */
export function parseHost(value: string, command: string): string {
  if (value.trim() === '') throw new UsageError(`invalid value for --host: ${JSON.stringify(value)} (expected a host name or IP address, e.g. 0.0.0.0)`, command);
  return value;
}
