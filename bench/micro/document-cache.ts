/**
 * Micro benchmark: the document cache (config `documentCache.size`), which keeps parse and
 * validation results per distinct document. It prints (1) what one cache hit saves: parsing
 * and validating each document against the composed schema, timed with graphql-js; and (2)
 * the gateway's CPU per request through its real pipeline (in-process `startGateway` over the
 * benchmark subgraphs, which answer from memory), with the cache on (size 1000) and off
 * (size 0), alternating so that drift on a shared machine hits both alike.
 *
 *   node --import tsx bench/micro/document-cache.ts [--quick]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, validate } from 'graphql';
import { composeGateway, resolveConfig, startGateway } from '../../gateway/src/index.js';
import { benchQuery, benchSupergraphSdl, startBenchSubgraphs } from '../../subgraphs/bench/server.js';

const quick = process.argv.includes('--quick');
const DOCUMENTS = [
  { name: 'benchmark query (5 levels, 3 fragments)', query: benchQuery().query },
  { name: 'one subgraph call', query: '{ topProducts { upc name price weight } }' },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Microseconds per call of `work`, the median of five timed batches. */
function timeUs(work: () => void, iterations: number): number {
  const batches: number[] = [];
  for (let batch = 0; batch < 5; batch += 1) {
    const start = process.hrtime.bigint();
    for (let index = 0; index < iterations; index += 1) work();
    batches.push(Number(process.hrtime.bigint() - start) / 1000 / iterations);
  }
  return median(batches);
}

/** CPU ms per request for `total` requests of `query`, `concurrency` at a time. */
async function cpuPerRequest(url: string, query: string, total: number, concurrency: number): Promise<number> {
  const body = JSON.stringify({ query });
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (sent < total) {
      sent += 1;
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const answer = (await response.json()) as { errors?: unknown };
      if (response.status !== 200 || answer.errors !== undefined) throw new Error(`HTTP ${response.status}: ${JSON.stringify(answer.errors)}`);
    }
  };
  const before = process.cpuUsage();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / total;
}

const subgraphs = await startBenchSubgraphs();
const dir = mkdtempSync(join(tmpdir(), 'openclaw-micro-'));
try {
  const supergraph = join(dir, 'supergraph.graphql');
  writeFileSync(supergraph, benchSupergraphSdl(subgraphs.url));
  const config = (size: number) =>
    resolveConfig(
      { supergraph, server: { port: 0, graphiql: false }, logging: { level: 'silent' }, documentCache: { size } },
      { rootDir: dir, env: {} },
    );

  const composed = await composeGateway(config(1000));
  const lines = ['| document | parse µs | validate µs | a hit saves µs |', '|---|---|---|---|'];
  for (const { name, query } of DOCUMENTS) {
    const document = parse(query);
    const iterations = quick ? 200 : 2000;
    const parseUs = timeUs(() => parse(query), iterations);
    const validateUs = timeUs(() => validate(composed.schema, document), iterations);
    lines.push(`| ${name} | ${parseUs.toFixed(1)} | ${validateUs.toFixed(1)} | ${(parseUs + validateUs).toFixed(1)} |`);
  }
  await composed.close();

  const total = quick ? 60 : 400;
  const rounds = quick ? 1 : 3;
  const cached = await startGateway(config(1000));
  const uncached = await startGateway(config(0));
  const endToEnd = ['| document | CPU ms per request, cache on | cache off | difference |', '|---|---|---|---|'];
  try {
    for (const { name, query } of DOCUMENTS) {
      const on: number[] = [];
      const off: number[] = [];
      await cpuPerRequest(cached.url, query, 20, 4);
      await cpuPerRequest(uncached.url, query, 20, 4);
      for (let round = 0; round < rounds; round += 1) {
        on.push(await cpuPerRequest(cached.url, query, total, 8));
        off.push(await cpuPerRequest(uncached.url, query, total, 8));
      }
      const [a, b] = [median(on), median(off)];
      endToEnd.push(`| ${name} | ${a.toFixed(3)} | ${b.toFixed(3)} | ${(b - a).toFixed(3)} |`);
    }
  } finally {
    await cached.close();
    await uncached.close();
  }

  process.stdout.write(
    [
      '**What a document cache hit saves** (graphql-js `parse` and `validate` against the composed benchmark schema):',
      '',
      ...lines,
      '',
      `**Through the gateway** (in-process, client and subgraphs included alike; ${total} requests × ${rounds} round(s), 8 at a time, medians):`,
      '',
      ...endToEnd,
      '',
    ].join('\n'),
  );
} finally {
  await subgraphs.close();
  rmSync(dir, { recursive: true, force: true });
}
