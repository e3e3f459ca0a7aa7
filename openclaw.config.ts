// The demo's gateway config: the five demo backends on their default loopback ports
// (subgraphs/index.ts, DEMO_PORTS). Every value can be overridden from the environment
// (PORT, OPENCLAW_SOURCE_<NAME>_URL, ...); docs/config.md lists them all.
import { defineConfig } from 'openclaw-gateway';

export default defineConfig({
  schema: 'schema',
  server: { port: 4000 },
  sources: {
    accounts: { url: 'http://127.0.0.1:4001/graphql' },
    reviews: { url: 'http://127.0.0.1:4002/graphql' },
    products: { url: 'http://127.0.0.1:4003' },
    inventory: { url: '127.0.0.1:4004', timeoutMs: 2000 },
    orders: { url: 'http://127.0.0.1:4005' },
  },
});
