/**
 * Micro benchmark: what refusing each hostile document (bench/lib/hostile-documents.ts) costs
 * the event loop, in-process: the document step (server/documents.ts, cache off) over the
 * demo graph's composed schema, with the default limits, and, for contrast, without them
 * where that finishes in reasonable time. Each figure is the fastest and the median of the
 * runs, in milliseconds of one synchronous call: the longest the event loop is blocked by it.
 *
 *   node --import tsx bench/micro/hostile-documents.ts [--quick]
 */
import { join } from 'node:path';
import { composeGateway, resolveConfig } from '../../gateway/src/index.js';
import { DocumentCache } from '../../gateway/src/server/documents.js';
import { jsonNestingOver } from '../../gateway/src/server/graphql-over-http.js';
import { HOSTILE_DOCUMENTS, fragmentFanOut, mergedObjectFields, repeatedFields } from '../lib/hostile-documents.js';
import { REPO_DIR } from '../lib/paths.js';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 5 : 25;

// Composing needs each source's address, not a running backend.
const sources = Object.fromEntries(['accounts', 'reviews', 'products', 'inventory', 'orders'].map((name, index) => [name, { url: name === 'inventory' ? `127.0.0.1:${50_051 + index}` : `http://127.0.0.1:${4101 + index}` }]));
const config = resolveConfig({ schema: join(REPO_DIR, 'schema'), logging: { level: 'silent' }, sources }, { rootDir: REPO_DIR, env: {} });
const composed = await composeGateway(config);
const limited = new DocumentCache(composed.schema, [], { size: 0, introspection: true, limits: config.limits });
const open = new DocumentCache(composed.schema, [], { size: 0, introspection: true });

function time(cache: DocumentCache, query: string, runs: number): { fastest: number; median: number } {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    cache.get(query);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { fastest: samples[0] ?? NaN, median: samples[Math.floor(samples.length / 2)] ?? NaN };
}

const rows: string[] = [];
for (const hostile of HOSTILE_DOCUMENTS) {
  if (hostile.code === 'BAD_REQUEST') {
    if (hostile.key === '') continue;
    // Refused by the JSON nesting scan, before JSON.parse.
    const samples = Array.from({ length: RUNS }, () => {
      const started = performance.now();
      jsonNestingOver(hostile.body, config.limits.maxNesting);
      return performance.now() - started;
    }).sort((a, b) => a - b);
    rows.push(`| ${hostile.name} | ${hostile.key} (JSON scan) | ${(samples[0] ?? NaN).toFixed(2)} | ${(samples[Math.floor(RUNS / 2)] ?? NaN).toFixed(2)} |`);
    continue;
  }
  const { query } = JSON.parse(hostile.body) as { query: string };
  const { fastest, median } = time(limited, query, RUNS);
  rows.push(`| ${hostile.name} | ${hostile.key} | ${fastest.toFixed(2)} | ${median.toFixed(2)} |`);
}
// Without limits, on sizes that still finish: what the limits save.
const unlimited = [
  { name: 'fragment fan-out, 2^40 (validation only; planning never ends)', query: fragmentFanOut(40) },
  { name: '150,000 repeated fields', query: repeatedFields(150_000, 'a') },
  { name: '600 `reviews { body }` under one field', query: mergedObjectFields(600) },
].map(({ name, query }) => {
  const { fastest, median } = time(open, query, quick ? 1 : 3);
  return `| ${name} | ${fastest.toFixed(1)} | ${median.toFixed(1)} |`;
});

process.stdout.write([
  '### Hostile documents: the document step\'s cost per refusal (in-process, cache off)',
  '',
  `Default limits; the fastest and the median of ${RUNS} calls, in ms (each call is synchronous: it blocks the event loop that long).`,
  '',
  '| hostile document | refused by | fastest ms | median ms |',
  '|---|---|---|---|',
  ...rows,
  '',
  'The same step with `limits.enabled: false`:',
  '',
  '| document | fastest ms | median ms |',
  '|---|---|---|',
  ...unlimited,
  '',
].join('\n'));
