/**
 * A key's rate limit as people write it (`100/min`) in `keys create|update --rate-limit` and the
 * admin API's `rateLimit`. There is one syntax and one parser for every limit, the limiter's
 * (traffic/rate-limit/policy.ts): a key accepts exactly what the limiter can enforce, and a
 * bad value gets the same message wherever it is typed (docs/rate-limits.md).
 */
import { formatRatePolicy, parseRatePolicy } from '../../traffic/rate-limit/policy.js';
import type { RateLimitPolicy } from '../principal.js';

export { formatRatePolicy, parseRatePolicy };

/** What removes a key's rate limit in `keys update --rate-limit` and the admin API. */
export const NO_RATE_LIMIT = 'none';

/**
 * A key's rate limit from what was typed: `none` (or null) is no limit; anything else is read
 * by `parseRatePolicy`, which throws `BAD_USER_INPUT` quoting the value and saying what is
 * expected (`Invalid rate limit "fast": expected <count>/<window>, such as "100/min", ...`).
 */
export function parseKeyRateLimit(text: string | null): RateLimitPolicy | null {
  if (text === null || text === NO_RATE_LIMIT) return null;
  return parseRatePolicy(text);
}
