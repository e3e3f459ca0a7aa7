/**
 * The algorithm both stores run: a sliding window log, kept in slots.
 *
 * Every admitted cost is recorded with the end of the slot it fell in (a slot is 1/100 of the
 * window, at least 1 ms) and counts against the key until that slot end plus the window has
 * passed. A request is admitted when the units counted now plus its cost fit in the limit.
 *
 * Why rounding up to the slot end: a unit spent at time t keeps counting for at least a full
 * window after t, so no window of `windowMs`, wherever it starts, ever holds more than `limit`
 * admitted units (the guarantee users read into "100/min"). It costs a client at most one slot
 * (1% of the window) of extra wait, and it bounds the log to 101 slots per key whatever the
 * limit, so memory per key stays small for 5000/h as for 10/s.
 *
 * The Redis store runs the same steps in Lua (redis-script.ts); the shared test suite holds
 * both to the same answers.
 */
import type { Decision, RatePolicy } from './types.js';

/** The window is recorded in this many slots. */
export const SLOTS_PER_WINDOW = 100;

/** One slot's length for a window: 1/100 of it, rounded up, at least 1 ms. */
export function slotMsFor(windowMs: number): number {
  return Math.max(1, Math.ceil(windowMs / SLOTS_PER_WINDOW));
}

/** One key's log: slot ends (ms since the epoch, ascending) and the cost recorded in each. */
export interface WindowLog {
  ends: number[];
  costs: number[];
  /** Sum of `costs`. */
  total: number;
}

/** A fresh, empty log. */
export function emptyLog(): WindowLog {
  return { ends: [], costs: [], total: 0 };
}

/**
 * Decides one request against `log` at time `now` (ms) and records it when admitted.
 * Slots that have left the window are dropped first; a refusal changes nothing else.
 * Arguments are assumed checked (`checkConsumeArgs`).
 */
export function decide(log: WindowLog, now: number, policy: RatePolicy, cost: number): Decision {
  const { limit, windowMs } = policy;
  let expired = 0;
  while (expired < log.ends.length && (log.ends[expired] as number) + windowMs <= now) {
    log.total -= log.costs[expired] as number;
    expired += 1;
  }
  if (expired > 0) {
    log.ends.splice(0, expired);
    log.costs.splice(0, expired);
  }

  let allowed = false;
  let retryAfterMs = 0;
  let reason: Decision['reason'];
  if (cost > limit) {
    retryAfterMs = Number.POSITIVE_INFINITY;
    reason = 'cost-over-limit';
  } else if (log.total + cost <= limit) {
    allowed = true;
    if (cost > 0) record(log, now, windowMs, cost);
  } else {
    // Walk from the oldest slot until enough units will have left for this cost to fit.
    const needed = log.total + cost - limit;
    let freed = 0;
    for (let i = 0; i < log.ends.length; i += 1) {
      freed += log.costs[i] as number;
      if (freed >= needed) {
        retryAfterMs = (log.ends[i] as number) + windowMs - now;
        break;
      }
    }
    reason = 'limit-reached';
  }

  const oldest = log.ends[0];
  const remaining = Math.max(0, limit - log.total);
  const reset = oldest === undefined ? windowMs : oldest + windowMs - now;
  // Two literals rather than a spread: one object per call, of one of two fixed shapes.
  return reason === undefined
    ? { allowed, limit, windowMs, cost, remaining, reset, retryAfterMs }
    : { allowed, limit, windowMs, cost, remaining, reset, retryAfterMs, reason };
}

function record(log: WindowLog, now: number, windowMs: number, cost: number): void {
  const slotMs = slotMsFor(windowMs);
  const end = (Math.floor(now / slotMs) + 1) * slotMs;
  const last = log.ends.length - 1;
  // A clock that stepped back lands in the newest slot: later expiry, never an early one.
  if (last >= 0 && (log.ends[last] as number) >= end) {
    log.costs[last] = (log.costs[last] as number) + cost;
  } else {
    log.ends.push(end);
    log.costs.push(cost);
  }
  log.total += cost;
}

/** When `log` can be forgotten: its newest slot has left a window of `windowMs`. */
export function expiresAt(log: WindowLog, windowMs: number): number {
  const newest = log.ends[log.ends.length - 1];
  return newest === undefined ? Number.NEGATIVE_INFINITY : newest + windowMs;
}
