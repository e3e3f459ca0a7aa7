/**
 * The embedded store's schema, as numbered migrations. `migrate` runs the missing ones in one
 * `BEGIN IMMEDIATE` transaction, so two processes opening a new file at once apply each once.
 * A migration is never edited after release: add the next number instead.
 */
import type { Database } from 'better-sqlite3';

interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'api keys, their secrets, usage per day, change log',
    sql: `
      CREATE TABLE openclaw_api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        owner TEXT,
        environment TEXT NOT NULL CHECK (environment IN ('live', 'test')),
        scopes TEXT NOT NULL,
        rate_limit INTEGER,
        rate_window_ms INTEGER,
        allowed_ips TEXT NOT NULL,
        expires_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
      );
      CREATE INDEX openclaw_api_keys_owner ON openclaw_api_keys (owner);
      CREATE INDEX openclaw_api_keys_created ON openclaw_api_keys (created_at);
      CREATE TABLE openclaw_api_key_secrets (
        key_id TEXT NOT NULL REFERENCES openclaw_api_keys (id),
        prefix TEXT NOT NULL,
        digest TEXT NOT NULL,
        scheme TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        valid_until INTEGER,
        PRIMARY KEY (key_id, digest)
      );
      CREATE INDEX openclaw_api_key_secrets_prefix ON openclaw_api_key_secrets (prefix);
      CREATE TABLE openclaw_api_key_usage (
        key_id TEXT NOT NULL,
        day TEXT NOT NULL,
        requests INTEGER NOT NULL,
        errors INTEGER NOT NULL,
        PRIMARY KEY (key_id, day)
      );
      CREATE TABLE openclaw_meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      INSERT INTO openclaw_meta (name, value) VALUES ('api_keys_version', 0);
      CREATE TABLE openclaw_api_key_changes (
        version INTEGER PRIMARY KEY,
        key_id TEXT NOT NULL,
        changed_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'a cost budget per key',
    sql: `
      ALTER TABLE openclaw_api_keys ADD COLUMN cost_limit INTEGER;
      ALTER TABLE openclaw_api_keys ADD COLUMN cost_window_ms INTEGER;
    `,
  },
  {
    version: 3,
    name: 'api keys: trusted documents only',
    sql: `
      ALTER TABLE openclaw_api_keys ADD COLUMN trusted_documents_only INTEGER NOT NULL DEFAULT 0;
    `,
  },
];

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the file's schema up to date. Throws when the file was written by a newer gateway
 * (its schema version is above `SCHEMA_VERSION`): running old code on it could corrupt it.
 */
export function migrate(db: Database, now: number): void {
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS openclaw_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    const applied = new Set(
      (db.prepare('SELECT version FROM openclaw_migrations').all() as Array<{ version: number }>).map((row) => row.version),
    );
    const newest = Math.max(0, ...applied);
    if (newest > SCHEMA_VERSION) {
      throw new Error(`the store's schema is at version ${newest}, newer than this gateway's ${SCHEMA_VERSION}; upgrade the gateway`);
    }
    const record = db.prepare('INSERT INTO openclaw_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, now);
    }
  }).immediate();
}
