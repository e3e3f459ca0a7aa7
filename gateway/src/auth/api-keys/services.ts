/**
 * Start-up: everything API keys need, created once from config and closed on shutdown.
 * `createApiKeyServices` is for a gateway instance (store, verifier with its cache and change
 * feed, usage recorder, lifecycle service); `openKeyManagement` is for the CLI (store, service,
 * and a Redis connection to announce changes, nothing that polls or caches).
 */
import type { Redis } from 'ioredis';
import type { ResolvedApiKeysConfig, ResolvedStoreConfig } from '../../config/types.js';
import { openStore } from '../../store/open.js';
import { closeRedis, createRedisConnection, waitForRedis } from '../../store/redis.js';
import type { Store } from '../../store/types.js';
import type { Logger } from '../../telemetry/logger.js';
import type { RateLimiter } from '../../traffic/rate-limit/index.js';
import { BACKSTOP_POLL_MS, combineFeeds, pollChanges, publishKeyChange, redisChanges, type KeyChangeFeed } from './changes.js';
import { createKeyDigester } from './digest.js';
import { createApiKeyService, type ApiKeyService } from './service.js';
import { createUsageRecorder, type UsageRecorder } from './usage.js';
import { createVerifier, type ApiKeyVerifier } from './verifier.js';

/** The config sections API keys read. */
export interface ApiKeysSettings {
  store: ResolvedStoreConfig;
  apiKeys: ResolvedApiKeysConfig;
}

/** What may be handed in instead of being created (and is then not closed here). */
export interface ApiKeysDeps {
  logger?: Logger;
  /** Default `Date.now`. */
  clock?: () => number;
  /** A store opened elsewhere (shared with other services). */
  store?: Store;
  /** A Redis connection made elsewhere (`createRedisConnection`); used to publish, duplicated to subscribe. */
  redis?: Redis;
  /** Usage flush interval, ms. Default 1000. */
  usageFlushMs?: number;
  /** Store poll interval when Redis carries the notices, ms. Default 10000. */
  backstopPollMs?: number;
  /** The one rate limiter: lookups of unknown keys are charged to the client's address (apiKeys.unknownKeysPerMinute). */
  limiter?: Pick<RateLimiter, 'consume'>;
}

/** A gateway instance's API key services. */
export interface ApiKeyServices {
  readonly store: Store;
  readonly service: ApiKeyService;
  readonly verifier: ApiKeyVerifier;
  readonly usage: UsageRecorder;
  readonly changes: KeyChangeFeed;
  /** Flushes usage, stops polling and listening, closes what was created here. */
  close(): Promise<void>;
}

/** The CLI's key services: no cache, no polling. */
export interface KeyManagement {
  readonly store: Store;
  readonly service: ApiKeyService;
  close(): Promise<void>;
}

function channelOf(config: ResolvedStoreConfig): string {
  return `${config.redisPrefix}api-keys:changes`;
}

function warn(logger: Logger | undefined, message: string) {
  return (error: unknown) => logger?.warn(message, { error: error instanceof Error ? error.message : String(error) });
}

/**
 * Opens Redis when configured and not handed in; `owned` says whether to close it. A
 * long-running gateway logs each connection error; a one-shot command (`quiet`) only the outcome.
 */
async function redisFor(config: ResolvedStoreConfig, deps: ApiKeysDeps, name: string, quiet = false): Promise<{ redis?: Redis; owned: boolean }> {
  if (deps.redis !== undefined) return { redis: deps.redis, owned: false };
  if (config.redisUrl === undefined) return { owned: false };
  const onError = quiet ? () => undefined : warn(deps.logger, 'Redis connection error (reconnecting)');
  const redis = createRedisConnection(config.redisUrl, { name, onError });
  try {
    await waitForRedis(redis, config.redisUrl);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return { redis, owned: true };
}

/**
 * Opens the store (running its migrations) unless one is given, connects Redis when
 * `store.redisUrl` is set, and builds the verifier, usage recorder and service. Resolves once
 * change notices flow, so nothing cached can miss one. Throws `STORE_UNAVAILABLE` when the
 * store or Redis cannot be reached.
 */
export async function createApiKeyServices(config: ApiKeysSettings, deps: ApiKeysDeps = {}): Promise<ApiKeyServices> {
  const clock = deps.clock ?? Date.now;
  const logger = deps.logger;
  const store = deps.store ?? (await openStore(config.store, { now: clock, onError: warn(logger, 'PostgreSQL connection error') }));
  const closers: Array<() => Promise<void>> = deps.store === undefined ? [() => store.close()] : [];
  try {
    const { redis, owned } = await redisFor(config.store, deps, 'api-keys');
    const feeds: KeyChangeFeed[] = [];
    if (redis !== undefined) {
      const subscriber = redis.duplicate();
      subscriber.on('error', warn(logger, 'Redis subscriber error (reconnecting)'));
      closers.push(() => closeRedis(subscriber));
      if (owned) closers.push(() => closeRedis(redis));
      feeds.push(redisChanges({ publisher: redis, subscriber, channel: channelOf(config.store), onError: warn(logger, 'Bad key change notice') }));
    }
    const pollMs = redis === undefined ? config.apiKeys.changePollMs : (deps.backstopPollMs ?? BACKSTOP_POLL_MS);
    feeds.push(pollChanges(store, pollMs, warn(logger, 'Could not read the key store change log')));
    const changes = feeds.length === 1 ? (feeds[0] as KeyChangeFeed) : combineFeeds(feeds);
    closers.unshift(() => changes.close());

    const digester = createKeyDigester(config.apiKeys.hashSecret);
    const usage = createUsageRecorder(store, {
      clock,
      ...(deps.usageFlushMs === undefined ? {} : { flushIntervalMs: deps.usageFlushMs }),
      onError: warn(logger, 'Could not write API key usage (kept for the next flush)'),
    });
    closers.unshift(() => usage.close());
    const verifier = createVerifier({
      store,
      digester,
      changes,
      cacheSize: config.apiKeys.cacheSize,
      usage,
      unknownCacheSize: config.apiKeys.unknownKeyCacheSize,
      unknownKeysPerMinute: config.apiKeys.unknownKeysPerMinute,
      ...(deps.limiter === undefined ? {} : { limiter: deps.limiter }),
    });
    closers.unshift(async () => verifier.close());
    await changes.start();
    const service = createApiKeyService({
      store,
      digester,
      // This instance's own cache forgets the key at once; the others hear it through the feed.
      changes: {
        announce: (keyId) => {
          verifier.invalidate([keyId]);
          return changes.announce(keyId);
        },
      },
      clock,
      defaultGraceMs: config.apiKeys.rotationGraceMs,
      onAnnounceError: (error, keyId) => warn(logger, `Could not announce the change of ${keyId} over Redis`)(error),
    });
    return { store, service, verifier, usage, changes, close: () => closeAll(closers) };
  } catch (error) {
    await closeAll(closers);
    throw error;
  }
}

async function closeAll(closers: ReadonlyArray<() => Promise<void>>): Promise<void> {
  // In order: stop the feed and the verifier, flush usage, then close connections and the store.
  for (const close of closers) await close().catch(() => undefined);
}

/**
 * The CLI's services: the store, the lifecycle service, and (with `store.redisUrl`) a Redis
 * connection to announce each change. When Redis cannot be reached or told, the change is
 * still saved, the logger is warned, and gateways see it at their next store check (10 s).
 */
export async function openKeyManagement(config: ApiKeysSettings, deps: ApiKeysDeps = {}): Promise<KeyManagement> {
  const clock = deps.clock ?? Date.now;
  const store = deps.store ?? (await openStore(config.store, { now: clock, maxConnections: 2 }));
  const closers: Array<() => Promise<void>> = deps.store === undefined ? [() => store.close()] : [];
  const backstop = `gateways will see the change at their next store check (within ${BACKSTOP_POLL_MS / 1000} s)`;
  let redis: Redis | undefined;
  try {
    const opened = await redisFor(config.store, deps, 'cli', true);
    redis = opened.redis;
    if (redis !== undefined && opened.owned) closers.unshift(() => closeRedis(redis as Redis));
  } catch (error) {
    warn(deps.logger, `Redis could not be reached; ${backstop}`)(error);
  }
  const channel = channelOf(config.store);
  const service = createApiKeyService({
    store,
    digester: createKeyDigester(config.apiKeys.hashSecret),
    ...(redis === undefined ? {} : { changes: { announce: (keyId: string) => publishKeyChange(redis as Redis, channel, keyId) } }),
    clock,
    defaultGraceMs: config.apiKeys.rotationGraceMs,
    onAnnounceError: (error, keyId) => warn(deps.logger, `The change of ${keyId} is saved but Redis could not be told; ${backstop}`)(error),
  });
  return { store, service, close: () => closeAll(closers) };
}
