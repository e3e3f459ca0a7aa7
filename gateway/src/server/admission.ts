/**
 * Admission: how many GraphQL operations execute at once, adapted to the CPU.
 *
 * A request that executes holds its answer tree (every subgraph answer, merged) until its
 * response is written. When the process's one thread is saturated, admitting more requests
 * adds no throughput: they only take turns with the others, each stage waiting behind every
 * other request's, so every tree lives longer, and each young-generation garbage collection
 * copies all the trees still in flight. Measured on the federation benchmark (one core, 50
 * connections, BENCHMARKS.md): with every request admitted, garbage collection took 27 % of
 * the CPU; with admission, CPU per request fell from 2.02 to 1.52 ms and p99 latency from 194
 * to 142 ms, since the waiting moves from inside the gateway to before execution, where a
 * request holds nothing but itself.
 *
 * The limit adapts, so that a gateway waiting on slow backends (idle CPU) admits everything:
 * - up to `limit` requests execute; the others wait in arrival order;
 * - while `minConcurrent` or more execute, the event loop's utilisation is sampled every
 *   `sampleMs`: below `saturation`, with requests waiting, the limit doubles (idle CPU means
 *   what runs is waiting on I/O, so more may run); at or above it, the limit becomes a tenth
 *   less than what runs, never below `minConcurrent`;
 * - below `minConcurrent` nothing is sampled and admission is one counter increment.
 */
import { performance } from 'node:perf_hooks';

/** How admission behaves (`server.admission`, `server.minConcurrentRequests`). */
export interface AdmissionOptions {
  /** Requests that may always execute at once, however busy the CPU (default 8). */
  readonly minConcurrent: number;
  /** Event-loop utilisation (0 to 1) from which the CPU counts as saturated (default 0.9). */
  readonly saturation?: number;
  /** How often the utilisation is sampled while requests wait, in ms (default 20). */
  readonly sampleMs?: number;
  /** The utilisation since the previous call, from 0 to 1 (tests replace it). */
  readonly utilization?: () => number;
}

/** The largest limit: far above any real concurrency, so doubling stays finite. */
const MAX_LIMIT = 1 << 20;

/** Admits requests to execution; `acquire` before executing, `release` once the response is written. */
export interface Admission {
  /** Undefined when the request may execute now; else a promise that resolves when it may. */
  acquire(): Promise<void> | undefined;
  /** Frees the place of a request that has finished (exactly once per `acquire`). */
  release(): void;
  /** Requests executing and waiting, and the current limit (for tests and diagnostics). */
  readonly stats: { readonly running: number; readonly waiting: number; readonly limit: number };
}

/** Admits every request at once (`server.admission: 'off'`). */
export const ADMIT_ALL: Admission = {
  acquire: () => undefined,
  release: () => undefined,
  stats: { running: 0, waiting: 0, limit: Infinity },
};

function eventLoopUtilization(): () => number {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    return utilization;
  };
}

/** An adaptive admission (see the header). */
export function createAdmission(options: AdmissionOptions): Admission {
  const minConcurrent = Math.max(1, options.minConcurrent);
  const saturation = options.saturation ?? 0.9;
  const sampleMs = options.sampleMs ?? 20;
  const utilization = options.utilization ?? eventLoopUtilization();
  let limit = minConcurrent;
  let running = 0;
  const waiting: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;

  const watch = (): void => {
    if (timer !== undefined) return;
    utilization(); // the first sample measures from now
    timer = setInterval(sample, sampleMs);
    timer.unref();
  };

  const drain = (): void => {
    while (waiting.length > 0 && running < limit) {
      running++;
      waiting.shift()!();
    }
    if (timer !== undefined && waiting.length === 0 && running < minConcurrent) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  function sample(): void {
    if (utilization() < saturation) {
      // Idle CPU: what runs is waiting on I/O; let more run, if anyone asks.
      if (waiting.length > 0) limit = Math.min(MAX_LIMIT, limit * 2);
    } else {
      // Saturated: shrink from what actually runs, so a limit grown on slow backends comes
      // down at once when the work turns CPU-bound.
      limit = Math.max(minConcurrent, Math.floor(Math.min(limit, running) * 0.9));
    }
    drain();
  }

  return {
    acquire() {
      if (running >= minConcurrent) watch();
      if (running < limit) {
        running++;
        return undefined;
      }
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    release() {
      running--;
      drain();
    },
    get stats() {
      return { running, waiting: waiting.length, limit };
    },
  };
}
