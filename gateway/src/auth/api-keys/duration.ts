/**
 * Durations as people write them, for `--expires-in 30d` and `--grace 24h`: a whole number and
 * one unit (ms, s, m, h, d, w); `0` alone means none.
 */

const DURATION = /^\s*(\d+)\s*(ms|s|m|h|d|w)?\s*$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Longest duration accepted: 100 years (beyond it a key should simply not expire). */
export const MAX_DURATION_MS = 100 * 365 * 86_400_000;

/** What a bad duration is told. */
export const DURATION_SHAPE = 'a duration like "30d", "24h", "90m", "2s" or "0" (units ms, s, m, h, d, w)';

/** `text` in milliseconds, or `undefined` when it is not a duration (a unit is required except for 0). */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const amount = Number(match[1]);
  const unit = match[2];
  if (unit === undefined) return amount === 0 ? 0 : undefined;
  const ms = amount * (UNIT_MS[unit] ?? Number.NaN);
  return Number.isSafeInteger(ms) && ms <= MAX_DURATION_MS ? ms : undefined;
}

/** `ms` with the largest unit that divides it: `86400000` -> `1d`, `5400000` -> `90m`, `0` -> `0`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit] ?? 1;
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
