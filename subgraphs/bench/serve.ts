/**
 * `npm run subgraphs:bench`: the public federation benchmark's four subgraphs on
 * http://127.0.0.1:4200 (`PORT` to change it), where subgraphs/bench/supergraph.graphql points
 * (its URLs say 0.0.0.0:4200, which reaches the loopback). Then, in another terminal:
 * `npx openclaw start --supergraph subgraphs/bench/supergraph.graphql`.
 */
import { BENCH_SUBGRAPHS, startBenchSubgraphs } from './server.js';

const port = process.env.PORT === undefined ? 4200 : Number(process.env.PORT);
const running = await startBenchSubgraphs({ port });
process.stdout.write(`Benchmark subgraphs listening: ${BENCH_SUBGRAPHS.map((name) => `${running.url}/${name}`).join(', ')}\n`);
const stop = () => void running.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
