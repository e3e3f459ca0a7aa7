/**
 * Pipeline step "identity": the request's credentials become one Principal. An API key in
 * `x-api-key` is checked by the API key verifier (cached, revocations from every instance
 * within a second); a bearer token in `Authorization` by the token service (JWKS, HMAC,
 * static keys, or introspection). With both, the token's principal carries the key's as
 * `apiKey`. A credential that is presented and bad refuses the whole request: 401 with a
 * `WWW-Authenticate` challenge; no credential leaves the request anonymous (the
 * authorization pass decides what it may read). The same step tells backends who is calling
 * (auth.propagation) and records each key's usage after the response.
 */
import { API_KEY_CHALLENGE } from '../../auth/challenge.js';
import { isGatewayError } from '../../errors/index.js';
import type { ApiKeyServices } from '../../auth/api-keys/services.js';
import type { Principal } from '../../auth/principal.js';
import { bearerTokenFrom, challengeFor, type TokenService } from '../../auth/tokens/index.js';
import { GatewayError } from '../../errors/index.js';
import type { GatewayPlugin } from '../plugin.js';

/** `error` (a refusal) with the challenge header a client needs. */
function withChallenge(error: unknown, challenge: string): unknown {
  if (!isGatewayError(error) || error.code !== 'UNAUTHENTICATED') return error;
  return new GatewayError(error.code, error.message, error.details, { cause: error.cause, headers: { ...error.headers, 'www-authenticate': challenge } });
}

/** What identity needs of the services. */
export interface IdentityServices {
  readonly apiKeys: Pick<ApiKeyServices, 'verifier' | 'usage'>;
  readonly tokens: TokenService;
  /** Whether any source is configured to receive the caller's identity (auth.propagation). */
  readonly propagates: boolean;
}

/** The key's principal of a request: the principal itself, or the key beside a token. */
function keyOf(principal: Principal): Principal | undefined {
  return principal.kind === 'apiKey' ? principal : principal.apiKey;
}

/** The identity plugin. */
export function identityPlugin({ apiKeys, tokens, propagates }: IdentityServices): GatewayPlugin {
  return {
    name: 'identity',
    async onContext(context, exchange) {
      const headers = exchange.req.headers;
      let key: Principal | undefined;
      const presented = headers['x-api-key'];
      if (presented !== undefined) {
        try {
          key = await apiKeys.verifier.verify(Array.isArray(presented) ? presented.join(',') : presented, context.clientIp, Date.now());
        } catch (error) {
          throw withChallenge(error, API_KEY_CHALLENGE);
        }
      }
      // Without a token provider a bearer token is none of the gateway's business (it may be
      // meant for something else); the authorization pass still refuses what needs a token.
      if (tokens.enabled) {
        try {
          const raw = bearerTokenFrom(headers.authorization);
          if (raw !== undefined) {
            const token = await tokens.verifyBearer(raw, undefined, context.clientIp);
            context.bearerToken = raw;
            context.principal = key === undefined ? token : { ...token, apiKey: key };
            return;
          }
        } catch (error) {
          throw withChallenge(error, challengeFor(error));
        }
      }
      if (key !== undefined) context.principal = key;
    },
    ...(propagates
      ? {
        onUpstreamRequest(context, source, headers) {
          if (context.principal.kind === 'anonymous') return;
          Object.assign(headers, tokens.upstreamHeaders(context.principal, context.bearerToken, source));
        },
      }
      : {}),
    onResponse(response) {
      const key = response.context === undefined ? undefined : keyOf(response.context.principal);
      if (key?.keyId === undefined) return;
      apiKeys.usage.recordUsage(key.keyId, response.status >= 400 || (response.result.errors?.length ?? 0) > 0 ? 'error' : 'ok');
    },
  };
}
