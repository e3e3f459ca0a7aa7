/**
 * Test support for the token end-to-end tests: a real OpenID provider (oidc-provider, see
 * oidc.ts) and the demo gateway in front of the demo backends, configured to accept the
 * provider's tokens, with helpers that obtain tokens the way the clients of the stories do
 * (a partner service by client credentials, a mobile app through the gateway's refresh
 * endpoint) and call the gateway with them.
 */
import type { OpenClawConfig, StartOptions } from '../../gateway/src/index.js';
import type { RecordingOptions } from '../../subgraphs/index.js';
import { startDemoGateway, type DemoGateway, type JsonResponse } from './demo-gateway.js';
import { startOidcProvider, type OidcProviderOptions, type TestAccount, type TestOidcProvider } from './oidc.js';

/** The name of the provider in the gateway's config. */
export const PROVIDER_NAME = 'bank';

/** A gateway that accepts the provider's tokens, the provider, and token helpers. */
export interface TokenGateway {
  demo: DemoGateway;
  provider: TestOidcProvider;
  /** Base URL of the gateway (no path). */
  origin: string;
  /**
   * A user's access token as a mobile app gets it: a refresh token of `account` (as if the
   * user had logged in through the gateway's client), exchanged at the gateway's refresh
   * endpoint with no client secret. `scope` defaults to every resource scope.
   */
  userToken(account: TestAccount, scope?: string): Promise<string>;
  /** POSTs a GraphQL request with `Authorization: Bearer <token>` (when given) and `headers`. */
  query(query: string, token?: string, headers?: Record<string, string>, variables?: Record<string, unknown>): Promise<JsonResponse>;
  close(): Promise<void>;
}

/** What `startTokenGateway` takes. */
export interface TokenGatewayOptions {
  /** Merged over the default config (one provider with introspection, the refresh endpoint). */
  config?: (provider: TestOidcProvider) => OpenClawConfig;
  provider?: OidcProviderOptions;
  start?: StartOptions & RecordingOptions;
}

/** The default `auth` section for `provider`: JWTs, opaque tokens by introspection, refresh. */
export function authFor(provider: TestOidcProvider): NonNullable<OpenClawConfig['auth']> {
  return {
    providers: {
      [PROVIDER_NAME]: {
        issuer: provider.issuer,
        audience: provider.audience,
        client: { id: provider.gatewayClient.id, secret: provider.gatewayClient.secret },
        introspection: { cacheTtlSeconds: 60, inactiveCacheTtlSeconds: 5 },
      },
    },
    refresh: {},
  };
}

/** Starts the provider, then the demo gateway configured for it. Close it after the test. */
export async function startTokenGateway(options: TokenGatewayOptions = {}): Promise<TokenGateway> {
  const provider = await startOidcProvider(options.provider);
  let demo: DemoGateway;
  try {
    demo = await startDemoGateway({ auth: authFor(provider), ...options.config?.(provider) }, options.start);
  } catch (error) {
    await provider.close();
    throw error;
  }
  const origin = demo.origin;
  return {
    demo,
    provider,
    origin,
    async userToken(account, scope) {
      const refreshToken = await provider.userRefreshToken(account, scope);
      const response = await fetch(`${origin}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }),
      });
      const body = (await response.json()) as Record<string, unknown>;
      if (response.status !== 200 || typeof body.access_token !== 'string') throw new Error(`refresh at the gateway failed: ${response.status} ${JSON.stringify(body)}`);
      return body.access_token;
    },
    query: (query, token, headers = {}, variables) =>
      demo.query(query, variables, { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers }),
    async close() {
      await demo.close();
      await provider.close();
    },
  };
}
