/**
 * The load generator as the runner sees it: autocannon in its own process (peers/load.mjs),
 * one continuous load per measurement, with windows marked inside it. Reading the gateway's
 * CPU, the subgraph calls and the responses over the same window, while the load is steady,
 * keeps the ramp-up and the requests still in flight at the end out of every figure.
 */
import { Helper, numberField } from './ipc.js';

/** What one window of load saw, from the client's side. */
export interface WindowReport {
  seconds: number;
  /** Responses received in the window (any status). */
  requests: number;
  ok: number;
  non2xx: number;
  /** Requests that failed without a response (connection errors, timeouts). */
  errors: number;
  timeouts: number;
  bytes: number;
  p50: number;
  p99: number;
  max: number;
}

/** How to load a gateway. */
export interface LoadOptions {
  url: string;
  body: string;
  headers?: Record<string, string>;
  connections: number;
  /** The load stops by itself after this long even if the runner never says stop. */
  maxSeconds: number;
  /** Per-request timeout; a slower answer counts as an error. */
  timeoutSeconds?: number;
}

/** A running load. */
export class Load {
  readonly #helper: Helper;

  private constructor(helper: Helper) {
    this.#helper = helper;
  }

  /** Starts the load generator process and the load. */
  static async start(options: LoadOptions): Promise<Load> {
    const { helper } = await Helper.start('load generator', 'peers/load.mjs', [], 30_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\n(the load generator needs bench/peers/node_modules: npm ci --prefix bench/peers)`);
    });
    await helper.ask(
      {
        type: 'start',
        url: options.url,
        body: options.body,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...options.headers },
        connections: options.connections,
        maxSeconds: Math.ceil(options.maxSeconds),
        timeoutSeconds: options.timeoutSeconds ?? 30,
      },
      'started',
    );
    return new Load(helper);
  }

  /** Starts a new window now. */
  async mark(): Promise<void> {
    await this.#helper.ask({ type: 'mark' }, 'marked');
  }

  /** The window so far; with `reset`, a new window starts right after it. */
  async report(reset = false): Promise<WindowReport> {
    const message = await this.#helper.ask({ type: 'report', reset }, 'report');
    const field = (name: string): number => numberField(message, name);
    return {
      seconds: field('seconds'),
      requests: field('requests'),
      ok: field('ok'),
      non2xx: field('non2xx'),
      errors: field('errors'),
      timeouts: field('timeouts'),
      bytes: field('bytes'),
      p50: field('p50'),
      p99: field('p99'),
      max: field('max'),
    };
  }

  /** Stops the load and waits for the requests in flight to end (or the timeout to pass). */
  async stop(): Promise<void> {
    try {
      await this.#helper.ask({ type: 'stop' }, 'done', 40_000);
    } catch {
      // Already gone, or stuck: stop() below ends it either way.
    }
    await this.#helper.stop();
  }
}
