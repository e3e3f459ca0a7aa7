/**
 * A refused decision as the error the client sees: `RATE_LIMITED` (429) with a message that
 * says which limit, and either when to come back or that waiting cannot help.
 */
import { GatewayError } from '../../errors/index.js';
import { formatRatePolicy } from './policy.js';
import type { Decision } from './types.js';

/**
 * The `RATE_LIMITED` error for a refused `decision` under the policy named `policyName`.
 * `details` (copied to `extensions`) carry `policy` and, when waiting helps,
 * `retryAfterSeconds` (the same number as the `Retry-After` header). Send it with
 * `rateLimitHeaders(policyName, decision)`. Throws a `TypeError` for an admitted decision.
 */
export function rateLimitedError(policyName: string, decision: Decision): GatewayError {
  if (decision.allowed) throw new TypeError(`rateLimitedError: the decision for "${policyName}" was an admission, not a refusal.`);
  const policy = formatRatePolicy(decision);
  if (decision.reason === 'cost-over-limit') {
    return new GatewayError(
      'RATE_LIMITED',
      `This request costs ${decision.cost}, more than rate limit "${policyName}" (${policy}) allows in a whole window; waiting will not help: send a cheaper operation or ask for a higher limit.`,
      { policy: policyName },
    );
  }
  const retryAfterSeconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  return new GatewayError(
    'RATE_LIMITED',
    `Rate limit "${policyName}" (${policy}) reached: retry in ${retryAfterSeconds} s.`,
    { policy: policyName, retryAfterSeconds },
  );
}
