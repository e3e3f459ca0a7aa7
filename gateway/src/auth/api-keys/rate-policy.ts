/**
 * Rate-limit policies as people write them: `100/min`, `10/s`, `5000/hour`, `500/15min`,
 * `100000/day`. (The limiter in traffic/rate-limit/ may ship its own parser; the lead unifies.)
 */
import type { RateLimitPolicy } from '../principal.js';

const UNITS: ReadonlyArray<readonly [RegExp, number]> = [
  [/^(ms|msec|millis|milliseconds?)$/, 1],
  [/^(s|sec|secs|seconds?)$/, 1000],
  [/^(m|min|mins|minutes?)$/, 60_000],
  [/^(h|hr|hrs|hours?)$/, 3_600_000],
  [/^(d|days?)$/, 86_400_000],
];

const POLICY = /^\s*(\d+)\s*\/\s*(\d*)\s*([A-Za-z]+)\s*$/;
const MAX_LIMIT = 1_000_000_000;
const MAX_WINDOW_MS = 366 * 86_400_000;

/** What a bad policy is told: the accepted shape, with examples. */
export const RATE_POLICY_SHAPE = 'requests per window, like "100/min", "10/s", "5000/hour", "500/15min" or "100000/day"';

/**
 * `text` as a policy, or `undefined` when it is not one: a positive integer (at most 10^9),
 * `/`, an optional positive count and a unit (ms, s, min, h, day and their long forms).
 */
export function parseRatePolicy(text: string): RateLimitPolicy | undefined {
  const match = POLICY.exec(text);
  if (!match) return undefined;
  const limit = Number(match[1]);
  const count = match[2] === '' ? 1 : Number(match[2]);
  const unit = UNITS.find(([pattern]) => pattern.test((match[3] ?? '').toLowerCase()))?.[1];
  if (unit === undefined || limit < 1 || limit > MAX_LIMIT || count < 1) return undefined;
  const windowMs = count * unit;
  return windowMs > MAX_WINDOW_MS ? undefined : { limit, windowMs };
}

/** The shortest usual way to write `policy`: `100/min`, `500/15min`, `10/s`, `7/1500ms`. */
export function formatRatePolicy(policy: RateLimitPolicy): string {
  const units: ReadonlyArray<readonly [string, number]> = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['min', 60_000],
    ['s', 1000],
  ];
  for (const [name, size] of units) {
    if (policy.windowMs % size === 0) {
      const count = policy.windowMs / size;
      return `${policy.limit}/${count === 1 ? '' : count}${name}`;
    }
  }
  return `${policy.limit}/${policy.windowMs}ms`;
}
