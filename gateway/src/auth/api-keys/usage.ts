/**
 * Usage per key (requests, errors, last use, per UTC day), recorded off the hot path:
 * `recordUsage` only adds to an in-memory counter; a timer writes the counters to the store
 * in one transaction every `flushIntervalMs` (and when many keys are pending), and `close`
 * writes what is left. A failed write is retried with the next flush.
 */
import type { UsageIncrement, UsageStore } from '../../store/types.js';

/** How a request with a key ended: `ok`, or `error` (refused, or answered with errors). */
export type UsageOutcome = 'ok' | 'error';

/** The usage recorder a gateway instance shares between its requests. */
export interface UsageRecorder {
  /** Counts one request of `keyId` at `now` (default: the clock). Synchronous and cheap. */
  recordUsage(keyId: string, outcome: UsageOutcome, now?: number): void;
  /** Writes the pending counters now. */
  flush(): Promise<void>;
  /** Number of (key, day) counters waiting to be written. */
  readonly pending: number;
  /** Stops the timer and writes what is left. */
  close(): Promise<void>;
}

/** Options of `createUsageRecorder`. */
export interface UsageRecorderOptions {
  /** How often pending counters are written, ms. Default 1000. */
  flushIntervalMs?: number;
  /** Pending (key, day) counters that trigger a write before the timer. Default 1000. */
  maxPending?: number;
  /** Default `Date.now`. */
  clock?: () => number;
  /** Told about a failed write (the counters are kept for the next one). */
  onError?: (error: unknown) => void;
}

interface Counter {
  keyId: string;
  day: string;
  requests: number;
  errors: number;
  lastUsedAt: number;
}

// Past this many pending counters, a store that keeps failing costs memory: drop the oldest.
const HARD_LIMIT_FACTOR = 10;

/** A recorder writing to `store`. */
export function createUsageRecorder(store: UsageStore, options: UsageRecorderOptions = {}): UsageRecorder {
  const clock = options.clock ?? Date.now;
  const maxPending = options.maxPending ?? 1000;
  let pending = new Map<string, Counter>();
  let flushing: Promise<void> | undefined;

  const add = (counter: Counter): void => {
    const slot = `${counter.keyId} ${counter.day}`;
    const existing = pending.get(slot);
    if (existing === undefined) {
      pending.set(slot, counter);
      return;
    }
    existing.requests += counter.requests;
    existing.errors += counter.errors;
    existing.lastUsedAt = Math.max(existing.lastUsedAt, counter.lastUsedAt);
  };

  const write = async (): Promise<void> => {
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    const increments: UsageIncrement[] = [...batch.values()];
    try {
      await store.addUsage(increments);
    } catch (error) {
      for (const counter of increments) add(counter);
      while (pending.size > maxPending * HARD_LIMIT_FACTOR) pending.delete(pending.keys().next().value as string);
      options.onError?.(error);
    }
  };

  const flush = (): Promise<void> => {
    // One write at a time; a flush asked for during a write runs after it. `write` never rejects.
    const next = (flushing ?? Promise.resolve()).then(write);
    flushing = next;
    return next;
  };

  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 1000);
  timer.unref();

  return {
    recordUsage(keyId, outcome, now = clock()) {
      add({ keyId, day: new Date(now).toISOString().slice(0, 10), requests: 1, errors: outcome === 'error' ? 1 : 0, lastUsedAt: now });
      if (pending.size >= maxPending) void flush();
    },
    flush,
    get pending() {
      return pending.size;
    },
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
