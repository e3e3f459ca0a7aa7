/**
 * The floor (/work/shared/bench/README.md, "The floor"): what no Node gateway can avoid for the
 * benchmark query. Per request it reads and parses the client's JSON body, makes the seven
 * subgraph calls of the ideal plan (bench/workload/floor-plan.jsonl) with undici on one
 * keep-alive pool, in the plan's stages (two, two, two, then one, each stage in parallel),
 * `JSON.parse`s every answer, and `JSON.stringify`s the whole reference response. No parsing,
 * validation, planning or merging of GraphQL.
 *
 *   node --import tsx bench/servers/floor.ts --subgraphs http://127.0.0.1:PORT --port N
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';

interface PlannedCall {
  name: string;
  body: string;
}

const { values } = parseArgs({
  options: { subgraphs: { type: 'string' }, port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } },
});
if (values.subgraphs === undefined || values.port === undefined) {
  process.stderr.write('usage: floor.ts --subgraphs BASE_URL --port N\n');
  process.exit(2);
}

const workload = (name: string): string => readFileSync(new URL(`../workload/${name}`, import.meta.url), 'utf8');
const calls: PlannedCall[] = workload('floor-plan.jsonl')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => {
    const { name, body } = JSON.parse(line) as PlannedCall;
    return { name, body };
  });
if (calls.length !== 7) throw new Error(`floor-plan.jsonl: expected the plan's 7 calls, found ${calls.length}`);
// The plan's stages, as its calls ran: two, two, two, then one.
const stages = [calls.slice(0, 2), calls.slice(2, 4), calls.slice(4, 6), calls.slice(6)];
const response: unknown = JSON.parse(workload('expected-response.json'));

const base = new URL(values.subgraphs);
const pool = new Pool(base.origin, { connections: 128, pipelining: 1 });
const prefix = base.pathname.replace(/\/$/, '');

async function call({ name, body }: PlannedCall): Promise<unknown> {
  const answer = await pool.request({
    method: 'POST',
    path: `${prefix}/${name}`,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body,
  });
  const text = await answer.body.text();
  if (answer.statusCode !== 200) throw new Error(`${name} answered ${answer.statusCode}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

const server = createServer((req, res) => {
  void (async () => {
    try {
      const request = JSON.parse(await readBody(req)) as { query?: unknown };
      if (typeof request.query !== 'string') throw new Error('expected { "query": string }');
      for (const stage of stages) await Promise.all(stage.map(call));
      const text = JSON.stringify(response);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    } catch (error) {
      const text = JSON.stringify({ errors: [{ message: error instanceof Error ? error.message : String(error) }] });
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(text);
    }
  })();
});
server.keepAliveTimeout = 60_000;
server.listen(Number(values.port), values.host, () => {
  process.stdout.write(`floor ready at http://${values.host}:${values.port}/graphql\n`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    server.closeAllConnections();
    void pool.close().finally(() => process.exit(0));
  });
}
