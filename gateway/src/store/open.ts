/**
 * Choosing the store from config: PostgreSQL when `store.databaseUrl` is set, else the
 * embedded SQLite file under `store.dataDir`.
 */
import type { ResolvedStoreConfig } from '../config/types.js';
import { openPostgresStore } from './postgres/store.js';
import { openEmbeddedStore } from './sqlite/store.js';
import type { Store } from './types.js';

/** What `openStore` may be given beyond the config. */
export interface OpenStoreDeps {
  /** The time recorded for applied migrations. Default `Date.now`. */
  now?: () => number;
  /** Told about background connection errors (PostgreSQL's idle connections). */
  onError?: (error: Error) => void;
  /** PostgreSQL pool size. Default 10 (the CLI passes 2). */
  maxConnections?: number;
}

/**
 * Opens the configured store and runs its migrations. Throws `STORE_UNAVAILABLE` (naming the
 * file, or the database without its password) when it cannot be opened. Close it on shutdown.
 */
export async function openStore(config: Pick<ResolvedStoreConfig, 'databaseUrl' | 'dataDir'>, deps: OpenStoreDeps = {}): Promise<Store> {
  if (config.databaseUrl !== undefined) {
    return openPostgresStore({
      url: config.databaseUrl,
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.onError ? { onError: deps.onError } : {}),
      ...(deps.maxConnections ? { maxConnections: deps.maxConnections } : {}),
    });
  }
  return openEmbeddedStore({ dataDir: config.dataDir, ...(deps.now ? { now: deps.now } : {}) });
}
