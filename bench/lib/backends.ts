/**
 * The backends as the runner sees them: helper processes on the runner's core that report how
 * many calls they received. The benchmark's subgraphs count per subgraph; the demo backends
 * also list the operations of each call, so that a workload can check two clients made the
 * same calls.
 */
import { Helper, numberField, type Message } from './ipc.js';

/** Calls received since the last reset. */
export interface CallCount {
  total: number;
  bySubgraph: Record<string, number>;
}

function countsOf(message: Message): Record<string, number> {
  const raw = message.bySubgraph;
  const out: Record<string, number> = {};
  if (typeof raw === 'object' && raw !== null) {
    for (const [name, value] of Object.entries(raw)) if (typeof value === 'number') out[name] = value;
  }
  return out;
}

/** The four benchmark subgraphs under one port. */
export class BenchSubgraphsProcess {
  readonly url: string;
  readonly #helper: Helper;

  private constructor(helper: Helper, url: string) {
    this.#helper = helper;
    this.url = url;
  }

  /** Starts them; `url` is the base the supergraph is pointed at. */
  static async start(): Promise<BenchSubgraphsProcess> {
    const { helper, ready } = await Helper.start('bench subgraphs', 'servers/bench-subgraphs.ts');
    return new BenchSubgraphsProcess(helper, String(ready.url));
  }

  /** The process id, to pin it. */
  get pid(): number {
    return this.#helper.child.pid ?? 0;
  }

  async reset(): Promise<void> {
    await this.#helper.ask({ type: 'reset' }, 'reset');
  }

  async calls(): Promise<CallCount> {
    const message = await this.#helper.ask({ type: 'calls' }, 'calls');
    return { total: numberField(message, 'total'), bySubgraph: countsOf(message) };
  }

  async stop(): Promise<void> {
    await this.#helper.stop();
  }
}

/** The five demo backends (subgraphs/index.ts), each on its own port. */
export class DemoBackendsProcess {
  /** Source URL per backend, as a gateway config takes it. */
  readonly urls: Record<string, string>;
  readonly #helper: Helper;

  private constructor(helper: Helper, urls: Record<string, string>) {
    this.#helper = helper;
    this.urls = urls;
  }

  static async start(): Promise<DemoBackendsProcess> {
    const { helper, ready } = await Helper.start('demo backends', 'servers/demo-backends.ts');
    const urls: Record<string, string> = {};
    if (typeof ready.urls === 'object' && ready.urls !== null) {
      for (const [name, url] of Object.entries(ready.urls)) urls[name] = String(url);
    }
    return new DemoBackendsProcess(helper, urls);
  }

  get pid(): number {
    return this.#helper.child.pid ?? 0;
  }

  async reset(): Promise<void> {
    await this.#helper.ask({ type: 'reset' }, 'reset');
  }

  async calls(): Promise<CallCount> {
    const message = await this.#helper.ask({ type: 'calls' }, 'calls');
    return { total: numberField(message, 'total'), bySubgraph: countsOf(message) };
  }

  /** The operations received since the last reset, `backend operation`, sorted. */
  async operations(): Promise<string[]> {
    const message = await this.#helper.ask({ type: 'operations' }, 'operations');
    return Array.isArray(message.operations) ? message.operations.map(String).sort() : [];
  }

  async stop(): Promise<void> {
    await this.#helper.stop();
  }
}
