/**
 * Micro benchmark of the execution engines on the public federation benchmark's query
 * (subgraphs/bench): the plan engine and the reference engine, in one process, in one run.
 *
 *   node --import tsx bench/micro/plan-engine.ts [requests per round, default 300] [rounds, default 5] [engines, default plan,reference]
 *   node --import tsx bench/micro/plan-engine.ts --quick     (50 requests, 2 rounds: what `npm run bench -- --quick` runs)
 *
 * Profile one engine: node --cpu-prof --import tsx bench/micro/plan-engine.ts 2000 3 plan
 *
 * The four subgraphs run in a child process (so their CPU is not counted); the engines are
 * called in-process with the same concurrency (10 in flight), round by round (plan, reference,
 * plan, ...) so that both see the same machine load. Each request's result is serialised with
 * JSON.stringify, as the server does. Figures: gateway CPU ms per request (process.cpuUsage,
 * user + system), the median over the rounds, and the ratio between the engines. The answers
 * are compared once before timing.
 *
 * A third contender, `floor`, is the benchmark's floor without its HTTP server: the plan
 * engine's own subgraph requests (recorded once) sent again with undici on one keep-alive pool
 * in the same stages, every answer JSON.parse'd, the response JSON.stringify'd. No GraphQL work.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { parse, print } from 'graphql';
import { Pool } from 'undici';
import { ANONYMOUS } from '../../gateway/src/auth/principal.js';
import { composeGateway } from '../../gateway/src/compose/index.js';
import type { GatewayContext } from '../../gateway/src/context.js';
import { resolveConfig } from '../../gateway/src/config/index.js';
import { createReferenceEngine, type ExecutionEngine } from '../../gateway/src/execute/engine.js';
import { createPlanEngine } from '../../gateway/src/execute/plan/index.js';
import { benchQuery, benchSupergraphSdl, startBenchSubgraphs } from '../../subgraphs/bench/server.js';

/** A request's context as the pipeline makes it (anonymous, never aborted). */
function microContext(): GatewayContext {
  return { requestId: 'micro', traceparent: undefined, clientIp: '127.0.0.1', signal: new AbortController().signal, principal: ANONYMOUS };
}

const CONCURRENCY = Number(process.env.CONCURRENCY ?? 10);

if (process.argv[2] === 'serve-subgraphs') {
  const subgraphs = await startBenchSubgraphs();
  process.stdout.write(`${subgraphs.url}\n`);
  process.stdin.resume();
  process.stdin.once('end', () => void subgraphs.close().then(() => process.exit(0)));
} else {
  const quick = process.argv.includes('--quick');
  const [requests, rounds, engines] = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
  await main(Number(requests ?? (quick ? 50 : 300)), Number(rounds ?? (quick ? 2 : 5)), (engines ?? 'plan,reference,floor').split(','));
}

async function startSubgraphsProcess(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'serve-subgraphs'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
  });
  return { url, stop: () => child.stdin.end() };
}

async function main(requests: number, rounds: number, names: readonly string[]): Promise<void> {
  const subgraphs = await startSubgraphsProcess();
  const dir = await mkdtemp(join(tmpdir(), 'openclaw-micro-'));
  try {
    await writeFile(join(dir, 'supergraph.graphql'), benchSupergraphSdl(subgraphs.url));
    const config = resolveConfig({ supergraph: join(dir, 'supergraph.graphql'), logging: { level: 'silent' } }, { rootDir: dir, env: {} });
    const composed = await composeGateway(config);
    const all: ExecutionEngine[] = [
      createPlanEngine({ supergraphSdl: composed.supergraph!.sdl, schema: composed.schema, executors: composed.supergraph!.executors }),
      createReferenceEngine(composed.schema),
    ];
    const floor = await recordFloor(composed.supergraph!.sdl, composed, subgraphs.url);
    const engines = [...all, floor.engine].filter((engine) => names.includes(engine.name));
    // One document object, as the server's document cache hands over for a repeated query.
    const document = parse(benchQuery().query);
    const once = async (engine: ExecutionEngine): Promise<string> =>
      JSON.stringify(await engine.execute({ document, context: microContext() }));
    const [plan, reference] = await Promise.all(all.map(once));
    if (!isDeepStrictEqual(JSON.parse(plan!), JSON.parse(reference!))) throw new Error('The engines answer differently.');
    process.stdout.write(`response ${plan!.length} bytes, identical from both engines\n`);
    const figures = new Map<string, number[]>(engines.map((engine) => [engine.name, []]));
    for (let round = 0; round < rounds + 1; round++) {
      for (const engine of engines) {
        const start = process.cpuUsage();
        const began = performance.now();
        let next = 0;
        await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
          while (next++ < requests) await once(engine);
        }));
        const used = process.cpuUsage(start);
        const wall = performance.now() - began;
        // Round 0 warms the JIT and the caches; it is not counted.
        if (round > 0) figures.get(engine.name)!.push((used.user + used.system) / 1000 / requests);
        if (round > 0) process.stdout.write(`round ${round} ${engine.name.padEnd(9)} ${((used.user + used.system) / 1000 / requests).toFixed(3)} CPU ms/request, ${(requests / wall * 1000).toFixed(0)} requests/s\n`);
      }
    }
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const medians = engines.map((engine) => `${engine.name} ${median(figures.get(engine.name)!).toFixed(3)}`);
    process.stdout.write(`\nmedian CPU ms per request: ${medians.join(', ')}`);
    const ratio = (a: string, b: string): string => (figures.has(a) && figures.has(b) ? `; ${a} / ${b} = ${(median(figures.get(a)!) / median(figures.get(b)!)).toFixed(2)}` : '');
    process.stdout.write(`${ratio('reference', 'plan')}${ratio('plan', 'floor')}`);
    process.stdout.write('\n');
    await composed.close();
    await floor.close();
  } finally {
    subgraphs.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** One recorded subgraph call, with the stage it ran in. */
interface RecordedCall {
  readonly path: string;
  readonly body: string;
  readonly stage: number;
}

/**
 * Records the plan engine's subgraph requests for the query (a call's stage is the number of
 * calls finished when it started), and returns an "engine" that makes them again with undici.
 */
async function recordFloor(supergraphSdl: string, composed: Awaited<ReturnType<typeof composeGateway>>, base: string): Promise<{ engine: ExecutionEngine; close(): Promise<void> }> {
  const calls: RecordedCall[] = [];
  let finished = 0;
  const executors = new Map([...composed.supergraph!.executors].map(([name, executor]) => [name, async (request: Parameters<typeof executor>[0]) => {
    calls.push({ path: `/${name}`, body: JSON.stringify({ query: print(request.document), variables: request.variables }), stage: finished });
    const result = await executor(request);
    finished++;
    return result;
  }]));
  const document = parse(benchQuery().query);
  const response = await createPlanEngine({ supergraphSdl, schema: composed.schema, executors }).execute({ document, context: microContext() });
  const stages = [...new Set(calls.map((call) => call.stage))].map((stage) => calls.filter((call) => call.stage === stage));
  const pool = new Pool(base, { connections: 64, pipelining: 1 });
  const send = async (call: RecordedCall): Promise<unknown> => {
    const answer = await pool.request({ method: 'POST', path: call.path, headers: { 'content-type': 'application/json', accept: 'application/json' }, body: call.body });
    return JSON.parse(await answer.body.text());
  };
  return {
    engine: {
      name: 'floor',
      async execute() {
        for (const stage of stages) await Promise.all(stage.map(send));
        return response;
      },
    },
    close: () => pool.close(),
  };
}
