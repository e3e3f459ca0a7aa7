/**
 * The demo backends as one unit: the five servers the demo graph in schema/ is stitched from,
 * one per protocol the gateway speaks (plain GraphQL, Federation, REST, gRPC) plus a REST
 * backend with mutations.
 */
import { startAccounts } from './accounts/server.js';
import { startInventory } from './inventory/server.js';
import { startOrders } from './orders/server.js';
import { startProducts } from './products/server.js';
import { startReviews } from './reviews/server.js';
import type { RecordingOptions, RunningSubgraph } from './support/running.js';

export type { CallRecord, FailureMode, RecordingOptions, RunningSubgraph } from './support/running.js';
export { startAccounts, startInventory, startOrders, startProducts, startReviews };

/** The names of the demo backends. */
export type DemoSubgraphName = 'accounts' | 'reviews' | 'products' | 'inventory' | 'orders';

/** The ports the demo uses when started for people (tests use ephemeral ports). */
export const DEMO_PORTS: Readonly<Record<DemoSubgraphName, number>> = {
  accounts: 4001,
  reviews: 4002,
  products: 4003,
  inventory: 4004,
  orders: 4005,
};

/** The running demo backends and one close for all of them. */
export type DemoSubgraphs = Record<DemoSubgraphName, RunningSubgraph> & {
  /** Closes every backend. */
  close(): Promise<void>;
};

/**
 * Starts all five demo backends on 127.0.0.1, each on the port given in `ports` or else an
 * ephemeral one; each records the request headers `recordHeaders` names in its calls. If one fails to start, those already started are closed before rethrowing,
 * so a failed start never leaves a port taken.
 */
export async function startDemoSubgraphs(
  options: { ports?: Partial<Record<DemoSubgraphName, number>> } & RecordingOptions = {},
): Promise<DemoSubgraphs> {
  const ports = options.ports ?? {};
  const starters: Record<DemoSubgraphName, (options: { port?: number } & RecordingOptions) => Promise<RunningSubgraph>> = {
    accounts: startAccounts,
    reviews: startReviews,
    products: startProducts,
    inventory: startInventory,
    orders: startOrders,
  };
  const names = Object.keys(starters) as DemoSubgraphName[];
  const results = await Promise.allSettled(names.map((name) => starters[name]({ port: ports[name] ?? 0, ...(options.recordHeaders === undefined ? {} : { recordHeaders: options.recordHeaders }) })));
  const started = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) {
    await Promise.all(started.map((subgraph) => subgraph.close()));
    throw failure.reason;
  }
  const byName = Object.fromEntries(started.map((subgraph) => [subgraph.name, subgraph])) as Record<
    DemoSubgraphName,
    RunningSubgraph
  >;
  return {
    ...byName,
    close: async () => {
      await Promise.all(started.map((subgraph) => subgraph.close()));
    },
  };
}
