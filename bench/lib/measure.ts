/**
 * One measurement of one running gateway: for each repeat a fresh load of `connections`
 * clients, a warm-up, then a measured window in which the runner reads the gateway's CPU time
 * (its process tree, from /proc) and the backend calls at the window's edges while the load
 * is steady. Figures per repeat; the table shows their medians.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { GatewayProcess } from './gateway-process.js';
import { Load } from './load.js';
import { cpuMs, peakRssMb } from './proc.js';

/** Durations and load, from the command line. */
export interface MeasureOptions {
  warmupSeconds: number;
  measureSeconds: number;
  repeats: number;
  connections: number;
}

/** Backend calls, counted by whoever serves them. */
export interface CallCounter {
  reset(): Promise<void>;
  calls(): Promise<{ total: number }>;
}

/** The figures of one measured window. */
export interface Sample {
  rps: number;
  p50: number;
  p99: number;
  cpuMsPerRequest: number;
  callsPerRequest: number;
  requests: number;
  /** Responses that were not 2xx plus requests that got no response. */
  failed: number;
}

/** All repeats of one gateway, and its peak RSS over the whole run. */
export interface Measurement {
  samples: Sample[];
  /** Length of each measured window. */
  windowSeconds: number;
  median: Sample;
  peakRssMb: number;
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Field by field medians of `samples`. */
export function medianSample(samples: readonly Sample[]): Sample {
  const of = (field: keyof Sample): number => median(samples.map((sample) => sample[field]));
  return {
    rps: of('rps'),
    p50: of('p50'),
    p99: of('p99'),
    cpuMsPerRequest: of('cpuMsPerRequest'),
    callsPerRequest: of('callsPerRequest'),
    requests: of('requests'),
    failed: of('failed'),
  };
}

/**
 * Measures `gateway` under load of `body`, every request carrying `headers` (an API key, say);
 * throws when the gateway dies during it.
 */
export async function measure(gateway: GatewayProcess, body: string, counter: CallCounter, options: MeasureOptions, headers: Record<string, string> = {}): Promise<Measurement> {
  const samples: Sample[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat += 1) {
    const load = await Load.start({
      url: gateway.url,
      body,
      headers,
      connections: options.connections,
      maxSeconds: options.warmupSeconds + options.measureSeconds + 60,
    });
    try {
      await sleep(options.warmupSeconds * 1000);
      await counter.reset();
      await load.mark();
      const cpuBefore = cpuMs(gateway.pid);
      await sleep(options.measureSeconds * 1000);
      const cpuAfter = cpuMs(gateway.pid);
      const window = await load.report();
      const calls = await counter.calls();
      if (gateway.exited) throw new Error(`the gateway exited under load${gateway.output ? `: ${gateway.output.split('\n').slice(-3).join(' / ')}` : ''}`);
      const requests = Math.max(window.requests, 1);
      samples.push({
        rps: window.requests / window.seconds,
        p50: window.p50,
        p99: window.p99,
        cpuMsPerRequest: (cpuAfter - cpuBefore) / requests,
        callsPerRequest: calls.total / requests,
        requests: window.requests,
        failed: window.non2xx + window.errors,
      });
    } finally {
      await load.stop();
    }
  }
  return { samples, windowSeconds: options.measureSeconds, median: medianSample(samples), peakRssMb: peakRssMb(gateway.pid) };
}
