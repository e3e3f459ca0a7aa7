/**
 * The direct client's connections to the demo backends: undici keep-alive pools for the HTTP
 * ones (REST and GraphQL) and one grpc-js channel for inventory, behind the `Backends` shape
 * the operations are written against.
 */
import { credentials, type Client } from '@grpc/grpc-js';
import { Pool } from 'undici';
import { loadInventoryService } from '../../subgraphs/inventory/proto.js';
import type { Backends } from './operations.js';

type HttpName = 'products' | 'orders' | 'accounts' | 'reviews';

interface InventoryClient extends Client {
  GetStockBatch(
    request: { upcs: string[] },
    callback: (error: Error | null, reply?: { items: Array<{ upc: string; inStock: boolean; quantity: number }> }) => void,
  ): void;
}

/** `Backends` over the demo backends at `urls` (source URLs by backend name), and a close. */
export function connectBackends(urls: Readonly<Record<string, string>>): { backends: Backends; close(): Promise<void> } {
  const http = new Map<HttpName, { pool: Pool; path: string }>();
  for (const name of ['products', 'orders', 'accounts', 'reviews'] as const) {
    const url = new URL(urls[name] ?? '');
    http.set(name, { pool: new Pool(url.origin, { connections: 64 }), path: url.pathname.replace(/\/$/, '') });
  }
  const Inventory = loadInventoryService();
  const inventory = new Inventory(urls.inventory ?? '', credentials.createInsecure()) as unknown as InventoryClient;

  const send = async (backend: HttpName, method: 'GET' | 'POST', path: string, body?: string): Promise<unknown> => {
    const target = http.get(backend);
    if (!target) throw new Error(`no backend ${backend}`);
    const answer = await target.pool.request({
      method,
      path: `${target.path}${path}`,
      headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body }),
    });
    const text = await answer.body.text();
    if (answer.statusCode !== 200) throw new Error(`${backend} ${method} ${path} answered ${answer.statusCode}`);
    return JSON.parse(text);
  };

  const backends: Backends = {
    get: (backend, path) => send(backend, 'GET', path),
    async graphql(backend, query, variables) {
      const answer = (await send(backend, 'POST', '', JSON.stringify({ query, variables }))) as { data?: Record<string, unknown>; errors?: unknown };
      if (answer.errors !== undefined || !answer.data) throw new Error(`${backend}: ${JSON.stringify(answer.errors)}`);
      return answer.data;
    },
    stockBatch: (upcs) =>
      new Promise((resolve, reject) => {
        inventory.GetStockBatch({ upcs }, (error, reply) => (error ? reject(error) : resolve(reply?.items ?? [])));
      }),
  };
  return {
    backends,
    async close() {
      inventory.close();
      await Promise.all([...http.values()].map(({ pool }) => pool.close()));
    },
  };
}
