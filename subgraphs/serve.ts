/**
 * Runs ONE demo backend on its own: `tsx subgraphs/serve.ts <name>` (the docker-compose
 * services use it). The port is `PORT`, else the backend's demo port (DEMO_PORTS).
 */
import { DEMO_PORTS, startAccounts, startInventory, startOrders, startProducts, startReviews, type DemoSubgraphName } from './index.js';

const starters = { accounts: startAccounts, reviews: startReviews, products: startProducts, inventory: startInventory, orders: startOrders };
const name = process.argv[2] as DemoSubgraphName | undefined;
if (name === undefined || !(name in starters)) {
  process.stderr.write(`usage: tsx subgraphs/serve.ts <${Object.keys(starters).join('|')}>\n`);
  process.exit(2);
}
const port = process.env.PORT === undefined ? DEMO_PORTS[name] : Number(process.env.PORT);
const running = await starters[name]({ port });
process.stdout.write(`${name} listening: ${running.url}\n`);
const stop = () => void running.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
