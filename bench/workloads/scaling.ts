/**
 * Worker scaling: OpenClaw with one process, then with `openclaw start --workers 2`, on the
 * benchmark query. With four cores or more the gateway gets cores 0 and 1 for both runs and
 * everything else the rest, so the second worker has a core of its own. With two cores there
 * is none to spare: every process (the gateway's, the subgraphs', the load generator's) may
 * use both, and the figure says only whether a second worker adds throughput here. A build
 * without `--workers` is reported as such.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { benchQuery, benchSupergraphSdl } from '../../subgraphs/bench/server.js';
import { fetchAndCheck } from '../lib/answer.js';
import { BenchSubgraphsProcess } from '../lib/backends.js';
import { freePort } from '../lib/gateway-process.js';
import { describeLoad, type Harness } from '../lib/harness.js';
import { measure } from '../lib/measure.js';
import { failureReason, startOpenClaw } from '../lib/openclaw.js';
import { workloadFile } from '../lib/paths.js';
import { pin } from '../lib/proc.js';
import { gatewayTable, type Row } from '../lib/report.js';

/** Runs OpenClaw with 1 and 2 workers and adds the comparison to the report. */
export async function runScaling(harness: Harness): Promise<void> {
  const { options } = harness;
  const count = cpus().length;
  const all = cpus().map((_, index) => index).join(',');
  const spare = harness.gatewayCpus !== null && count >= 4;
  const gatewayCpus = spare ? '0,1' : all;
  const otherCpus = spare ? cpus().slice(2).map((_, index) => index + 2).join(',') : all;
  const subgraphs = await BenchSubgraphsProcess.start();
  // The runner's own pin (inherited by the load generator) is restored after.
  pin(subgraphs.pid, otherCpus);
  pin(process.pid, otherCpus);
  const rows: Row[] = [];
  try {
    const supergraph = join(harness.workDir, 'supergraph.graphql');
    writeFileSync(supergraph, benchSupergraphSdl(subgraphs.url));
    const body = JSON.stringify(benchQuery());
    const expected = JSON.parse(readFileSync(workloadFile('expected-response.json'), 'utf8')) as unknown;
    process.stdout.write('\nScaling: 1 and 2 workers\n');
    for (const workers of [1, 2]) {
      const label = workers === 1 ? 'OpenClaw, one process' : 'OpenClaw `--workers 2`';
      let started;
      try {
        started = await startOpenClaw(
          { engine: options.engine, port: await freePort(), workDir: harness.workDir, supergraph, ...(workers > 1 ? { workers } : {}) },
          gatewayCpus,
        );
      } catch (error) {
        rows.push({ label, failure: failureReason(error) });
        continue;
      }
      const { gateway, note } = started;
      try {
        const check = await fetchAndCheck(gateway.url, body, expected);
        if (!check.ok) {
          rows.push({ label, failure: `wrong answer, not timed: ${check.detail}` });
          continue;
        }
        process.stdout.write(`  measuring ${label}\n`);
        rows.push({ label, measurement: await measure(gateway, body, subgraphs, options), note });
      } catch (error) {
        rows.push({ label, failure: failureReason(error) });
      } finally {
        await gateway.stop();
      }
    }
  } finally {
    await subgraphs.stop();
    if (harness.otherCpus !== null) pin(process.pid, harness.otherCpus);
  }
  const [one, two] = rows.map((row) => row.measurement);
  const factor = one && two ? `RPS with 2 workers ÷ RPS with one: **${(two.median.rps / one.median.rps).toFixed(2)}×**.` : '';
  harness.report.add(
    [
      `## Scaling: OpenClaw with 1 and 2 workers (engine: ${options.engine})`,
      '',
      `The benchmark query, ${describeLoad(options)}. ` +
        (spare
          ? `The gateway on cores ${gatewayCpus} for both runs, subgraphs and load generator on cores ${otherCpus}. `
          : `Caveat: this machine has ${count} cores and nothing is pinned here, so the gateway's workers share them with the subgraphs and the load ` +
            'generator; two workers cannot reach twice the throughput of one, and the figure says only whether a second worker adds throughput. ') +
        'CPU and RSS are summed over the gateway\'s process tree. In brackets: the ratio to one process.',
      '',
      gatewayTable(rows, one ? { sample: one.median, rss: one.peakRssMb, label: 'one process' } : undefined),
      '',
      factor,
    ].join('\n'),
  );
}
