/**
 * What every workload of a run shares: the options, the report, the cores each side runs on,
 * and a scratch folder for generated config files.
 */
import type { BenchOptions } from './options.js';
import type { Report } from './report.js';

/** The run as a workload sees it. */
export interface Harness {
  options: BenchOptions;
  report: Report;
  /** `taskset` list for a gateway under test ("0"), or null when nothing is pinned. */
  gatewayCpus: string | null;
  /** `taskset` list for the backends, load generator and runner ("1"), or null. */
  otherCpus: string | null;
  /** Scratch folder (configs, supergraph files); removed at the end. */
  workDir: string;
  /** Folder for this run's CPU profiles, under bench/results/. */
  profileDir: string;
}

/** "1 s warm-up, 3 s measured, 1 repeat, 50 connections" */
export function describeLoad(options: BenchOptions): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${options.warmupSeconds} s warm-up, ${options.measureSeconds} s measured, ${plural(options.repeats, 'repeat')} (medians), ${options.connections} connections`;
}
