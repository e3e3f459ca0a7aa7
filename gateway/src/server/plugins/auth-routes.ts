/**
 * The identity routes: the admin API (`POST /admin/graphql`, behind `admin.token`), the
 * gateway's own signing keys (`GET /.well-known/jwks.json`, when it signs tokens for
 * backends), and the refresh-token endpoint for public clients (`auth.refresh.path`).
 */
import type { AdminApi } from '../../auth/api-keys/admin/handler.js';
import type { TokenService } from '../../auth/tokens/index.js';
import type { GatewayPlugin, Route } from '../plugin.js';

/** The path of the admin API. */
export const ADMIN_PATH = '/admin/graphql';

/** The auth routes plugin; `signsTokens` says whether the JWKS route is served. */
export function authRoutesPlugin(admin: AdminApi, tokens: TokenService, signsTokens: boolean): GatewayPlugin {
  const routes: Route[] = [{ methods: ['POST'], path: ADMIN_PATH, handle: ({ req, res }) => admin.handle(req, res) }];
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
  if (refresh !== undefined) routes.push({ methods: ['POST'], path: refresh.path, handle: ({ req, res }) => refresh.handle(req, res) });
  return { name: 'auth-routes', routes };
}
