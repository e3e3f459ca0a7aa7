/**
 * How a revocation, rotation or update made anywhere (another gateway instance, the CLI, the
 * admin API) reaches every instance's cache within a second:
 *
 * - with Redis: the writer publishes the key's id on `<redisPrefix>api-keys:changes`; every
 *   instance drops that key from its cache when the message arrives (milliseconds). After a
 *   reconnection an instance drops its whole cache, since messages sent meanwhile are lost.
 * - always: every write also bumps the store's change counter in the same transaction. Each
 *   instance polls it (one single-row read) and, when it moved, reads which keys changed. This is
 *   the whole mechanism without Redis (every `apiKeys.changePollMs`, default 500 ms), and a
 *   backstop with Redis (every 10 s) for a writer that had no Redis URL or a lost message.
 */
import type { Redis } from 'ioredis';
import type { ChangeLog } from '../../store/types.js';

/** Told which keys changed: their ids, or `null` for "anything may have changed". */
export type ChangeListener = (keyIds: readonly string[] | null) => void;

/** A source of change notices. */
export interface KeyChangeFeed {
  /** Resolves once notices are flowing (the poller has its first version; Redis is subscribed). */
  start(): Promise<void>;
  /** Adds a listener; returns its removal. */
  subscribe(listener: ChangeListener): () => void;
  /** Tells other instances that `keyId` changed (a no-op for the poller: the store already knows). */
  announce(keyId: string): Promise<void>;
  close(): Promise<void>;
}

/** The backstop poll interval when Redis carries the notices. */
export const BACKSTOP_POLL_MS = 10_000;

class Listeners {
  private readonly set = new Set<ChangeListener>();

  add(listener: ChangeListener): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(keyIds: readonly string[] | null): void {
    for (const listener of this.set) listener(keyIds);
  }
}

/**
 * Polls `store`'s change counter every `intervalMs` and reports the keys changed. A failed
 * poll is reported to `onError` and retried at the next tick; the timer does not keep the
 * process alive.
 */
export function pollChanges(store: ChangeLog, intervalMs: number, onError: (error: unknown) => void = () => undefined): KeyChangeFeed {
  const listeners = new Listeners();
  let version: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let polling = false;
  let closed = false;

  const tick = async (): Promise<void> => {
    if (polling || closed) return;
    polling = true;
    try {
      if (version === undefined) {
        version = await store.changeVersion();
        // Whatever happened while the version was unknown is unknown: start clean.
        listeners.emit(null);
        return;
      }
      const batch = await store.changesSince(version);
      version = batch.version;
      if (batch.reset) listeners.emit(null);
      else if (batch.keyIds.length > 0) listeners.emit(batch.keyIds);
    } catch (error) {
      onError(error);
    } finally {
      polling = false;
    }
  };

  return {
    async start() {
      version = await store.changeVersion();
      timer = setInterval(() => void tick(), intervalMs);
      timer.unref();
    },
    subscribe: (listener) => listeners.add(listener),
    announce: () => Promise.resolve(),
    close() {
      closed = true;
      clearInterval(timer);
      return Promise.resolve();
    },
  };
}

/** Publishes that `keyId` changed on `channel` (what `redisChanges` subscribers hear). */
export async function publishKeyChange(redis: Redis, channel: string, keyId: string): Promise<void> {
  await redis.publish(channel, JSON.stringify({ ids: [keyId] }));
}

/** What `redisChanges` needs: a connection to publish on, and a second one it may subscribe. */
export interface RedisChangeOptions {
  publisher: Redis;
  /** A connection of its own (`publisher.duplicate()`): once subscribed it can do nothing else. */
  subscriber: Redis;
  /** `<redisPrefix>api-keys:changes`. */
  channel: string;
  onError?: (error: unknown) => void;
}

/**
 * Change notices over Redis pub/sub. `announce(id)` publishes; every subscriber (this instance
 * included) is told. A reconnection of the subscriber reports `null`: notices may have been lost.
 */
export function redisChanges(options: RedisChangeOptions): KeyChangeFeed {
  const listeners = new Listeners();
  const { subscriber, publisher, channel } = options;
  let subscribed = false;
  const onMessage = (from: string, message: string): void => {
    if (from !== channel) return;
    try {
      const parsed = JSON.parse(message) as { ids?: unknown };
      if (Array.isArray(parsed.ids)) listeners.emit(parsed.ids.map(String));
    } catch (error) {
      options.onError?.(error);
    }
  };
  const onReady = (): void => {
    // The first 'ready' is the initial connection; any later one is a reconnection.
    if (subscribed) listeners.emit(null);
  };
  return {
    async start() {
      subscriber.on('message', onMessage);
      subscriber.on('ready', onReady);
      await subscriber.subscribe(channel);
      subscribed = true;
    },
    subscribe: (listener) => listeners.add(listener),
    announce: (keyId) => publishKeyChange(publisher, channel, keyId),
    async close() {
      subscriber.off('message', onMessage);
      subscriber.off('ready', onReady);
    },
  };
}

/** Several feeds as one: every notice of each, announced on each, started and closed together. */
export function combineFeeds(feeds: readonly KeyChangeFeed[]): KeyChangeFeed {
  return {
    async start() {
      await Promise.all(feeds.map((feed) => feed.start()));
    },
    subscribe(listener) {
      const removals = feeds.map((feed) => feed.subscribe(listener));
      return () => removals.forEach((remove) => remove());
    },
    async announce(keyId) {
      await Promise.all(feeds.map((feed) => feed.announce(keyId)));
    },
    async close() {
      await Promise.all(feeds.map((feed) => feed.close()));
    },
  };
}
