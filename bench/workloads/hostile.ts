/**
 * Hostile documents (`npm run bench -- hostile`): OpenClaw on the demo graph (schema/, the demo
 * backends, default settings) with a steady client sending a normal operation, first alone,
 * then while each hostile document of bench/lib/hostile-documents.ts is sent in turn. Reports
 * the steady client's p50, p99 and max without and during the attack, and each hostile
 * document's status and response time. Target: each refused in under 100 ms, and the steady
 * client's p99 during the attack close to its p99 without (one request never blocks the event
 * loop for more than a few milliseconds).
 *
 * The steady client is in this process (fetch, a few connections in a loop), so the command
 * needs no peers. Its latency includes this process's own scheduling; the runner is pinned to
 * the other core than the gateway.
 */
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DemoBackendsProcess } from '../lib/backends.js';
import { freePort } from '../lib/gateway-process.js';
import type { Harness } from '../lib/harness.js';
import { HOSTILE_DOCUMENTS } from '../lib/hostile-documents.js';
import { failureReason, startOpenClaw } from '../lib/openclaw.js';
import { REPO_DIR } from '../lib/paths.js';
import { pin } from '../lib/proc.js';

const STEADY = JSON.stringify({ query: '{ topProducts(first: 3) { name price inStock } }' });
const STEADY_CONNECTIONS = 4;

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

interface Latencies {
  count: number;
  failed: number;
  p50: number;
  p99: number;
  max: number;
}

function summarise(samples: readonly number[], failed: number): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  return { count: sorted.length, failed, p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99), max: sorted.at(-1) ?? NaN };
}

/** A client sending `body` on `connections` loops until stopped, recording each latency. */
class SteadyClient {
  private running = true;
  private samples: number[] = [];
  private failed = 0;
  private readonly loops: Array<Promise<void>>;

  constructor(private readonly url: string, connections: number) {
    this.loops = Array.from({ length: connections }, () => this.loop());
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const started = performance.now();
      try {
        const response = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: STEADY });
        const text = await response.text();
        if (response.status !== 200 || text.includes('"errors"')) this.failed++;
      } catch {
        this.failed++;
      }
      this.samples.push(performance.now() - started);
    }
  }

  /** The window since the last call, and a new one started. */
  window(): Latencies {
    const summary = summarise(this.samples, this.failed);
    this.samples = [];
    this.failed = 0;
    return summary;
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }
}

interface HostileRow {
  name: string;
  what: string;
  status: number;
  expected: string;
  ok: boolean;
  median: number;
  max: number;
}

async function sendHostile(url: string, body: string): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}

const ms = (value: number): string => (Number.isNaN(value) ? '-' : value.toFixed(1));

/** Runs the hostile-documents workload and adds its tables to the report. */
export async function runHostile(harness: Harness): Promise<void> {
  const { options } = harness;
  const title = '## Hostile documents: refusals, and a steady client\'s latency during the attack';
  const backends = await DemoBackendsProcess.start();
  if (harness.otherCpus !== null) pin(backends.pid, harness.otherCpus);
  try {
    const sources = Object.fromEntries(Object.entries(backends.urls).map(([name, url]) => [name, { url }]));
    let started;
    try {
      started = await startOpenClaw({ engine: 'default', port: await freePort(), workDir: harness.workDir, config: { schema: join(REPO_DIR, 'schema'), sources } }, harness.gatewayCpus);
    } catch (error) {
      harness.report.add(`${title}\n\n**failing**: ${failureReason(error)}`);
      return;
    }
    const { gateway } = started;
    const rows: HostileRow[] = [];
    let baseline: Latencies;
    let attacked: Latencies;
    const rounds = options.quick ? 3 : 10;
    try {
      process.stdout.write('\nHostile documents\n');
      const steady = new SteadyClient(gateway.url, STEADY_CONNECTIONS);
      try {
        await sleep(options.warmupSeconds * 1000);
        steady.window();
        await sleep(options.measureSeconds * 1000);
        baseline = steady.window();
        process.stdout.write(`  steady alone: p99 ${ms(baseline.p99)} ms\n`);
        const times = new Map<string, number[]>(HOSTILE_DOCUMENTS.map((hostile) => [hostile.name, []]));
        const statuses = new Map<string, number>();
        const named = new Map<string, boolean>(HOSTILE_DOCUMENTS.map((hostile) => [hostile.name, true]));
        const attackStart = performance.now();
        // The documents in turn, round after round, for at least the measured window.
        for (let round = 0; round < rounds || performance.now() - attackStart < options.measureSeconds * 1000; round++) {
          for (const hostile of HOSTILE_DOCUMENTS) {
            const answer = await sendHostile(gateway.url, hostile.body);
            times.get(hostile.name)?.push(answer.ms);
            statuses.set(hostile.name, answer.status);
            const code = (JSON.parse(answer.text) as { errors?: Array<{ extensions?: { code?: string } }> }).errors?.[0]?.extensions?.code;
            if (answer.status !== hostile.status || code !== hostile.code || !answer.text.includes(hostile.key)) named.set(hostile.name, false);
          }
        }
        attacked = steady.window();
        for (const hostile of HOSTILE_DOCUMENTS) {
          const sorted = [...(times.get(hostile.name) ?? [])].sort((a, b) => a - b);
          rows.push({
            name: hostile.name,
            what: hostile.what,
            status: statuses.get(hostile.name) ?? 0,
            expected: `${hostile.status} ${hostile.code}${hostile.key === '' ? '' : `, ${hostile.key}`}`,
            ok: named.get(hostile.name) ?? false,
            median: quantile(sorted, 0.5),
            max: sorted.at(-1) ?? NaN,
          });
        }
      } finally {
        await steady.stop();
      }
    } catch (error) {
      harness.report.add(`${title}\n\n**failing**: ${failureReason(error)}`);
      return;
    } finally {
      await gateway.stop();
    }
    const verdict = rows.every((row) => row.ok && row.median < 100) ? '**every hostile document refused as documented, each in under 100 ms (median)**' : '**some hostile document was not refused as documented or took 100 ms or more**';
    harness.report.add(
      [
        title,
        '',
        `OpenClaw on schema/ with default settings (operation limits on), the demo backends on core ${harness.otherCpus ?? '(unpinned)'}, the gateway on core ${harness.gatewayCpus ?? '(unpinned)'}. ` +
          `A steady client (${STEADY_CONNECTIONS} connections in a loop, \`${JSON.parse(STEADY).query}\`) runs alone for ${options.measureSeconds} s, then while every hostile document is sent in turn (one at a time, at least ${rounds} rounds and ${options.measureSeconds} s).`,
        '',
        '| steady client | requests | failed | p50 ms | p99 ms | max ms |',
        '|---|---|---|---|---|---|',
        `| without the attack | ${baseline.count} | ${baseline.failed} | ${ms(baseline.p50)} | ${ms(baseline.p99)} | ${ms(baseline.max)} |`,
        `| during the attack | ${attacked.count} | ${attacked.failed} | ${ms(attacked.p50)} | ${ms(attacked.p99)} | ${ms(attacked.max)} |`,
        '',
        '| hostile document | what | answer | expected | as documented | median ms | max ms |',
        '|---|---|---|---|---|---|---|',
        ...rows.map((row) => `| ${row.name} | ${row.what} | ${row.status} | ${row.expected} | ${row.ok ? 'yes' : '**no**'} | ${ms(row.median)} | ${ms(row.max)} |`),
        '',
        `Verdict: ${verdict}.`,
      ].join('\n'),
    );
  } finally {
    await backends.stop();
  }
}
