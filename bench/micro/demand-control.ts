/**
 * Micro benchmark: what demand control costs, on the public federation benchmark's
 * supergraph and query (no cost directives: every list at the default size).
 *
 * - per document: compiling the query's cost (once per distinct document, cached with it);
 * - per request: the estimate of a compiled operation with no variable part (the benchmark's
 *   case: one number read) and of one whose list sizes come from variables;
 * - per request that asks for `extensions.cost`: the actual cost walked over the reference
 *   response (87 KB).
 *
 * Run: node --import tsx bench/micro/demand-control.ts [--quick]. Prints a Markdown table.
 */
import { readFileSync } from 'node:fs';
import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';
import { parse } from 'graphql';
import { actualCost, compileOperation, costModelFromSupergraph, estimateCost } from '../../gateway/src/traffic/demand-control/index.js';
import { benchQuery, benchSupergraphSdl } from '../../subgraphs/bench/server.js';

const quick = process.argv.includes('--quick');
const sdl = benchSupergraphSdl('http://127.0.0.1:9');
const schema = getStitchedSchemaFromSupergraphSdl({ supergraphSdl: sdl });
const settings = { model: costModelFromSupergraph(parse(sdl), schema), defaultListSize: 10 };
const document = parse(benchQuery().query);
const definition = document.definitions.find((node) => node.kind === 'OperationDefinition');
if (definition?.kind !== 'OperationDefinition') throw new Error('the benchmark query has no operation');
const withVariables = parse('query ($n: Int) { topProducts(first: $n) { name reviews { body author { name } } } }');
const variableDefinition = withVariables.definitions[0];
if (variableDefinition?.kind !== 'OperationDefinition') throw new Error('no operation');
const expected = JSON.parse(readFileSync(new URL('../workload/expected-response.json', import.meta.url), 'utf8')) as { data: Record<string, unknown> };

const rows: Array<[string, string]> = [];
function time(label: string, count: number, run: () => void): void {
  for (let i = 0; i < Math.min(count, 1000); i += 1) run();
  const started = process.hrtime.bigint();
  for (let i = 0; i < count; i += 1) run();
  const perOp = Number(process.hrtime.bigint() - started) / count;
  rows.push([label, perOp >= 1000 ? `${(perOp / 1000).toFixed(2)} µs` : `${perOp.toFixed(0)} ns`]);
}

const scale = quick ? 0.1 : 1;
time('compile the benchmark query (per document)', 2000 * scale, () => compileOperation(document, definition, schema, settings));
const compiled = compileOperation(document, definition, schema, settings);
time('estimate, no variable part (per request)', 1_000_000 * scale, () => estimateCost(compiled, {}, true));
const sized = compileOperation(withVariables, variableDefinition, schema, settings);
time('estimate, list sizes from variables (per request)', 200_000 * scale, () => estimateCost(sized, { n: 5 }, true));
time('actual cost of the 87 KB response (asked-for requests only)', 2000 * scale, () => actualCost(compiled, expected.data, {}, schema));

console.log(`Estimated cost of the benchmark query: ${String(estimateCost(compiled, {}, true))}; actual: ${actualCost(compiled, expected.data, {}, schema)}.\n`);
console.log('| demand control | time per operation |\n|---|---|');
for (const [label, value] of rows) console.log(`| ${label} | ${value} |`);
