/**
 * The identity routes: the admin API (`POST /admin/graphql`, behind `admin.token`; not here
 * when `admin.port` gives it a listener of its own, see admin-listener.ts), the
 * gateway's own signing keys (`GET /.well-known/jwks.json`, when it signs tokens for
 * backends), and the refresh-token endpoint for public clients (`auth.refresh.path`).
 */
import type { AdminApi } from '../../auth/api-keys/admin/handler.js';
import type { TokenService } from '../../auth/tokens/index.js';
import { ADMIN_PATH } from '../admin-listener.js';
import type { GatewayPlugin, Route } from '../plugin.js';

export { ADMIN_PATH };

/**
 * The auth routes plugin. `admin` is undefined when the admin API has a listener of its own
 * (`admin.port`): the public port then has no admin route. `signsTokens` says whether the JWKS
 * route is served.
 */
export function authRoutesPlugin(admin: AdminApi | undefined, tokens: TokenService, signsTokens: boolean): GatewayPlugin {
  const routes: Route[] = admin === undefined ? [] : [{ methods: ['POST'], path: ADMIN_PATH, handle: ({ req, res, clientIp }) => admin.handle(req, res, clientIp) }];
  if (signsTokens) {
    routes.push({
      methods: ['GET'],
      path: '/.well-known/jwks.json',
      handle({ res }) {
        res.statusCode = 200;
        res.setHeader('content-type', 'application/jwk-set+json; charset=utf-8');
        // Backends cache the keys; a rotated key is published before it signs anything.
        res.setHeader('cache-control', 'public, max-age=300');
        res.end(JSON.stringify(tokens.jwks()));
      },
    });
  }
  const refresh = tokens.refresh;
  if (refresh !== undefined) routes.push({ methods: ['POST'], path: refresh.path, handle: ({ req, res, clientIp }) => refresh.handle(req, res, clientIp) });
  return { name: 'auth-routes', routes };
}
