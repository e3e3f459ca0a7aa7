/**
 * Pipeline step "rate limit": a credential's own policy (an API key's `100/min`) enforced
 * before execution with the one limiter (traffic/rate-limit/), shared by every instance when
 * Redis is configured. An admitted request carries the IETF `RateLimit-Policy` / `RateLimit`
 * headers; a refused one gets 429 `RATE_LIMITED` with `Retry-After`, and spends nothing.
 */
import { GatewayError } from '../../errors/index.js';
import { rateLimitedError, rateLimitHeaders, type RateLimiter } from '../../traffic/rate-limit/index.js';
import type { GatewayPlugin } from '../plugin.js';

/** The name of the per-key policy in headers and errors. */
const KEY_POLICY = 'key';

/** The rate-limit plugin over `limiter`. */
export function rateLimitPlugin(limiter: RateLimiter): GatewayPlugin {
  return {
    name: 'rate-limit',
    async onExecute(operation) {
      const { principal } = operation.context;
      const key = principal.kind === 'apiKey' ? principal : principal.apiKey;
      if (key?.limits === undefined || key.keyId === undefined) return;
      const decision = await limiter.consume(`key:${key.keyId}`, key.limits, 1);
      const headers = rateLimitHeaders(KEY_POLICY, decision);
      if (!decision.allowed) {
        const refusal = rateLimitedError(KEY_POLICY, decision);
        throw new GatewayError(refusal.code, refusal.message, refusal.details, { headers });
      }
      for (const [name, value] of Object.entries(headers)) operation.exchange.res.setHeader(name, value);
    },
  };
}
