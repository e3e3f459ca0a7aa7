/**
 * The soak: OpenClaw (`start --supergraph`, the benchmark subgraphs) under steady load for a
 * long time, its resident memory (VmRSS of its process tree) sampled at an interval and
 * printed as a series, with a verdict on whether it stays flat after warm-up. Per-call
 * timeouts and AbortSignals have leaked memory in Node gateways before; this is the check.
 *
 * Verdict: a least-squares line through the samples after warm-up (the first fifth of the
 * run, at least two intervals); "flat" when it rises by less than 10 MB or 5 % of the median
 * over that span, whichever is larger.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchQuery, benchSupergraphSdl } from '../../subgraphs/bench/server.js';
import { fetchAndCheck } from '../lib/answer.js';
import { BenchSubgraphsProcess } from '../lib/backends.js';
import { freePort } from '../lib/gateway-process.js';
import type { Harness } from '../lib/harness.js';
import { Load } from '../lib/load.js';
import { median } from '../lib/measure.js';
import { failureReason, startOpenClaw } from '../lib/openclaw.js';
import { workloadFile } from '../lib/paths.js';
import { pin, rssMb } from '../lib/proc.js';

interface Point {
  seconds: number;
  rss: number;
  rps: number;
  failed: number;
}

/** Slope (MB per second) of the least-squares line through `points`. */
function slope(points: readonly Point[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, point) => sum + point.seconds, 0) / n;
  const meanY = points.reduce((sum, point) => sum + point.rss, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const point of points) {
    numerator += (point.seconds - meanX) * (point.rss - meanY);
    denominator += (point.seconds - meanX) ** 2;
  }
  return denominator === 0 ? 0 : numerator / denominator;
}

/** The verdict line for a series, given the warm-up length. */
export function soakVerdict(points: readonly Point[], warmupSeconds: number): string {
  const steady = points.filter((point) => point.seconds >= warmupSeconds);
  if (steady.length < 3) return 'too few samples after warm-up for a verdict: run longer or sample more often';
  const span = (steady.at(-1) as Point).seconds - (steady[0] as Point).seconds;
  const rise = slope(steady) * span;
  const typical = median(steady.map((point) => point.rss));
  const allowed = Math.max(10, 0.05 * typical);
  const range = `${Math.min(...steady.map((point) => point.rss)).toFixed(0)}–${Math.max(...steady.map((point) => point.rss)).toFixed(0)} MB`;
  const trend = `trend ${rise >= 0 ? '+' : ''}${rise.toFixed(1)} MB over ${(span / 60).toFixed(1)} min after warm-up (${range})`;
  return rise < allowed ? `**flat**: ${trend}, under the ${allowed.toFixed(0)} MB allowed` : `**growing**: ${trend}, more than the ${allowed.toFixed(0)} MB allowed`;
}

/** Runs the soak and adds its series and verdict to the report. */
export async function runSoak(harness: Harness): Promise<void> {
  const { options } = harness;
  const subgraphs = await BenchSubgraphsProcess.start();
  if (harness.otherCpus !== null) pin(subgraphs.pid, harness.otherCpus);
  const length = options.soakSeconds < 120 ? `${options.soakSeconds} s` : `${+(options.soakSeconds / 60).toFixed(1)} min`;
  const title = `## Soak: OpenClaw \`start --supergraph\` (engine: ${options.engine}), ${length} of load`;
  try {
    const supergraph = join(harness.workDir, 'supergraph.graphql');
    writeFileSync(supergraph, benchSupergraphSdl(subgraphs.url));
    let started;
    try {
      started = await startOpenClaw({ engine: options.engine, port: await freePort(), workDir: harness.workDir, supergraph }, harness.gatewayCpus);
    } catch (error) {
      harness.report.add(`${title}\n\n**failing**: ${failureReason(error)}`);
      return;
    }
    const { gateway, note } = started;
    const body = JSON.stringify(benchQuery());
    const points: Point[] = [];
    try {
      const expected = JSON.parse(readFileSync(workloadFile('expected-response.json'), 'utf8')) as unknown;
      const check = await fetchAndCheck(gateway.url, body, expected);
      if (!check.ok) {
        harness.report.add(`${title}\n\n**failing**: wrong answer, not soaked: ${check.detail}`);
        return;
      }
      process.stdout.write(`\nSoak: ${options.soakSeconds} s, RSS every ${options.soakIntervalSeconds} s\n`);
      const load = await Load.start({ url: gateway.url, body, connections: options.connections, maxSeconds: options.soakSeconds + 60 });
      const start = Date.now();
      try {
        points.push({ seconds: 0, rss: rssMb(gateway.pid), rps: 0, failed: 0 });
        while ((Date.now() - start) / 1000 < options.soakSeconds - 0.5) {
          const next = start + (points.length * options.soakIntervalSeconds * 1000);
          await sleep(Math.max(0, Math.min(next, start + options.soakSeconds * 1000) - Date.now()));
          if (gateway.exited) throw new Error('the gateway exited during the soak');
          const window = await load.report(true);
          const point = { seconds: (Date.now() - start) / 1000, rss: rssMb(gateway.pid), rps: window.requests / window.seconds, failed: window.non2xx + window.errors };
          points.push(point);
          process.stdout.write(`  ${point.seconds.toFixed(0).padStart(5)} s  RSS ${point.rss.toFixed(0)} MB  ${point.rps.toFixed(0)} RPS\n`);
        }
      } finally {
        await load.stop();
      }
    } catch (error) {
      harness.report.add(`${title}\n\n**failing**: ${failureReason(error)}`);
      return;
    } finally {
      await gateway.stop();
    }
    const warmup = Math.max(2 * options.soakIntervalSeconds, options.soakSeconds / 5);
    harness.report.add(
      [
        title,
        '',
        `${options.connections} connections sending the benchmark query; RSS (VmRSS of the gateway's process tree) every ${options.soakIntervalSeconds} s; warm-up: the first ${warmup} s.${note ? ` Note: ${note}.` : ''}`,
        '',
        `Verdict: ${soakVerdict(points, warmup)}.`,
        '',
        '| t (s) | RSS MB | RPS in the interval | failed requests |',
        '|---|---|---|---|',
        ...points.map((point) => `| ${point.seconds.toFixed(0)} | ${point.rss.toFixed(1)} | ${point.rps.toFixed(0)} | ${point.failed} |`),
        '',
        `Series (MB): ${points.map((point) => point.rss.toFixed(0)).join(' ')}`,
      ].join('\n'),
    );
  } finally {
    await subgraphs.stop();
  }
}
