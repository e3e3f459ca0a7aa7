/**
 * The inventory backend: a gRPC service (inventory.proto) with a single read and a batch read,
 * so the gateway's gRPC source has both a per-key call and a DataLoader-friendly one.
 */
import { Server, ServerCredentials, status } from '@grpc/grpc-js';
import type { Metadata, ServerUnaryCall, sendUnaryData, UntypedServiceImplementation } from '@grpc/grpc-js';
import { IN_STOCK, PRODUCTS_BY_UPC } from '../data/index.js';
import { CallLog, type HeaderReader } from '../support/call-log.js';
import type { RecordingOptions, RunningSubgraph } from '../support/running.js';
import { INVENTORY_SERVICE, loadInventoryService } from './proto.js';
import type { Stock } from './proto.js';
import { BIND_HOST } from '../support/http.js';

/** Stock of a known product: 10 units per UPC number when in stock, none otherwise. */
export function stockOf(upc: string): Stock | undefined {
  if (!PRODUCTS_BY_UPC.has(upc)) return undefined;
  const inStock = IN_STOCK.has(upc);
  return { upc, inStock, quantity: inStock ? 10 * Number(upc) : 0 };
}

type Answer = { ok: unknown } | { code: status; message: string };

/** gRPC metadata for the call record: text values of a key joined with ", " (binary keys skipped). */
function metadataReader(metadata: Metadata): HeaderReader {
  return (name) => {
    const values = metadata.get(name).filter((value): value is string => typeof value === 'string');
    return values.length === 0 ? undefined : values.join(', ');
  };
}

// Wraps a method body with what every call gets: a call record, the failure mode, and
// conversion of the answer into the callback's shape.
function unary<Request>(
  log: CallLog,
  method: string,
  answer: (request: Request) => Answer,
): (call: ServerUnaryCall<Request, unknown>, callback: sendUnaryData<unknown>) => void {
  return (call, callback) => {
    log.record(`${INVENTORY_SERVICE}/${method}`, call.request, metadataReader(call.metadata));
    void log.delayIfSlow().then((open) => {
      if (!open) return; // closing: forceShutdown already cancelled the call
      if (log.mode === 'error') {
        callback({ code: status.INTERNAL, details: `inventory: failure injected by failWith('error')` });
        return;
      }
      const result = answer(call.request);
      if ('ok' in result) callback(null, result.ok);
      else callback({ code: result.code, details: result.message });
    });
  };
}

/** Starts the inventory gRPC service on 127.0.0.1 (insecure); its url is `127.0.0.1:PORT`. */
export async function startInventory(options: { port?: number } & RecordingOptions = {}): Promise<RunningSubgraph> {
  const log = new CallLog(options);
  const implementation: UntypedServiceImplementation = {
    GetStock: unary<{ upc: string }>(log, 'GetStock', ({ upc }) => {
      const stock = stockOf(upc);
      return stock ? { ok: stock } : { code: status.NOT_FOUND, message: `no product with upc ${JSON.stringify(upc)}` };
    }),
    GetStockBatch: unary<{ upcs: string[] }>(log, 'GetStockBatch', ({ upcs }) => ({
      ok: { items: upcs.flatMap((upc) => stockOf(upc) ?? []) },
    })),
  };
  const server = new Server();
  server.addService(loadInventoryService().service, implementation);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${BIND_HOST}:${options.port ?? 0}`, ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    );
  });
  // forceShutdown, not tryShutdown: tests want the port and the process freed now, not when
  // clients decide to hang up.
  return log.running('inventory', `127.0.0.1:${port}`, async () => server.forceShutdown());
}
