/**
 * Long-lived services, in one place: created once at start-up from config, handed to the
 * plugins that need them, probed by readiness, and closed on shutdown.
 *
 * - one Redis connection (when `store.redisUrl` is set), shared by everything that uses Redis;
 * - API keys: the store (embedded file or PostgreSQL), the cached verifier, usage, lifecycle;
 * - bearer tokens: providers, JWKS caches, introspection, the revocation list;
 * - the rate limiter (in memory, or Redis shared by every instance);
 * - persisted documents: the manifest of trusted documents, read once, and the APQ
 *   registrations (memory, and Redis shared by every instance).
 */
import type { Redis } from 'ioredis';
import { createApiKeyServices, type ApiKeyServices } from '../auth/api-keys/services.js';
import { createTokenService, TOKENS_REDIS_NAMESPACE, type TokenService } from '../auth/tokens/index.js';
import type { ResolvedConfig } from '../config/types.js';
import { closeRedis, createRedisConnection, waitForRedis } from '../store/redis.js';
import type { Logger } from '../telemetry/logger.js';
import { createRateLimiter, type RateLimiter } from '../traffic/rate-limit/index.js';
import { createApqStore, type ApqStore } from './persisted-documents/apq-store.js';
import { loadManifest, type Manifest } from './persisted-documents/manifest.js';
import type { Probe } from './state.js';

/** The services of one gateway. */
export interface GatewayServices {
  readonly logger: Logger;
  readonly apiKeys: ApiKeyServices;
  readonly tokens: TokenService;
  readonly limiter: RateLimiter;
  /** The trusted documents (`persistedDocuments.manifest`) and APQ registrations, when configured. */
  readonly persistedDocuments: { readonly manifest?: Manifest; readonly apq?: ApqStore };
  /** Probes of what readiness depends on (the store, Redis); a failing one makes `/readyz` 503. */
  readonly probes: readonly Probe[];
  /** Closes every service, last created first; called once, after the HTTP server has drained. */
  close(): Promise<void>;
}

const warnWith = (logger: Logger, message: string) => (error: unknown) =>
  logger.warn(message, { error: error instanceof Error ? error.message : String(error) });

/**
 * Creates the services `config` asks for. If one fails to start, those already started are
 * closed before the error is rethrown, so a failed start leaves no connection open.
 */
export async function createServices(config: ResolvedConfig, logger: Logger): Promise<GatewayServices> {
  const closers: Array<() => Promise<void>> = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.reverse()) await closer().catch(warnWith(logger, 'a service did not close cleanly'));
  };
  try {
    let redis: Redis | undefined;
    const { redisUrl, redisPrefix } = config.store;
    if (redisUrl !== undefined) {
      const connection = createRedisConnection(redisUrl, { name: 'gateway', onError: warnWith(logger, 'Redis connection error (reconnecting)') });
      closers.push(() => closeRedis(connection));
      await waitForRedis(connection, redisUrl);
      redis = connection;
    }
    // The one limiter: quotas, and the bounds on what a client can make the gateway do (calls
    // to the token provider, refresh requests, key lookups, admin authentications).
    const { fail, timeoutMs } = config.rateLimits.redis;
    const limiter = createRateLimiter({
      ...(redis ? { redis } : {}),
      keyPrefix: `${redisPrefix}rl:`,
      onStoreError: warnWith(logger, 'rate limiter store error'),
      onStoreFailure: {
        fail,
        timeoutMs,
        onOutage: (error) => logger.warn(`rate limiter's Redis does not answer: failing ${fail} (rateLimits.redis.fail)`, { error: error instanceof Error ? error.message : String(error) }),
        onRecovery: () => logger.info("rate limiter's Redis answers again: counting there resumes"),
      },
    });
    closers.push(() => limiter.close());
    const apiKeys = await createApiKeyServices(config, { logger, limiter, ...(redis ? { redis } : {}) });
    closers.push(() => apiKeys.close());
    const tokens = await createTokenService(config.auth, { logger, limiter, ...(redis ? { redis, redisPrefix: `${redisPrefix}${TOKENS_REDIS_NAMESPACE}` } : {}) });
    closers.push(() => tokens.close());

    // The providers' keys are fetched now, off the start-up path: the first token does not wait
    // for discovery and the JWKS, and a provider that cannot be reached is logged at once.
    void tokens.warmUp().then((failures) => {
      for (const failure of failures) logger.warn('token provider keys not fetched at start-up; its tokens wait for them', failure);
    });
    const documents = config.persistedDocuments;
    const manifest = documents.manifests.length === 0 ? undefined : await loadManifest(documents.manifests, config.rootDir);
    const apq = documents.apq
      ? createApqStore({
        maxBytes: documents.apqCacheBytes,
        ttlSeconds: documents.apqTtlSeconds,
        ...(redis ? { redis, keyPrefix: `${redisPrefix}apq:` } : {}),
        onStoreError: warnWith(logger, 'persisted query store (Redis) error'),
      })
      : undefined;
    const persistedDocuments = { ...(manifest ? { manifest } : {}), ...(apq ? { apq } : {}) };
    const probes: Probe[] = [{ name: 'store', check: () => apiKeys.store.ping() }];
    if (redis !== undefined) {
      const connection = redis;
      probes.push({ name: 'redis', check: async () => void (await connection.ping()) });
    }
    return { logger, apiKeys, tokens, limiter, persistedDocuments, probes, close };
  } catch (error) {
    await close();
    throw error;
  }
}
