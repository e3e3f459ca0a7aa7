/**
 * The orders backend: REST described by openapi.yaml, the demo's one source of mutations
 * (`POST /orders`) and of a batch read keyed by user (`GET /users/orders?ids=`).
 */
import { CallLog } from '../support/call-log.js';
import { readJsonBody, sendJson } from '../support/http.js';
import { parseList, startRestServer } from '../support/rest.js';
import type { RestRoute } from '../support/rest.js';
import type { RecordingOptions, RunningSubgraph } from '../support/running.js';
import { OrderInputError, OrderStore, parseNewOrder } from './store.js';

/** Path of the OpenAPI document describing this backend. */
export const ORDERS_OPENAPI_PATH = new URL('./openapi.yaml', import.meta.url);

/** Options of {@link startOrders}. */
export interface OrdersOptions extends RecordingOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** The clock stamping `createdAt`; injected so tests can pin it. */
  now?: () => Date;
}

function routesFor(store: OrderStore): readonly RestRoute[] {
  return [
    {
      method: 'GET',
      path: '/',
      handle: ({ res }) => sendJson(res, 200, { service: 'orders' }),
    },
    {
      method: 'POST',
      path: '/orders',
      handle: async ({ req, res }) => {
        try {
          sendJson(res, 201, store.place(parseNewOrder(await readJsonBody(req))));
        } catch (error) {
          if (!(error instanceof OrderInputError)) throw error;
          sendJson(res, 400, { error: 'bad_request', message: error.message, field: error.field });
        }
      },
    },
    {
      method: 'GET',
      path: '/orders',
      handle: ({ res, query }) => {
        const userId = query.get('userId');
        if (!userId) {
          sendJson(res, 400, { error: 'bad_request', message: 'userId is required', field: 'userId' });
          return;
        }
        sendJson(res, 200, store.ofUser(userId));
      },
    },
    {
      method: 'GET',
      path: '/users/orders',
      handle: ({ res, query }) => {
        const ids = parseList(query.get('ids'));
        if (!ids) {
          const message = 'ids is required: comma-separated user ids, e.g. ids=1,2';
          sendJson(res, 400, { error: 'bad_request', message, field: 'ids' });
          return;
        }
        sendJson(res, 200, ids.map((id) => ({ id, orders: store.ofUser(id) })));
      },
    },
  ];
}

/** Starts the orders backend on 127.0.0.1 with an empty store. */
export async function startOrders(options: OrdersOptions = {}): Promise<RunningSubgraph> {
  const store = new OrderStore(options.now ?? (() => new Date()));
  return startRestServer({ name: 'orders', routes: routesFor(store), log: new CallLog(options), port: options.port ?? 0 });
}
