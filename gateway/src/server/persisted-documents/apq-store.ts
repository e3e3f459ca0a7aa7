/**
 * Automatic persisted queries' registrations (`persistedDocuments.apq`): SHA-256 hash ->
 * document text. Each instance keeps an LRU bounded by bytes (`apqCacheBytes`, 2 bytes per
 * character: the most a JavaScript string holds); with Redis (`store.redisUrl`) every
 * registration is also written there, with a time to live (`apqTtlSeconds`), so a document
 * registered on one instance is found by the others. Redis failing never fails a request: a
 * lookup that cannot reach it within `REDIS_LOOKUP_TIMEOUT_MS` is a miss (the client then
 * sends the document again), a write that cannot is logged.
 */
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { sha256Hex } from './manifest.js';

/** Longest a lookup waits for Redis before it counts as a miss, ms. */
export const REDIS_LOOKUP_TIMEOUT_MS = 250;

/** `promise`, or undefined when it takes longer than `ms` (the timer never holds the process). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Where registrations live. */
export interface ApqStore {
  /** The text registered under `hash` (lower-case hex), if any. */
  get(hash: string): Promise<string | undefined>;
  /** Registers `text` under its hash `hash`. */
  set(hash: string, text: string): Promise<void>;
}

/** What the store is made of. */
export interface ApqStoreOptions {
  readonly maxBytes: number;
  readonly ttlSeconds: number;
  /** Shared with every instance, when configured. */
  readonly redis?: Redis;
  /** Put in front of every Redis key (`store.redisPrefix` + `apq:`). */
  readonly keyPrefix?: string;
  /** Told when Redis could not be read or written. */
  readonly onStoreError?: (error: unknown) => void;
}

/** The APQ store: memory in front, Redis behind when given. */
export function createApqStore(options: ApqStoreOptions): ApqStore {
  const memory = new LRUCache<string, string>({ maxSize: options.maxBytes, sizeCalculation: (text) => Math.max(1, text.length * 2) });
  const { redis } = options;
  const key = (hash: string) => `${options.keyPrefix ?? ''}${hash}`;
  return {
    async get(hash) {
      const cached = memory.get(hash);
      if (cached !== undefined || redis === undefined) return cached;
      let text: string | null | undefined;
      try {
        text = await within(redis.get(key(hash)), REDIS_LOOKUP_TIMEOUT_MS);
      } catch (error) {
        options.onStoreError?.(error);
        return undefined;
      }
      // A value that is not the hash's document (a key written by something else) is a miss.
      if (text === null || text === undefined || sha256Hex(text) !== hash) return undefined;
      memory.set(hash, text);
      return text;
    },
    async set(hash, text) {
      memory.set(hash, text);
      if (redis === undefined) return;
      try {
        await redis.set(key(hash), text, 'EX', options.ttlSeconds);
      } catch (error) {
        options.onStoreError?.(error);
      }
    },
  };
}
