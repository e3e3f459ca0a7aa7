/**
 * Bearer tokens: the identity step's second credential (after API keys). JWTs from any OpenID
 * Connect provider verified with jose against the provider's JWKS (cached with a stale limit),
 * static keys or an HMAC secret; opaque tokens by RFC 7662 introspection; revocation shared by
 * every instance through Redis; what backends learn about the caller (forwarded token, claim
 * headers, or a token signed by the gateway); and the refresh endpoint for public clients.
 * Start with `createTokenService` (service.ts). Documented in docs/tokens.md.
 */
export { createTokenService, type TokenService, type TokenServiceDeps } from './service.js';
export { bearerTokenFrom } from './bearer.js';
export { bearerChallenge, challengeFor, type BearerChallenge } from './www-authenticate.js';
export { tokenRefused, refusalReason, type TokenRefusalReason } from './refusal.js';
export { upstreamIdentityHeaders, propagationFor, principalClaim, headerValue, type PropagationOptions } from './propagation.js';
export { createInternalTokenIssuer, RESERVED_CLAIMS, type InternalTokenIssuer } from './internal-token.js';
export { createRefreshHandler, type RefreshHandler, type RefreshEndpointOptions } from './refresh-endpoint.js';
export { createMemoryRevocationList, type RevocationList } from './revocation.js';
export { createRedisRevocationList, publishRevocation, revocationKeys, TOKENS_REDIS_NAMESPACE, type RedisRevocationOptions } from './revocation-redis.js';
export { parseRevocation, RevocationInputError, EXPIRES_AT_SHAPE, MAX_JTI_LENGTH, type RevocationInput, type RevocationFieldNames } from './revoke-input.js';
export { scopesOf, principalFromClaims } from './claims.js';
export { systemClock, type Clock } from './clock.js';
