/**
 * The results: Markdown sections printed as they are finished and, at the end, written with
 * the machine and the command to bench/results/<timestamp>.md. Gateway tables put every figure
 * next to its ratio to the floor measured in the same run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Measurement, Sample } from './measure.js';
import { describeMachine } from './machine.js';
import { RESULTS_DIR } from './paths.js';

/** One gateway's line in a table. */
export interface Row {
  label: string;
  version?: string;
  /** A failing gateway has a reason and no figures. */
  failure?: string;
  note?: string;
  measurement?: Measurement;
}

function fixed(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

function withRatio(value: number, base: number | undefined): string {
  if (base === undefined || !Number.isFinite(base) || base === 0 || !Number.isFinite(value)) return fixed(value);
  return `${fixed(value)} (${fixed(value / base)}×)`;
}

/**
 * A Markdown table of `rows`. With `base` (the floor's figures, or a direct client's), each
 * figure is followed by its ratio to the base's.
 */
export function gatewayTable(
  rows: readonly Row[],
  base?: { sample: Sample; rss: number; label: string },
  callsLabel = 'subgraph calls per request',
): string {
  const ratioNote = base ? ` (× ${base.label})` : '';
  const lines = [
    `| gateway | RPS${ratioNote} | p50 ms | p99 ms | CPU ms per request${ratioNote} | ${callsLabel} | peak RSS MB | notes |`,
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const name = row.version ? `${row.label} <sub>${row.version}</sub>` : row.label;
    if (row.failure !== undefined || !row.measurement) {
      lines.push(`| ${name} | **failing** | | | | | | ${(row.failure ?? 'not measured').replaceAll('|', '\\|').replaceAll('\n', ' ')} |`);
      continue;
    }
    const { median, peakRssMb, samples } = row.measurement;
    const b = base?.sample;
    const notes = [row.note ?? ''];
    if (median.failed > 0) notes.push(`${fixed(median.failed)} failed requests per window`);
    // A window only a few latencies long counts many requests half in, half out of it.
    if (median.p50 * 5 > row.measurement.windowSeconds * 1000) notes.push('window shorter than 5× p50: edge effects large, figures rough');
    if (samples.length > 1) notes.push(`CPU ms/req per repeat: ${samples.map((sample) => fixed(sample.cpuMsPerRequest)).join(', ')}`);
    lines.push(
      `| ${name} | ${withRatio(median.rps, b?.rps)} | ${withRatio(median.p50, b?.p50)} | ${withRatio(median.p99, b?.p99)} | ${withRatio(median.cpuMsPerRequest, b?.cpuMsPerRequest)} | ${withRatio(median.callsPerRequest, b?.callsPerRequest)} | ${withRatio(peakRssMb, base?.rss)} | ${notes.filter((note) => note !== '').join('; ')} |`,
    );
  }
  return lines.join('\n');
}

/** The run's report, built section by section. */
export class Report {
  readonly #sections: string[] = [];
  readonly #started = new Date();
  readonly #commandLine: string;

  constructor(commandLine: string) {
    this.#commandLine = commandLine;
  }

  /** Adds a section (Markdown) and prints it at once. */
  add(markdown: string): void {
    this.#sections.push(markdown.trim());
    process.stdout.write(`\n${markdown.trim()}\n\n`);
  }

  /** Writes the results file and returns its path. */
  write(): string {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const stamp = this.#started.toISOString().replace(/\.\d+Z$/, 'Z').replaceAll(':', '-');
    const file = join(RESULTS_DIR, `${stamp}.md`);
    const head = [
      `# Benchmark run, ${this.#started.toISOString()}`,
      '',
      `Command: \`${this.#commandLine}\``,
      '',
      ...describeMachine(),
    ];
    writeFileSync(file, `${[head.join('\n'), ...this.#sections].join('\n\n')}\n`);
    return file;
  }
}
