/**
 * Test support for the real `openclaw` bin: run a command to completion, or spawn
 * `openclaw start` and wait for its ready line. The child is plain `node` on the bin, as
 * `npx openclaw` runs it (in this checkout the bin runs the TypeScript source itself). It gets
 * the parent's environment without PORT and OPENCLAW_* (plus what the test adds) so that only
 * the test decides the config.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** Path of the bin, as `npx openclaw` runs it. */
export const BIN = join(import.meta.dirname, '../../gateway/bin/openclaw.js');

/** The parent's environment without the variables that would change the config, plus `extra`. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([name]) => name !== 'PORT' && name !== 'NODE_OPTIONS' && !name.startsWith('OPENCLAW_'));
  return { ...Object.fromEntries(kept), ...extra };
}

/** Runs `openclaw ...args` in `cwd` to completion (`command` to run it another way, e.g. through npx). */
export async function openclaw(
  args: string[],
  cwd: string,
  options: { env?: NodeJS.ProcessEnv; command?: string[] } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const [file, ...prefix] = options.command ?? [process.execPath, BIN];
  try {
    const { stdout, stderr } = await promisify(execFile)(file ?? process.execPath, [...prefix, ...args], { cwd, env: cleanEnv(options.env) });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** A spawned `openclaw start`. */
export interface StartedCli {
  /** The GraphQL URL the ready line printed. */
  url: string;
  /** The child's process id. */
  pid: number;
  /** Everything the child printed on stdout so far. */
  stdout(): string;
  /** Everything the child printed on stderr so far. */
  stderr(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Spawns `openclaw start ...args` in `cwd` (with `env` added to the clean environment);
 * resolves when it prints its ready line, rejects if it exits first.
 */
export async function spawnStart(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<StartedCli> {
  const child = spawn(process.execPath, [BIN, 'start', ...args], { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit');
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = /^OpenClaw Gateway ready at (http:\/\/127\.0\.0\.1:\d+\/graphql) \(GraphiQL: open it in a browser\)$/m.exec(stdout);
      if (ready?.[1]) resolve(ready[1]);
    });
    child.once('exit', (code) => reject(new Error(`openclaw start exited with ${code}: ${stderr}`)));
  });
  return {
    url,
    pid: child.pid ?? 0,
    stdout: () => stdout,
    stderr: () => stderr,
    async stop() {
      child.kill('SIGTERM');
      const [code] = await exited;
      return code as number | null;
    },
  };
}

/**
 * Resolves once `read()` (a child's output so far) matches `pattern`; fails after `ms`. A
 * child's stdout and stderr are separate pipes, so a line on one may arrive after a later line
 * on the other.
 */
export async function waitFor(read: () => string, pattern: RegExp, ms = 30_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const match = pattern.exec(read());
    if (match) return match;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)} in:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Temporary folders for one test file; `removeAll` in an `after` hook deletes them. */
export function tempDirs(prefix: string): { make(): Promise<string>; removeAll(): Promise<void> } {
  const dirs: string[] = [];
  return {
    async make() {
      const dir = await mkdtemp(join(tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    async removeAll() {
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

/**
 * Writes into `dir` a project with one GraphQL source whose SDL is a file, so that composing
 * it needs no running backend (and its URL, port 9, answers nothing).
 */
export async function writeHelloProject(dir: string): Promise<void> {
  await mkdir(join(dir, 'schema'));
  await mkdir(join(dir, 'sdl'));
  await writeFile(
    join(dir, 'schema', 'hello.graphql'),
    'extend schema @source(name: "hello", kind: GRAPHQL, url: "http://127.0.0.1:9/graphql", sdl: "../sdl/hello.graphql")\n',
  );
  await writeFile(join(dir, 'sdl', 'hello.graphql'), 'type Query { hello: String }\n');
}
