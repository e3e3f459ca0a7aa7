/**
 * A gateway under test: a process started pinned to its cores (`taskset -c`), on a port chosen
 * by the runner, and ready once its GraphQL endpoint answers. A gateway that exits or never
 * answers is a failure with the tail of its output, not a crash of the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { processTree } from './proc.js';

/** How to start one gateway. */
export interface LaunchSpec {
  /** The command and its arguments (run under `taskset -c <cpus>` unless cpus is null). */
  argv: string[];
  env?: Record<string, string | undefined>;
  cwd: string;
  /** The URL of its GraphQL endpoint. */
  url: string;
}

/** A free TCP port on loopback, as the OS hands it out. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no port from the OS');
  return address.port;
}

/** The message of a failed start: what happened, then the tail of the gateway's output. */
export class StartFailure extends Error {
  readonly output: string;

  constructor(message: string, output: string) {
    super(message);
    this.name = 'StartFailure';
    this.output = output;
  }
}

/** A started gateway. */
export class GatewayProcess {
  readonly url: string;
  readonly child: ChildProcess;
  #output = '';

  private constructor(child: ChildProcess, url: string) {
    this.child = child;
    this.url = url;
    const keep = (chunk: Buffer): void => {
      this.#output = (this.#output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  /** The process id whose tree is measured (taskset execs the command, so it is the gateway's). */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  get output(): string {
    return this.#output.trim();
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /**
   * Starts `spec` on `cpus` and waits until a POST of `{ __typename }` gets any HTTP answer.
   * Throws {@link StartFailure} when the process exits first or `timeoutMs` passes.
   */
  static async start(spec: LaunchSpec, cpus: string | null, timeoutMs = 90_000): Promise<GatewayProcess> {
    const [command, ...args] = cpus === null ? spec.argv : ['taskset', '-c', cpus, ...spec.argv];
    const child = spawn(command ?? 'false', args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const gateway = new GatewayProcess(child, spec.url);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (gateway.exited) {
        throw new StartFailure(`exited during start-up (${child.signalCode ?? `code ${child.exitCode}`})`, gateway.output);
      }
      try {
        const response = await fetch(spec.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: '{"query":"{ __typename }"}',
          signal: AbortSignal.timeout(2000),
        });
        await response.arrayBuffer();
        return gateway;
      } catch {
        await sleep(250);
      }
    }
    await gateway.stop();
    throw new StartFailure(`did not answer at ${spec.url} within ${timeoutMs / 1000} s`, gateway.output);
  }

  /**
   * SIGTERM, then SIGKILL after `graceMs`; processes the gateway forked and left behind are
   * ended too (by their ids, read from /proc before the signal).
   */
  async stop(graceMs = 15_000): Promise<void> {
    const tree = this.pid ? processTree(this.pid).slice(1) : [];
    if (!this.exited) {
      const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }
    for (const pid of tree) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }
}
