/**
 * `npm run bench -- reference`: captures the reference answer, bench/workload/expected-response.json,
 * as @apollo/gateway gives it for the benchmark query over the benchmark subgraphs. Every run
 * checks every gateway against that file (Apollo's own answer included), so rewrite it only
 * when the workload itself changes, and review the diff.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchQuery, benchSupergraphSdl } from '../../subgraphs/bench/server.js';
import { BenchSubgraphsProcess } from '../lib/backends.js';
import { CONTENDERS } from '../lib/contenders.js';
import type { Harness } from '../lib/harness.js';
import { freePort } from '../lib/gateway-process.js';
import { workloadFile } from '../lib/paths.js';

/** Writes the reference answer and reports where it came from. */
export async function captureReference(harness: Harness): Promise<void> {
  const apollo = CONTENDERS.find((contender) => contender.id === 'apollo');
  if (!apollo) throw new Error('no @apollo/gateway contender');
  const subgraphs = await BenchSubgraphsProcess.start();
  try {
    const supergraphFile = join(harness.workDir, 'supergraph.graphql');
    writeFileSync(supergraphFile, benchSupergraphSdl(subgraphs.url));
    const { gateway } = await apollo.start({
      port: await freePort(),
      mode: 'a',
      supergraphFile,
      subgraphsUrl: subgraphs.url,
      workDir: harness.workDir,
      cpus: harness.gatewayCpus,
    });
    try {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(benchQuery()),
      });
      const text = await response.text();
      const body = JSON.parse(text) as { data?: unknown; errors?: unknown };
      if (response.status !== 200 || body.errors !== undefined || body.data === undefined) {
        throw new Error(`@apollo/gateway did not answer cleanly (HTTP ${response.status}): ${text.slice(0, 300)}`);
      }
      writeFileSync(workloadFile('expected-response.json'), `${JSON.stringify(body)}\n`);
      harness.report.add(`## Reference answer\n\nWrote bench/workload/expected-response.json (${text.length} bytes) from ${apollo.version()}.`);
    } finally {
      await gateway.stop();
    }
  } finally {
    await subgraphs.stop();
  }
}
