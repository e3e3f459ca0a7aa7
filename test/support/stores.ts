/**
 * Test support for the stores: the real PostgreSQL on 127.0.0.1:5432 (database `test`) with a
 * fresh schema per use, the real Redis on 127.0.0.1:6379 with a random key prefix, and
 * temporary data directories for the embedded file. Everything made here is removed by
 * `cleanup()`: other test runs share the same services.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { openStore, type Store } from '../../gateway/src/store/index.js';

/** The test database; `TEST_DATABASE_URL` overrides it. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
/** The test Redis; `TEST_REDIS_URL` overrides it. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The two kinds of store every store test runs against. */
export const STORE_KINDS = ['embedded', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** Where one test's store lives: open as many store objects on it as needed. */
export interface StoreLocation {
  kind: StoreKind;
  /** The config a store is opened from: `dataDir` (embedded) or `databaseUrl` (PostgreSQL). */
  config: { dataDir: string; databaseUrl?: string };
  /** Opens one more store object on the same data (a second gateway instance, a restart). */
  open(now?: () => number): Promise<Store>;
  /** Closes every store opened here and removes the data. */
  cleanup(): Promise<void>;
}

function randomName(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** A URL for `schema` in the test database (search_path set through the startup options). */
export function urlForSchema(schema: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return url.href;
}

/** A fresh, empty location of `kind`. */
export async function freshStoreLocation(kind: StoreKind): Promise<StoreLocation> {
  const dataDir = await mkdtemp(join(tmpdir(), 'openclaw-store-'));
  let schema: string | undefined;
  if (kind === 'postgres') {
    schema = randomName('t_keys');
    await adminQuery(`CREATE SCHEMA ${schema}`);
  }
  const config = schema === undefined ? { dataDir } : { dataDir, databaseUrl: urlForSchema(schema) };
  const opened: Store[] = [];
  return {
    kind,
    config,
    async open(now) {
      const store = await openStore(config, { ...(now ? { now } : {}), maxConnections: 4 });
      opened.push(store);
      return store;
    },
    async cleanup() {
      // A store a test already closed (or broke) must not keep the schema and files behind.
      await Promise.all(opened.map((store) => store.close().catch(() => undefined)));
      if (schema !== undefined) await adminQuery(`DROP SCHEMA ${schema} CASCADE`);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A random Redis key prefix and a cleanup that deletes every key under it. */
export function freshRedisPrefix(): { prefix: string; cleanup(): Promise<void> } {
  const prefix = `${randomName('test:keys')}:`;
  return {
    prefix,
    async cleanup() {
      const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
      try {
        await redis.connect();
        const keys = await redis.keys(`${prefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    },
  };
}

/** A temporary folder and its removal. */
export async function tempDir(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'openclaw-keys-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** API key settings for tests: `location`'s store, a hashing secret, and `overrides` on top. */
export function keySettings(
  location: StoreLocation,
  overrides: {
    redisUrl?: string;
    redisPrefix?: string;
    hashSecret?: string | null;
    rotationGraceMs?: number;
    cacheSize?: number;
    changePollMs?: number;
    unknownKeyCacheSize?: number;
    unknownKeysPerMinute?: number;
  } = {},
) {
  const { redisUrl, redisPrefix, hashSecret, ...apiKeys } = overrides;
  return {
    store: { ...location.config, redisPrefix: redisPrefix ?? 'openclaw:', ...(redisUrl === undefined ? {} : { redisUrl }) },
    apiKeys: {
      ...(hashSecret === null ? {} : { hashSecret: hashSecret ?? 'test-secret-'.padEnd(40, 'x') }),
      rotationGraceMs: 86_400_000,
      cacheSize: 1000,
      changePollMs: 500,
      unknownKeyCacheSize: 1000,
      unknownKeysPerMinute: 60,
      ...apiKeys,
    },
  };
}

/** A real store whose lookups are counted (not a mock: every call goes to the store). */
export function countingLookups(store: Store): Store & { lookups: number } {
  const counted = Object.create(store) as Store & { lookups: number };
  counted.lookups = 0;
  counted.close = () => store.close();
  counted.findByPrefix = async (prefix: string) => {
    counted.lookups += 1;
    return store.findByPrefix(prefix);
  };
  return counted;
}
