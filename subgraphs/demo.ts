/**
 * `npm start`: the five demo backends on their loopback ports, then the gateway in front of
 * them with the repository's openclaw.config.ts. No external service is needed.
 */
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { loadConfig, startGateway } from 'openclaw-gateway';
import { DEMO_PORTS, startDemoSubgraphs } from './index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const FIRST_QUERY = `{
  topProducts(first: 3) {
    name
    price
    inStock
    reviews { body author { name } }
  }
}`;

async function main(): Promise<void> {
  const subgraphs = await startDemoSubgraphs({ ports: DEMO_PORTS });
  let gateway;
  try {
    gateway = await startGateway(await loadConfig({ cwd: root }));
  } catch (error) {
    await subgraphs.close();
    throw error;
  }
  process.stdout.write([
    `Demo backends: accounts ${subgraphs.accounts.url}, reviews ${subgraphs.reviews.url}, products ${subgraphs.products.url}, inventory ${subgraphs.inventory.url}, orders ${subgraphs.orders.url}`,
    `OpenClaw Gateway ready at ${gateway.url}`,
    `GraphiQL: open ${gateway.url} in a browser. A first query to paste:`,
    FIRST_QUERY,
    '',
  ].join('\n'));
  const stop = async () => {
    await gateway.close();
    await subgraphs.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  const code = (error as { code?: string }).code;
  const hint = code === 'EADDRINUSE'
    ? `\nThe demo uses ports 4000 (gateway) and ${Object.values(DEMO_PORTS).join(', ')} (backends): is another npm start running? Stop it, or free the port.`
    : '';
  process.stderr.write(`error${code ? `[${code}]` : ''}: ${(error as Error).message}${hint}\n`);
  process.exit(1);
});
