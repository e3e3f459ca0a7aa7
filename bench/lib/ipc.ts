/**
 * Talking to the benchmark's helper processes (backends, load generator) over Node's IPC
 * channel: one question, one answer of an expected type, with a deadline so that a helper that
 * died or hangs fails the run with a message instead of stalling it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A message on the channel: an object with a `type`. */
export interface Message {
  type: string;
  [key: string]: unknown;
}

function isMessage(value: unknown): value is Message {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

/** A helper process reached over IPC. */
export class Helper {
  readonly name: string;
  readonly child: ChildProcess;
  #output = '';

  private constructor(name: string, child: ChildProcess) {
    this.name = name;
    this.child = child;
    const keep = (chunk: Buffer): void => {
      this.#output = (this.#output + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  /**
   * Forks `script` (a path relative to the bench folder; `.ts` runs under tsx) and waits for
   * its first message of type `ready`.
   */
  static async start(name: string, script: string, args: string[] = [], timeoutMs = 60_000): Promise<{ helper: Helper; ready: Message }> {
    const path = fileURLToPath(new URL(`../${script}`, import.meta.url));
    const child = fork(path, args, {
      execArgv: path.endsWith('.ts') ? ['--import', 'tsx'] : [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const helper = new Helper(name, child);
    const ready = await helper.next('ready', timeoutMs);
    return { helper, ready };
  }

  /** The last few KB the helper printed, for failure messages. */
  get output(): string {
    return this.#output.trim();
  }

  /** Waits for the next message of `type`; rejects when the helper exits or the deadline passes. */
  next(type: string, timeoutMs = 60_000): Promise<Message> {
    return new Promise((resolve, reject) => {
      const onMessage = (message: unknown): void => {
        if (!isMessage(message)) return;
        if (message.type === 'error') {
          done();
          reject(new Error(`${this.name}: ${String(message.message)}`));
        } else if (message.type === type) {
          done();
          resolve(message);
        }
      };
      const onExit = (code: number | null, signal: string | null): void => {
        done();
        reject(new Error(`${this.name} exited (${signal ?? `code ${code}`}) while the runner waited for "${type}"${this.output ? `:\n${this.output}` : ''}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${this.name} did not answer "${type}" within ${timeoutMs} ms${this.output ? `:\n${this.output}` : ''}`));
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.on('exit', onExit);
    });
  }

  /** Sends `message` and waits for the answer of type `answer`. */
  async ask(message: Message, answer: string, timeoutMs = 60_000): Promise<Message> {
    const reply = this.next(answer, timeoutMs);
    this.child.send(message);
    return reply;
  }

  /** Ends the helper: disconnects, then SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    if (this.child.connected) this.child.disconnect();
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }
}

/** A number field of an answer, or an error naming the helper and the field. */
export function numberField(message: Message, field: string): number {
  const value = message[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`${message.type}: field "${field}" is not a number`);
  return value;
}
