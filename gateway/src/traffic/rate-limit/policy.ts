/**
 * Rate-limit policies as people write them: `100/min`, `10/s`, `5000/h`, `100/30s`. Config,
 * the keys CLI and the admin API read them with `parseRatePolicy` and print them with
 * `formatRatePolicy`.
 */
import { GatewayError } from '../../errors/index.js';
import { MAX_LIMIT, MAX_WINDOW_MS, type RatePolicy } from './types.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
};

/** Units `formatRatePolicy` writes, largest first. */
const FORMAT_UNITS: ReadonlyArray<readonly [string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['min', 60_000],
  ['s', 1000],
  ['ms', 1],
];

const SHAPE = /^\s*(\d+)\s*\/\s*(\d*)\s*([A-Za-z]+)\s*$/;
const EXAMPLES = '"100/min", "10/s", "5000/h" or "100/30s"';

function refuse(text: string, why: string): GatewayError {
  return new GatewayError('BAD_USER_INPUT', `Invalid rate limit ${JSON.stringify(text)}: ${why}`);
}

/**
 * Reads `<count>/<window>`: a whole count of 1..1e9, a slash, then a window made of an optional
 * whole amount (default 1) and a unit: `ms`; `s`/`sec`/`second(s)`; `m`/`min`/`minute(s)`;
 * `h`/`hr`/`hour(s)`; `d`/`day(s)` (any case, spaces allowed around the parts). The window
 * must be 1 ms to 365 days. Throws a `BAD_USER_INPUT` GatewayError whose message quotes the
 * value received and says what is expected.
 */
export function parseRatePolicy(text: string): RatePolicy {
  if (typeof text !== 'string') {
    const shown = JSON.stringify(text) ?? String(text);
    throw new GatewayError('BAD_USER_INPUT', `Invalid rate limit ${shown} (${typeof text}): expected a string such as ${EXAMPLES}.`);
  }
  const match = SHAPE.exec(text);
  if (match === null) throw refuse(text, `expected <count>/<window>, such as ${EXAMPLES}.`);
  const [, countText = '', amountText = '', unitText = ''] = match;
  const unitMs = UNIT_MS[unitText.toLowerCase()];
  if (unitMs === undefined) {
    throw refuse(text, `unknown window unit ${JSON.stringify(unitText)}; use ms, s, min, h or d (as in ${EXAMPLES}).`);
  }
  const limit = Number(countText);
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw refuse(text, `the count must be a whole number from 1 to ${MAX_LIMIT}.`);
  }
  const amount = amountText === '' ? 1 : Number(amountText);
  const windowMs = amount * unitMs;
  if (!Number.isSafeInteger(windowMs) || windowMs < 1 || windowMs > MAX_WINDOW_MS) {
    throw refuse(text, 'the window must be from 1 ms to 365 days.');
  }
  return { limit, windowMs };
}

/**
 * Writes a policy the way `parseRatePolicy` reads it, in the largest unit that divides the
 * window: `{ limit: 100, windowMs: 60000 }` is `100/min`, `{ limit: 100, windowMs: 30000 }`
 * is `100/30s`. `parseRatePolicy(formatRatePolicy(p))` equals `p` for every valid policy.
 */
export function formatRatePolicy(policy: RatePolicy): string {
  for (const [unit, unitMs] of FORMAT_UNITS) {
    if (policy.windowMs % unitMs !== 0) continue;
    const amount = policy.windowMs / unitMs;
    return `${policy.limit}/${amount === 1 ? '' : amount}${unit}`;
  }
  return `${policy.limit}/${policy.windowMs}ms`;
}
