/**
 * The demo workload: OpenClaw on the repository's own graph (schema/: REST, gRPC, GraphQL and
 * Federation backends) next to a direct client that makes the same backend calls by hand. The
 * direct client's answer is the reference: OpenClaw must answer the same and make the same
 * calls, and then the difference in CPU per request is the gateway's own cost.
 */
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { fetchAndCheck } from '../lib/answer.js';
import { DemoBackendsProcess } from '../lib/backends.js';
import { DEMO_OPERATIONS, type DemoOperation } from '../demo/operations.js';
import { GatewayProcess, freePort } from '../lib/gateway-process.js';
import { describeLoad, type Harness } from '../lib/harness.js';
import { measure, type Measurement } from '../lib/measure.js';
import { failureReason, startOpenClaw } from '../lib/openclaw.js';
import { BENCH_DIR, REPO_DIR } from '../lib/paths.js';
import { pin } from '../lib/proc.js';
import { gatewayTable, type Row } from '../lib/report.js';

interface Reference {
  expected: unknown;
  operations: string[];
}

async function answerOf(url: string, operation: DemoOperation): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ query: operation.query }),
  });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`direct client, ${operation.name}: HTTP ${response.status} ${text.slice(0, 200)}`);
  return JSON.parse(text) as unknown;
}

/** The backend calls one request of `operation` makes through `url`. */
async function callsOf(backends: DemoBackendsProcess, url: string, operation: DemoOperation): Promise<string[]> {
  await backends.reset();
  await fetchAndCheck(url, JSON.stringify({ query: operation.query }), null);
  return backends.operations();
}

/** Runs the demo workload and adds one table per operation to the report. */
export async function runDemo(harness: Harness): Promise<void> {
  const { options } = harness;
  const backends = await DemoBackendsProcess.start();
  if (harness.otherCpus !== null) pin(backends.pid, harness.otherCpus);
  const rows = new Map<string, Row[]>(DEMO_OPERATIONS.map((operation) => [operation.name, []]));
  const references = new Map<string, Reference>();
  const directFigures = new Map<string, Measurement>();
  try {
    process.stdout.write('\nDemo workload\n');
    const port = await freePort();
    const direct = await GatewayProcess.start(
      {
        argv: [process.execPath, '--import', 'tsx', join(BENCH_DIR, 'servers', 'demo-direct.ts'), '--urls', JSON.stringify(backends.urls), '--port', String(port)],
        cwd: REPO_DIR,
        url: `http://127.0.0.1:${port}/graphql`,
      },
      harness.gatewayCpus,
    );
    try {
      for (const operation of DEMO_OPERATIONS) {
        const expected = await answerOf(direct.url, operation);
        references.set(operation.name, { expected, operations: await callsOf(backends, direct.url, operation) });
        process.stdout.write(`  measuring direct calls: ${operation.name}\n`);
        const measurement = await measure(direct, JSON.stringify({ query: operation.query }), backends, options);
        directFigures.set(operation.name, measurement);
        rows.get(operation.name)?.push({ label: 'direct calls, no gateway', measurement });
      }
    } finally {
      await direct.stop();
    }

    const sources = Object.fromEntries(Object.entries(backends.urls).map(([name, url]) => [name, { url }]));
    for (const engine of ['reference', 'plan'] as const) {
      const label = `OpenClaw, engine: '${engine}'`;
      let started;
      try {
        started = await startOpenClaw(
          { engine, port: await freePort(), workDir: harness.workDir, config: { schema: join(REPO_DIR, 'schema'), sources } },
          harness.gatewayCpus,
        );
      } catch (error) {
        for (const list of rows.values()) list.push({ label, failure: failureReason(error) });
        continue;
      }
      const { gateway, note } = started;
      try {
        for (const operation of DEMO_OPERATIONS) {
          const reference = references.get(operation.name) as Reference;
          const body = JSON.stringify({ query: operation.query });
          const check = await fetchAndCheck(gateway.url, body, reference.expected);
          if (!check.ok) {
            rows.get(operation.name)?.push({ label, failure: `wrong answer, not timed: ${check.detail}` });
            continue;
          }
          const calls = await callsOf(backends, gateway.url, operation);
          const notes = [note, check.detail];
          if (!isDeepStrictEqual(calls, reference.operations)) notes.push(`other calls than the direct client: ${calls.join(', ')}`);
          process.stdout.write(`  measuring ${label}: ${operation.name}\n`);
          const measurement = await measure(gateway, body, backends, options);
          const base = directFigures.get(operation.name);
          if (base) notes.push(`own cost ${(measurement.median.cpuMsPerRequest - base.median.cpuMsPerRequest).toFixed(2)} CPU ms per request`);
          rows.get(operation.name)?.push({ label, measurement, note: notes.filter((text) => text !== '').join('; ') });
        }
      } catch (error) {
        for (const list of rows.values()) if (!list.some((row) => row.label === label)) list.push({ label, failure: failureReason(error) });
      } finally {
        await gateway.stop();
      }
    }
  } finally {
    await backends.stop();
  }

  const sections = DEMO_OPERATIONS.map((operation) => {
    const base = directFigures.get(operation.name);
    const calls = references.get(operation.name)?.operations ?? [];
    return [
      `### ${operation.name}`,
      '',
      `\`${operation.query}\` — backend calls per request: ${calls.join(', ') || '(none recorded)'}`,
      '',
      gatewayTable(rows.get(operation.name) ?? [], base ? { sample: base.median, rss: base.peakRssMb, label: 'direct' } : undefined, 'backend calls per request'),
    ].join('\n');
  });
  harness.report.add(
    [
      '## Demo workload: OpenClaw on schema/ against direct calls to the same backends',
      '',
      `Each operation through OpenClaw (schema/, the demo backends on core ${harness.otherCpus ?? '(unpinned)'}) and through a direct client ` +
        `(bench/servers/demo-direct.ts: the same backend calls by hand, undici and grpc-js, no GraphQL work) on core ${harness.gatewayCpus ?? '(unpinned)'}; ` +
        `${describeLoad(options)}. OpenClaw's answer must equal the direct client's. "Own cost" is OpenClaw's CPU per request minus the direct client's.`,
      '',
      sections.join('\n\n'),
    ].join('\n'),
  );
}
