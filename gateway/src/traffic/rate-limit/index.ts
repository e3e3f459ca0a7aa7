/**
 * Rate limits: every limit of the gateway (a key's rate limit and cost budget, per IP, per
 * subject, global, and `@rateLimit` fields) goes through this one limiter. One `RateLimiter`
 * interface, two stores (in-memory, Redis) and the fail policy for a Redis outage, one
 * algorithm (a sliding window in 1/100-window slots: no window ever admits more than the
 * limit, and a refusal consumes nothing), what a request is charged (its root fields, or its
 * estimated cost), the field limits read at compose, the IETF `RateLimit-Policy` /
 * `RateLimit` / `Retry-After` headers, and the `100/min` policy syntax. docs/rate-limits.md is
 * the user-facing account.
 */
export { createRateLimiter, DEFAULT_KEY_PREFIX, type RateLimiterOptions } from './create.js';
export { FailPolicyRateLimiter, type FailPolicyOptions, type StoreFailureMode } from './fail-policy.js';
export { chargeOf, rootFieldCount } from './charge.js';
export {
  fieldRateLimitsFromDocument,
  fieldRateLimitsFromSchemas,
  limitedSelections,
  NO_FIELD_LIMITS,
  type FieldRateLimit,
  type FieldRateLimits,
  type LimitedSelection,
  type RateLimitBy,
} from './field-limits.js';
export { mergeRateLimitHeaders, rateLimitHeaders, type RateLimitHeaderName } from './headers.js';
export { MemoryRateLimiter } from './memory-store.js';
export { formatRatePolicy, parseRatePolicy } from './policy.js';
export { RedisRateLimiter, type RedisRateLimiterOptions } from './redis-store.js';
export { rateLimitedError } from './refusal.js';
export { SLOTS_PER_WINDOW, slotMsFor } from './sliding-window.js';
export {
  MAX_LIMIT,
  MAX_WINDOW_MS,
  type Clock,
  type Decision,
  type RateLimiter,
  type RatePolicy,
  type RefusalReason,
} from './types.js';
