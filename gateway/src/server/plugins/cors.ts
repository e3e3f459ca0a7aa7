/**
 * Pipeline step "CORS": which browser origins may call the gateway (`server.cors`). An allowed
 * origin gets `Access-Control-Allow-Origin` (and credentials, exposed headers) on every
 * response; a preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered here with
 * 204 and the allowed methods, headers and max-age. Without `server.cors`, no CORS header is
 * ever sent, so browsers keep other origins out; `OPTIONS` still gets 204 with `Allow`.
 */
import type { CorsConfig } from '../../config/types.js';
import type { GatewayPlugin, HttpExchange } from '../plugin.js';

const ALLOW = 'GET, POST, OPTIONS';

/** The CORS plugin for `cors` (undefined: no origin but the gateway's own). */
export function corsPlugin(cors: Required<CorsConfig> | undefined): GatewayPlugin {
  const anyOrigin = cors?.origins.includes('*') ?? false;
  const origins = new Set(cors?.origins ?? []);
  const exposed = cors?.exposedHeaders.join(', ') ?? '';
  const allowedHeaders = cors?.allowedHeaders.join(', ') ?? '';

  /** Sets the headers an allowed origin gets on every response; false when it is not allowed. */
  const allowOrigin = (exchange: HttpExchange): boolean => {
    const origin = exchange.req.headers.origin;
    if (cors === undefined || origin === undefined || !(anyOrigin || origins.has(origin))) return false;
    const { res } = exchange;
    res.setHeader('access-control-allow-origin', anyOrigin ? '*' : origin);
    if (!anyOrigin) res.setHeader('vary', 'Origin');
    if (cors.credentials) res.setHeader('access-control-allow-credentials', 'true');
    if (exposed !== '') res.setHeader('access-control-expose-headers', exposed);
    return true;
  };

  return {
    name: 'cors',
    onRequest(exchange) {
      const allowed = allowOrigin(exchange);
      if (exchange.method !== 'OPTIONS') return;
      const { res } = exchange;
      if (allowed && cors !== undefined && exchange.req.headers['access-control-request-method'] !== undefined) {
        res.setHeader('access-control-allow-methods', 'GET, POST');
        res.setHeader('access-control-allow-headers', allowedHeaders);
        res.setHeader('access-control-max-age', String(cors.maxAgeSeconds));
      }
      res.setHeader('allow', ALLOW);
      res.statusCode = 204;
      res.end();
      exchange.answered = true;
    },
  };
}
