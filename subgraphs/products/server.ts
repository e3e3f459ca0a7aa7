/**
 * The products backend: REST described by openapi.yaml. Its batch endpoint answers in the
 * reverse of the requested order on purpose, so a gateway that forgets to reorder a batch by
 * key is caught by the tests instead of passing by luck.
 */
import { PRODUCTS, PRODUCTS_BY_UPC } from '../data/index.js';
import { CallLog } from '../support/call-log.js';
import { sendError, sendJson } from '../support/http.js';
import { parseList, startRestServer } from '../support/rest.js';
import type { RestRoute } from '../support/rest.js';
import type { RecordingOptions, RunningSubgraph } from '../support/running.js';

/** Path of the OpenAPI document describing this backend. */
export const PRODUCTS_OPENAPI_PATH = new URL('./openapi.yaml', import.meta.url);

const DEFAULT_LIMIT = 5;

const routes: readonly RestRoute[] = [
  {
    method: 'GET',
    path: '/',
    handle: ({ res }) => sendJson(res, 200, { service: 'products' }),
  },
  {
    method: 'GET',
    path: '/products',
    handle: ({ res, query }) => {
      const raw = query.get('limit');
      const limit = raw === null ? DEFAULT_LIMIT : Number(raw);
      if (!Number.isSafeInteger(limit) || limit < 0 || raw === '') {
        sendError(res, 400, 'bad_request', `limit must be a non-negative integer, got ${JSON.stringify(raw)}`);
        return;
      }
      sendJson(res, 200, PRODUCTS.slice(0, limit));
    },
  },
  {
    method: 'GET',
    path: '/products/batch',
    handle: ({ res, query }) => {
      const upcs = parseList(query.get('upc'));
      if (!upcs) {
        sendError(res, 400, 'bad_request', 'upc is required: comma-separated product upcs, e.g. upc=1,2,3');
        return;
      }
      const found = upcs.flatMap((upc) => PRODUCTS_BY_UPC.get(upc) ?? []);
      sendJson(res, 200, found.reverse());
    },
  },
  {
    method: 'GET',
    path: '/products/{upc}',
    handle: ({ res, params }) => {
      const upc = params.upc ?? '';
      const product = PRODUCTS_BY_UPC.get(upc);
      if (product) sendJson(res, 200, product);
      else sendError(res, 404, 'not_found', `no product with upc ${JSON.stringify(upc)}`);
    },
  },
];

/** Starts the products backend on 127.0.0.1; `port` 0 (the default) picks a free port. */
export async function startProducts(options: { port?: number } & RecordingOptions = {}): Promise<RunningSubgraph> {
  return startRestServer({ name: 'products', routes, log: new CallLog(options), port: options.port ?? 0 });
}
