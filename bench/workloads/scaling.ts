/**
 * Worker scaling: OpenClaw with one process, then with `openclaw start --workers 2`, on the
 * benchmark query. With two cores there is no core to spare: for both runs every process (the
 * gateway's, the subgraphs', the load generator's) may use both cores, so the figure says
 * whether a second worker adds throughput here, not how close to linear workers scale. A
 * build without `--workers` is reported as such.
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
  const all = cpus().map((_, index) => index).join(',');
  const subgraphs = await BenchSubgraphsProcess.start();
  // Everything may use every core for this comparison; the runner's own pin is restored after.
  pin(subgraphs.pid, all);
  pin(process.pid, all);
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
          all,
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
      `The benchmark query, ${describeLoad(options)}. Caveat: this machine has ${cpus().length} cores and nothing is pinned here, so the gateway's workers share ` +
        'them with the subgraphs and the load generator; two workers cannot reach twice the throughput of one, and the figure says only whether a second worker ' +
        'adds throughput. CPU and RSS are summed over the gateway\'s process tree. In brackets: the ratio to one process.',
      '',
      gatewayTable(rows, one ? { sample: one.median, rss: one.peakRssMb, label: 'one process' } : undefined),
      '',
      factor,
    ].join('\n'),
  );
}
