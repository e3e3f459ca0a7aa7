/**
 * The response headers of a rate-limited API, as draft-ietf-httpapi-ratelimit-headers (-11,
 * May 2026) defines them: `RateLimit-Policy` (the quota: `q` units per `w` seconds) and
 * `RateLimit` (what is left: `r` units, and `t` seconds within which no more than `r` may be
 * spent), both Structured Field lists whose items are the policy's name as a String; plus
 * `Retry-After` (RFC 9110, delay-seconds) on a refusal.
 */
import type { Decision } from './types.js';

/** Header names in lower case, as Node's http module reports them. */
export type RateLimitHeaderName = 'ratelimit-policy' | 'ratelimit' | 'retry-after';

/** The policy name as a Structured Field String: printable ASCII, `"` and `\` escaped. */
function sfString(name: string): string {
  if (!/^[\x20-\x7e]*$/.test(name)) {
    throw new TypeError(`Rate-limit policy name must be printable ASCII (a Structured Field String); received ${JSON.stringify(name)}.`);
  }
  return `"${name.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
}

/**
 * The headers for one policy's decision, e.g. for 100/min with 42 left and the oldest units
 * leaving the window in 16.2 s:
 * `ratelimit-policy: "default";q=100;w=60` and `ratelimit: "default";r=42;t=17`.
 *
 * - `w` is the window in seconds; it is left out when the window is not a whole number of
 *   seconds (the draft has no sub-second windows), rather than misstate it.
 * - `t` is `decision.reset` rounded up to whole seconds.
 * - On a refusal that waiting can cure, `retry-after` is `decision.retryAfterMs` rounded up
 *   to whole seconds (at least 1). It is never earlier than `t`, as the draft asks. A request
 *   whose cost is over the whole limit gets no `retry-after`: retrying cannot help.
 */
export function rateLimitHeaders(policyName: string, decision: Decision): Record<string, string> {
  const name = sfString(policyName);
  const window = decision.windowMs % 1000 === 0 ? `;w=${decision.windowMs / 1000}` : '';
  const headers: Record<string, string> = {
    'ratelimit-policy': `${name};q=${decision.limit}${window}`,
    ratelimit: `${name};r=${decision.remaining};t=${Math.ceil(decision.reset / 1000)}`,
  };
  if (!decision.allowed && Number.isFinite(decision.retryAfterMs)) {
    headers['retry-after'] = String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
  }
  return headers;
}

/**
 * Several policies' headers as one set (a request checked per key and per IP, say): the
 * `ratelimit-policy` and `ratelimit` lists are joined with ", " as Structured Field lists
 * allow, and `retry-after` is the longest wait among them.
 */
export function mergeRateLimitHeaders(parts: ReadonlyArray<Record<string, string>>): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const part of parts) {
    for (const name of ['ratelimit-policy', 'ratelimit'] as const) {
      const value = part[name];
      if (value !== undefined) merged[name] = merged[name] === undefined ? value : `${merged[name]}, ${value}`;
    }
    const retry = part['retry-after'];
    if (retry !== undefined && (merged['retry-after'] === undefined || Number(retry) > Number(merged['retry-after']))) {
      merged['retry-after'] = retry;
    }
  }
  return merged;
}
