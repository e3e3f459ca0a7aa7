/**
 * Helper process: the benchmark's four subgraphs (subgraphs/bench), on the runner's core. The
 * runner asks over IPC for the calls received since the last reset, counted per subgraph; the
 * call records themselves are dropped on every reset so that a long run keeps no backlog.
 */
import { startBenchSubgraphs } from '../../subgraphs/bench/server.js';

const subgraphs = await startBenchSubgraphs();

function counts(): Record<string, number> {
  const bySubgraph: Record<string, number> = {};
  // Each record reads `<subgraph> <operation type> <root fields>`.
  for (const { operation } of subgraphs.calls) {
    const name = operation.slice(0, operation.indexOf(' '));
    bySubgraph[name] = (bySubgraph[name] ?? 0) + 1;
  }
  return bySubgraph;
}

process.on('message', (message: { type?: string }) => {
  if (message.type === 'calls') {
    process.send?.({ type: 'calls', total: subgraphs.calls.length, bySubgraph: counts() });
  } else if (message.type === 'reset') {
    subgraphs.calls.length = 0;
    process.send?.({ type: 'reset' });
  }
});
process.on('disconnect', () => {
  void subgraphs.close().then(() => process.exit(0));
});
process.send?.({ type: 'ready', url: subgraphs.url });
