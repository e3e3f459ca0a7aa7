/**
 * Helper process: the five demo backends (subgraphs/index.ts) on the runner's core. Over IPC
 * the runner reads the calls received since the last reset (counted per backend, or listed as
 * `backend operation`) and resets them; records are dropped on each reset.
 */
import { startDemoSubgraphs, type DemoSubgraphName } from '../../subgraphs/index.js';

const NAMES: readonly DemoSubgraphName[] = ['accounts', 'reviews', 'products', 'inventory', 'orders'];
const backends = await startDemoSubgraphs();

process.on('message', (message: { type?: string }) => {
  if (message.type === 'calls') {
    const bySubgraph = Object.fromEntries(NAMES.map((name) => [name, backends[name].calls.length]));
    const total = NAMES.reduce((sum, name) => sum + backends[name].calls.length, 0);
    process.send?.({ type: 'calls', total, bySubgraph });
  } else if (message.type === 'operations') {
    const operations = NAMES.flatMap((name) => backends[name].calls.map((call) => `${name} ${call.operation}`));
    process.send?.({ type: 'operations', operations });
  } else if (message.type === 'reset') {
    for (const name of NAMES) backends[name].resetCalls();
    process.send?.({ type: 'reset' });
  }
});
process.on('disconnect', () => {
  void backends.close().then(() => process.exit(0));
});
process.send?.({ type: 'ready', urls: Object.fromEntries(NAMES.map((name) => [name, backends[name].url])) });
