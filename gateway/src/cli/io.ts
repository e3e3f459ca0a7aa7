/**
 * What a command reads and writes: two text streams, the environment and the working
 * directory. Tests pass their own; the real entry passes the process's.
 */
import { isGatewayError } from '../errors/index.js';

/** Anything text can be written to (a stream, or a test's collector). */
export interface TextSink {
  write(chunk: string): unknown;
  /** True for a terminal: logs are then text, not JSON (`logging.format: 'auto'`). */
  isTTY?: boolean;
}

/** The outside world of one CLI run. Only the streams are required. */
export interface CliIo {
  stdout: TextSink;
  stderr: TextSink;
  /** Environment for config overrides and `OPENCLAW_DEBUG`. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Working directory paths resolve against. Default `process.cwd()`. */
  cwd?: string;
}

/** `CliIo` with every default filled in. */
export interface CliContext {
  stdout: TextSink;
  stderr: TextSink;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Fills in the process's environment and working directory where `io` leaves them out. */
export function contextFrom(io: CliIo): CliContext {
  return { stdout: io.stdout, stderr: io.stderr, env: io.env ?? process.env, cwd: io.cwd ?? process.cwd() };
}

function debugDetails(error: unknown): string {
  const lines: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth += 1) {
    const text = current instanceof Error ? (current.stack ?? current.message) : String(current);
    lines.push(depth === 0 ? text : `Caused by: ${text}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Reports a run-time failure and returns exit code 1: `error[CODE]: message` on stderr, or,
 * with `json`, `{ "ok": false, "error": { "code", "message" } }` on stdout. An error that is
 * not a `GatewayError` is reported as `INTERNAL_SERVER_ERROR`. The stack trace (and causes)
 * go to stderr only when `OPENCLAW_DEBUG=1`.
 */
export function reportFailure(error: unknown, ctx: CliContext, json: boolean): number {
  const code = isGatewayError(error) ? error.code : 'INTERNAL_SERVER_ERROR';
  const message = error instanceof Error ? error.message : String(error);
  if (json) ctx.stdout.write(`${JSON.stringify({ ok: false, error: { code, message } }, null, 2)}\n`);
  else ctx.stderr.write(`error[${code}]: ${message}\n`);
  if (ctx.env.OPENCLAW_DEBUG === '1') ctx.stderr.write(debugDetails(error));
  else if (!isGatewayError(error)) ctx.stderr.write('Set OPENCLAW_DEBUG=1 to see the stack trace.\n');
  return 1;
}
