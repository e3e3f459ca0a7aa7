/**
 * The federation workload: the public gateway benchmark's query over its four subgraphs, sent
 * to the floor, OpenClaw and its peers one at a time, each pinned to the gateway core. Every
 * gateway's answer is checked against the reference before it is timed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchQuery, benchSupergraphSdl } from '../../subgraphs/bench/server.js';
import { fetchAndCheck } from '../lib/answer.js';
import { BenchSubgraphsProcess } from '../lib/backends.js';
import { CONTENDERS, type Contender, type Mode } from '../lib/contenders.js';
import { freePort, type GatewayProcess } from '../lib/gateway-process.js';
import { describeLoad, type Harness } from '../lib/harness.js';
import { measure } from '../lib/measure.js';
import { failureReason } from '../lib/openclaw.js';
import { workloadFile } from '../lib/paths.js';
import { busiestProfile, profilesIn, topSelfTime } from '../lib/profile.js';
import { pin } from '../lib/proc.js';
import { gatewayTable, type Row } from '../lib/report.js';

/** Subgraph calls per request of the ideal plan (floor-plan.jsonl). */
const PLAN_CALLS = 7;

const MODE_TITLES: Record<Mode, string> = {
  a: 'Mode (a): the identical query, every gateway with its defaults (deduplication allowed)',
  b: 'Mode (b): every deduplication switched off; each request makes all its subgraph calls',
};

function fixedCalls(value: number): string {
  return value.toFixed(2);
}

/** Runs `check` twice: a gateway must answer right more than once (caches, warm paths). */
async function checkTwice(gateway: GatewayProcess, body: string, expected: unknown, headers: Record<string, string> = {}): Promise<{ ok: boolean; detail: string }> {
  const first = await fetchAndCheck(gateway.url, body, expected, headers);
  if (!first.ok) return first;
  return fetchAndCheck(gateway.url, body, expected, headers);
}

/**
 * Subgraph calls per request when `count` identical requests arrive at once: exact (no window
 * edges), and the case in-flight deduplication serves. Used to tell whether mode (b) holds.
 */
async function burstCallsPerRequest(gateway: GatewayProcess, body: string, subgraphs: BenchSubgraphsProcess, count: number, headers: Record<string, string>): Promise<number> {
  await subgraphs.reset();
  await Promise.all(Array.from({ length: count }, () => fetchAndCheck(gateway.url, body, null, headers)));
  return (await subgraphs.calls()).total / count;
}

async function measureContender(harness: Harness, contender: Contender, mode: Mode, context: Shared): Promise<Row> {
  const row: Row = { label: contender.label, version: contender.version() };
  const port = await freePort();
  let started: { gateway: GatewayProcess; note: string; headers?: Record<string, string> };
  try {
    started = await contender.start({ port, mode, ...context.start, cpus: harness.gatewayCpus });
  } catch (error) {
    return { ...row, failure: failureReason(error) };
  }
  const { gateway, note, headers = {} } = started;
  try {
    const check = await checkTwice(gateway, context.body, context.expected, headers);
    if (!check.ok) return { ...row, failure: `wrong answer, not timed: ${check.detail}` };
    const burst = await burstCallsPerRequest(gateway, context.body, context.subgraphs, harness.options.connections, headers);
    process.stdout.write(`  measuring ${contender.id} (mode ${mode})\n`);
    const measurement = await measure(gateway, context.body, context.subgraphs, harness.options, headers);
    const notes = [note, check.detail];
    if (burst < PLAN_CALLS - 0.01) {
      const verdict = mode === 'b' ? ': still shares calls between requests, so this is not a mode (b) figure' : '';
      notes.push(`${fixedCalls(burst)} subgraph calls per request for ${harness.options.connections} identical requests at once${verdict}`);
    }
    return { ...row, measurement, note: notes.filter((text) => text !== '').join('; ') };
  } catch (error) {
    return { ...row, failure: failureReason(error) };
  } finally {
    await gateway.stop();
  }
}

interface Shared {
  body: string;
  expected: unknown;
  subgraphs: BenchSubgraphsProcess;
  start: { supergraphFile: string; subgraphsUrl: string; workDir: string };
}

/** One profiled run of an OpenClaw contender (mode b); the top self-time entries as Markdown. */
async function profileContender(harness: Harness, contender: Contender, context: Shared): Promise<string> {
  const dir = join(harness.profileDir, contender.id);
  const port = await freePort();
  try {
    const { gateway, headers = {} } = await contender.start({ port, mode: 'b', ...context.start, cpus: harness.gatewayCpus, profileDir: dir });
    try {
      const check = await checkTwice(gateway, context.body, context.expected, headers);
      if (!check.ok) return `${contender.label}: wrong answer, not profiled (${check.detail}).`;
      await measure(gateway, context.body, context.subgraphs, { ...harness.options, repeats: 1 }, headers);
    } finally {
      await gateway.stop();
    }
  } catch (error) {
    return `${contender.label}: ${failureReason(error)}`;
  }
  const file = busiestProfile(profilesIn(dir));
  if (!file) return `${contender.label}: no profile was written (the process must exit normally on SIGTERM).`;
  return `**${contender.label}** (\`${file}\`, main thread over the process's whole life: start-up, warm-up and one measured window)\n\n${topSelfTime(file)}`;
}

/** Runs the federation workload and adds its tables to the report. */
export async function runFederation(harness: Harness): Promise<void> {
  const { options } = harness;
  const contenders = CONTENDERS.filter((contender) => options.only.length === 0 || options.only.includes(contender.id));

  const subgraphs = await BenchSubgraphsProcess.start();
  if (harness.otherCpus !== null) pin(subgraphs.pid, harness.otherCpus);
  try {
    const supergraphFile = join(harness.workDir, 'supergraph.graphql');
    writeFileSync(supergraphFile, benchSupergraphSdl(subgraphs.url));
    const context: Shared = {
      body: JSON.stringify(benchQuery()),
      expected: JSON.parse(readFileSync(workloadFile('expected-response.json'), 'utf8')) as unknown,
      subgraphs,
      start: { supergraphFile, subgraphsUrl: subgraphs.url, workDir: harness.workDir },
    };
    for (const mode of options.modes) {
      process.stdout.write(`\nFederation workload, mode (${mode})\n`);
      const rows: Array<Row & { id: string }> = [];
      for (const contender of contenders) rows.push({ id: contender.id, ...(await measureContender(harness, contender, mode, context)) });
      const floor = rows.find((row) => row.id === 'floor')?.measurement;
      harness.report.add(
        [
          `## Federation workload: ${MODE_TITLES[mode]}`,
          '',
          `The public gateway benchmark's query (about 87 KB answer) over its four subgraphs; ${describeLoad(options)}. ` +
            `Gateway on core ${harness.gatewayCpus ?? '(unpinned)'}; subgraphs, load generator and runner on core ${harness.otherCpus ?? '(unpinned)'}. ` +
            `Every answer was checked against bench/workload/expected-response.json before timing.` +
            (floor ? ' In brackets: the ratio to the floor, measured in the same run.' : ''),
          '',
          gatewayTable(rows, floor ? { sample: floor.median, rss: floor.peakRssMb, label: 'floor' } : undefined),
        ].join('\n'),
      );
    }
    if (options.profile) {
      const profiled: string[] = [];
      for (const contender of contenders.filter((candidate) => candidate.ours)) {
        process.stdout.write(`  profiling ${contender.id}\n`);
        profiled.push(await profileContender(harness, contender, context));
      }
      harness.report.add(['## CPU profiles (mode b, `node --cpu-prof`), top self time', ...profiled].join('\n\n'));
    }
  } finally {
    await subgraphs.stop();
  }
}
