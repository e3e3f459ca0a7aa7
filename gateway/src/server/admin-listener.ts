/**
 * The admin API (`POST /admin/graphql`) and where it is served: on the public port by default,
 * or, with `admin.port`, on a listener of its own (`admin.host`, default loopback) and no longer
 * on the public port, so that a firewall or a private interface can keep it out of reach. The
 * admin listener runs the request-context and IP-filter steps (the client's address, trusted
 * proxies, `server.ipAllowList` / `ipDenyList`) and answers nothing but the admin path.
 * Failed admin authentications are throttled per client address (admin.failuresPerMinute).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createAdminApi, type AdminApi } from '../auth/api-keys/admin/handler.js';
import type { ResolvedConfig } from '../config/types.js';
import { GatewayError, isGatewayError } from '../errors/index.js';
import type { Logger } from '../telemetry/logger.js';
import { newExchange } from './exchange.js';
import type { GatewayPlugin } from './plugin.js';
import { ipFilterIsOff, ipFilterPlugin } from './plugins/ip-filter.js';
import { requestContextPlugin } from './plugins/request-context.js';
import { sendError } from './respond.js';
import type { GatewayServices } from './services.js';

/** The path of the admin API, on whichever listener serves it. */
export const ADMIN_PATH = '/admin/graphql';

/** True when `config` puts the admin API on a listener of its own. */
export function adminHasOwnListener(config: ResolvedConfig): boolean {
  return config.admin.port !== undefined;
}

/** The admin API of a gateway: its token, its services, and the failure throttle on the one limiter. */
export function gatewayAdminApi(config: ResolvedConfig, services: GatewayServices, logger: Logger): AdminApi {
  return createAdminApi({
    service: services.apiKeys.service,
    tokens: services.tokens,
    ...(config.admin.token === undefined ? {} : { token: config.admin.token }),
    logger,
    throttle: { limiter: services.limiter, failuresPerMinute: config.admin.failuresPerMinute },
  });
}

/**
 * The request handler of the admin listener: request context and IP filter as on the public
 * port, then the admin API at `ADMIN_PATH`, 404 `NOT_FOUND` anywhere else. Never rejects.
 */
export function adminListenerHandler(config: ResolvedConfig, admin: AdminApi): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const lists = { allow: config.server.ipAllowList, deny: config.server.ipDenyList };
  const steps: GatewayPlugin[] = [requestContextPlugin(config.server.trustedProxies), ...(ipFilterIsOff(lists) ? [] : [ipFilterPlugin(lists)])];
  return async (req, res) => {
    const exchange = newExchange(req, res);
    try {
      for (const step of steps) await step.onRequest?.(exchange);
      const path = exchange.url.pathname;
      if (path !== ADMIN_PATH) throw new GatewayError('NOT_FOUND', `No route for ${path.slice(0, 200)}; this listener serves the admin API at ${ADMIN_PATH} only.`);
      await admin.handle(req, res, exchange.clientIp);
    } catch (error) {
      sendError(res, isGatewayError(error) ? error : new GatewayError('INTERNAL_SERVER_ERROR', 'Unexpected error.', {}, { cause: error }), exchange.requestId);
    }
  };
}
