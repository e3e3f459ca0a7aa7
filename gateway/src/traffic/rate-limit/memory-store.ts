/**
 * The in-memory store: the embedded default. Exact within this process and nothing more: two
 * gateway instances with memory stores each admit the full limit (set OPENCLAW_REDIS_URL to
 * share counters).
 */
import { decide, emptyLog, expiresAt, type WindowLog } from './sliding-window.js';
import { checkConsumeArgs, type Clock, type Decision, type RateLimiter, type RatePolicy } from './types.js';

interface Entry {
  log: WindowLog;
  /** The window last used with this key, to know when its log can be dropped. */
  windowMs: number;
}

/**
 * A `RateLimiter` holding each key's log in a Map. Node runs one call at a time, so every
 * decision is atomic without locks. Keys whose window has passed are swept as calls go on
 * (amortised: one pass over the map every `size` calls), so idle keys do not pile up.
 */
export class MemoryRateLimiter implements RateLimiter {
  readonly store = 'memory';
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  private callsSinceSweep = 0;

  constructor(options: { clock?: Clock } = {}) {
    this.clock = options.clock ?? Date.now;
  }

  /** How many keys are held (idle keys leave at the next sweep). */
  get size(): number {
    return this.entries.size;
  }

  async consume(key: string, policy: RatePolicy, cost = 1): Promise<Decision> {
    checkConsumeArgs(key, policy, cost);
    const now = this.clock();
    this.sweepNowAndThen(now);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = { log: emptyLog(), windowMs: policy.windowMs };
      const decision = decide(entry.log, now, policy, cost);
      if (entry.log.ends.length > 0) this.entries.set(key, entry);
      return decision;
    }
    entry.windowMs = policy.windowMs;
    return decide(entry.log, now, policy, cost);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {
    this.entries.clear();
  }

  private sweepNowAndThen(now: number): void {
    this.callsSinceSweep += 1;
    if (this.callsSinceSweep < Math.max(1024, this.entries.size)) return;
    this.callsSinceSweep = 0;
    for (const [key, entry] of this.entries) {
      if (expiresAt(entry.log, entry.windowMs) <= now) this.entries.delete(key);
    }
  }
}
