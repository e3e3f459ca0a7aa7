/**
 * Persistence behind small interfaces (`types.ts`): the embedded SQLite file by default,
 * PostgreSQL when `store.databaseUrl` is set; Redis connections for what instances share.
 * Nothing here knows what an API key means; `auth/api-keys/` does.
 */
export { openStore, type OpenStoreDeps } from './open.js';
export { openEmbeddedStore, EMBEDDED_FILE, type EmbeddedStoreOptions } from './sqlite/store.js';
export { openPostgresStore, redactUrl, type PostgresStoreOptions } from './postgres/store.js';
export { createRedisConnection, closeRedis, redactRedisUrl, waitForRedis, type RedisConnectionOptions } from './redis.js';
export type {
  ApiKeyStore,
  ChangeBatch,
  ChangeLog,
  DigestScheme,
  KeyEnvironment,
  KeyMatch,
  KeyPatch,
  KeyQuery,
  Store,
  StoredApiKey,
  StoredKeySecret,
  StoredRateLimit,
  UsageDay,
  UsageIncrement,
  UsageStore,
} from './types.js';
