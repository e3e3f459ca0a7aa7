/**
 * The PostgreSQL schema, as numbered migrations, run at start-up. One transaction holds an
 * advisory lock (per schema) while it applies the missing ones, so gateway instances starting
 * together apply each migration once. Tables live in the connection's current schema (set
 * `search_path`, e.g. `?options=-c%20search_path%3Dopenclaw` in the URL, to choose another).
 * A migration is never edited after release: add the next number instead.
 */
import type { PoolClient } from 'pg';

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
        id text PRIMARY KEY,
        name text NOT NULL,
        owner text,
        environment text NOT NULL CHECK (environment IN ('live', 'test')),
        scopes jsonb NOT NULL,
        rate_limit integer,
        rate_window_ms bigint,
        allowed_ips jsonb NOT NULL,
        expires_at bigint,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL,
        last_used_at bigint,
        revoked_at bigint
      );
      CREATE INDEX openclaw_api_keys_owner ON openclaw_api_keys (owner);
      CREATE INDEX openclaw_api_keys_created ON openclaw_api_keys (created_at);
      CREATE TABLE openclaw_api_key_secrets (
        key_id text NOT NULL REFERENCES openclaw_api_keys (id),
        prefix text NOT NULL,
        digest text NOT NULL,
        scheme text NOT NULL,
        created_at bigint NOT NULL,
        valid_until bigint,
        PRIMARY KEY (key_id, digest)
      );
      CREATE INDEX openclaw_api_key_secrets_prefix ON openclaw_api_key_secrets (prefix);
      CREATE TABLE openclaw_api_key_usage (
        key_id text NOT NULL,
        day text NOT NULL,
        requests bigint NOT NULL,
        errors bigint NOT NULL,
        PRIMARY KEY (key_id, day)
      );
      CREATE TABLE openclaw_meta (name text PRIMARY KEY, value bigint NOT NULL);
      INSERT INTO openclaw_meta (name, value) VALUES ('api_keys_version', 0);
      CREATE TABLE openclaw_api_key_changes (
        version bigint PRIMARY KEY,
        key_id text NOT NULL,
        changed_at bigint NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'a cost budget per key',
    sql: `
      ALTER TABLE openclaw_api_keys ADD COLUMN cost_limit bigint;
      ALTER TABLE openclaw_api_keys ADD COLUMN cost_window_ms bigint;
    `,
  },
  {
    version: 3,
    name: 'api keys: trusted documents only',
    sql: `
      ALTER TABLE openclaw_api_keys ADD COLUMN trusted_documents_only boolean NOT NULL DEFAULT false;
    `,
  },
];

/** The newest schema version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the database's schema up to date, on `client` (not in a transaction yet). Throws when
 * the database was migrated by a newer gateway.
 */
export async function migrate(client: PoolClient, now: number): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':openclaw_migrations'))");
    await client.query('CREATE TABLE IF NOT EXISTS openclaw_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM openclaw_migrations');
    const applied = new Set(rows.map((row) => row.version));
    const newest = Math.max(0, ...applied);
    if (newest > SCHEMA_VERSION) {
      throw new Error(`the database's schema is at version ${newest}, newer than this gateway's ${SCHEMA_VERSION}; upgrade the gateway`);
    }
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO openclaw_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        now,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
