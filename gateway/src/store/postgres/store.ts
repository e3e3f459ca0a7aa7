/**
 * The PostgreSQL store (`store.databaseUrl` / `OPENCLAW_DATABASE_URL`), for several gateway
 * instances on several hosts. Same tables and meaning as the embedded store; migrations run at
 * start-up. The change counter is one row updated inside each write transaction, so its row
 * lock orders the writes: a reader that sees version N also sees every change up to N.
 */
import type pg from 'pg';
import { GatewayError } from '../../errors/index.js';
import { CHANGES_KEPT, KEY_COLUMNS, MAX_LIST, type Row, VERSION_NAME, keyFromRow, keyQueryWhere, keyValues, keysFromRows, num, patchColumns, secretFromRow, unavailable, usageFromRow } from '../rows.js';
import type { ChangeBatch, KeyMatch, KeyPatch, KeyQuery, Store, StoredApiKey, StoredKeySecret, UsageDay, UsageIncrement } from '../types.js';
import { migrate } from './migrations.js';

/** Options of `openPostgresStore`. */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/db`; `?options=-c%20search_path%3Dname` picks a schema. */
  url: string;
  /** Connections in the pool. Default 10. */
  maxConnections?: number;
  /** How long to wait for a connection, ms. Default 5000. */
  connectTimeoutMs?: number;
  /** The time recorded for applied migrations. Default `Date.now`. */
  now?: () => number;
  /** Told about an idle connection that failed (the pool replaces it). */
  onError?: (error: Error) => void;
}

const WHAT = 'PostgreSQL key store';
const NETWORK_CODES = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|EPIPE)$/;
// SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57P operator intervention.
const SQLSTATE_UNAVAILABLE = /^(08|53|57P)/;
const MESSAGE_UNAVAILABLE = /Connection terminated|timeout exceeded when trying to connect|connection error|Cannot use a pool after calling end/i;

function isUnavailable(error: unknown): boolean {
  const code = String((error as { code?: unknown }).code ?? '');
  const message = error instanceof Error ? error.message : '';
  return NETWORK_CODES.test(code) || SQLSTATE_UNAVAILABLE.test(code) || MESSAGE_UNAVAILABLE.test(message);
}

/** `?` placeholders as PostgreSQL's `$1, $2, ...` (our SQL has no `?` anywhere else). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${(n += 1)}`);
}

/** The URL without its password, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href;
  } catch {
    return 'postgres://(unparseable URL)';
  }
}

/**
 * Connects to PostgreSQL, runs the migrations, and returns the store. Throws
 * `STORE_UNAVAILABLE` (naming the host, never the password) when it cannot.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  // pg is loaded only when a PostgreSQL store is configured.
  const { default: postgres } = await import('pg');
  const pool = new postgres.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
  });
  pool.on('error', (error) => options.onError?.(error));
  const location = redactUrl(options.url);
  try {
    const client = await pool.connect();
    try {
      await migrate(client, (options.now ?? Date.now)());
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new GatewayError('STORE_UNAVAILABLE', `The PostgreSQL key store at ${location} could not be opened: ${reason}`, {}, { cause: error });
  }
  return new PostgresStore(pool, location);
}

class PostgresStore implements Store {
  readonly kind = 'postgres' as const;
  readonly location: string;
  private readonly pool: pg.Pool;
  private closed = false;

  constructor(pool: pg.Pool, location: string) {
    this.pool = pool;
    this.location = location;
  }

  private fail(error: unknown): never {
    throw isUnavailable(error) ? unavailable(WHAT, error) : error;
  }

  private async query(sql: string, values: unknown[] = [], client: pg.Pool | pg.PoolClient = this.pool): Promise<Row[]> {
    try {
      return (await client.query(numbered(sql), values)).rows as Row[];
    } catch (error) {
      return this.fail(error);
    }
  }

  private async transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      return this.fail(error);
    }
    try {
      await this.query('BEGIN', [], client);
      const result = await fn(client);
      await this.query('COMMIT', [], client);
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async logChange(client: pg.PoolClient, keyId: string, now: number): Promise<void> {
    const [row] = await this.query(`UPDATE openclaw_meta SET value = value + 1 WHERE name = '${VERSION_NAME}' RETURNING value`, [], client);
    const version = num(row?.value) ?? 0;
    await this.query('INSERT INTO openclaw_api_key_changes (version, key_id, changed_at) VALUES (?, ?, ?)', [version, keyId, now], client);
    if (version > CHANGES_KEPT) await this.query('DELETE FROM openclaw_api_key_changes WHERE version <= ?', [version - CHANGES_KEPT], client);
  }

  private async readKey(id: string, client: pg.Pool | pg.PoolClient = this.pool): Promise<StoredApiKey | undefined> {
    const [row] = await this.query(`SELECT ${KEY_COLUMNS} FROM openclaw_api_keys WHERE id = ?`, [id], client);
    if (row === undefined) return undefined;
    const secrets = await this.query('SELECT * FROM openclaw_api_key_secrets WHERE key_id = ?', [id], client);
    return keyFromRow(row, secrets.map((secret) => secretFromRow(secret)));
  }

  private async insertSecret(client: pg.PoolClient, keyId: string, secret: StoredKeySecret): Promise<void> {
    await this.query(
      'INSERT INTO openclaw_api_key_secrets (key_id, prefix, digest, scheme, created_at, valid_until) VALUES (?, ?, ?, ?, ?, ?)',
      [keyId, secret.prefix, secret.digest, secret.scheme, secret.createdAt, secret.validUntil],
      client,
    );
  }

  async insertKey(key: StoredApiKey): Promise<void> {
    await this.transaction(async (client) => {
      const placeholders = KEY_COLUMNS.split(',').map(() => '?').join(', ');
      await this.query(`INSERT INTO openclaw_api_keys (${KEY_COLUMNS}) VALUES (${placeholders})`, keyValues(key), client);
      for (const secret of key.secrets) await this.insertSecret(client, key.id, secret);
    });
  }

  getKey(id: string): Promise<StoredApiKey | undefined> {
    return this.readKey(id);
  }

  async findByPrefix(prefix: string): Promise<KeyMatch[]> {
    const rows = await this.query(
      `SELECT k.*, s.prefix AS s_prefix, s.digest AS s_digest, s.scheme AS s_scheme, s.created_at AS s_created_at, s.valid_until AS s_valid_until
       FROM openclaw_api_key_secrets s JOIN openclaw_api_keys k ON k.id = s.key_id WHERE s.prefix = ?`,
      [prefix],
    );
    return rows.map((row) => {
      const secret = secretFromRow(row, 's_');
      return { key: keyFromRow(row, [secret]), secret };
    });
  }

  async listKeys(query: KeyQuery = {}): Promise<StoredApiKey[]> {
    const where = keyQueryWhere('postgres', query);
    const limit = Math.min(Math.max(query.limit ?? 100, 1), MAX_LIST);
    const keyRows = await this.query(
      `SELECT ${KEY_COLUMNS} FROM openclaw_api_keys ${where.sql} ORDER BY created_at DESC, id LIMIT ?`,
      [...where.values, limit],
    );
    if (keyRows.length === 0) return [];
    const secretRows = await this.query('SELECT * FROM openclaw_api_key_secrets WHERE key_id = ANY(?::text[])', [
      keyRows.map((row) => String(row.id)),
    ]);
    return keysFromRows(keyRows, secretRows);
  }

  updateKey(id: string, patch: KeyPatch, now: number): Promise<StoredApiKey | undefined> {
    const { columns, values } = patchColumns(patch, now);
    return this.transaction(async (client) => {
      const updated = await this.query(`UPDATE openclaw_api_keys SET ${columns.join(', ')} WHERE id = ? RETURNING id`, [...values, id], client);
      if (updated.length === 0) return undefined;
      await this.logChange(client, id, now);
      return this.readKey(id, client);
    });
  }

  rotateKey(id: string, secret: StoredKeySecret, previousValidUntil: number, now: number): Promise<StoredApiKey | undefined> {
    return this.transaction(async (client) => {
      const touched = await this.query('UPDATE openclaw_api_keys SET updated_at = ? WHERE id = ? RETURNING id', [now, id], client);
      if (touched.length === 0) return undefined;
      await this.query(
        'UPDATE openclaw_api_key_secrets SET valid_until = ? WHERE key_id = ? AND (valid_until IS NULL OR valid_until > ?)',
        [previousValidUntil, id, previousValidUntil],
        client,
      );
      await this.insertSecret(client, id, secret);
      await this.logChange(client, id, now);
      return this.readKey(id, client);
    });
  }

  revokeKey(id: string, now: number): Promise<StoredApiKey | undefined> {
    return this.transaction(async (client) => {
      const revoked = await this.query(
        'UPDATE openclaw_api_keys SET revoked_at = coalesce(revoked_at, ?), updated_at = ? WHERE id = ? RETURNING id',
        [now, now, id],
        client,
      );
      if (revoked.length === 0) return undefined;
      await this.logChange(client, id, now);
      return this.readKey(id, client);
    });
  }

  async changeVersion(): Promise<number> {
    const [row] = await this.query(`SELECT value FROM openclaw_meta WHERE name = '${VERSION_NAME}'`);
    return num(row?.value) ?? 0;
  }

  async changesSince(version: number): Promise<ChangeBatch> {
    // One statement, one snapshot: the counter and the log rows agree.
    const rows = await this.query(
      `SELECT m.value AS current, c.version, c.key_id FROM openclaw_meta m
       LEFT JOIN openclaw_api_key_changes c ON c.version > ? WHERE m.name = '${VERSION_NAME}' ORDER BY c.version`,
      [version],
    );
    const current = num(rows[0]?.current) ?? 0;
    if (current === version) return { version, keyIds: [], reset: false };
    const changes = rows.filter((row) => row.version !== null);
    const first = changes[0] === undefined ? undefined : num(changes[0].version);
    const reset = current < version || first !== version + 1;
    return { version: current, keyIds: [...new Set(changes.map((row) => String(row.key_id)))], reset };
  }

  async addUsage(increments: readonly UsageIncrement[]): Promise<void> {
    if (increments.length === 0) return;
    // Sorted, so that two instances flushing the same keys lock rows in the same order.
    const sorted = [...increments].sort((a, b) => (a.keyId === b.keyId ? a.day.localeCompare(b.day) : a.keyId.localeCompare(b.keyId)));
    const lastUsed = new Map<string, number>();
    for (const increment of sorted) lastUsed.set(increment.keyId, Math.max(lastUsed.get(increment.keyId) ?? 0, increment.lastUsedAt));
    await this.transaction(async (client) => {
      await this.query(
        `INSERT INTO openclaw_api_key_usage (key_id, day, requests, errors)
         SELECT * FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[])
         ON CONFLICT (key_id, day) DO UPDATE SET
           requests = openclaw_api_key_usage.requests + excluded.requests,
           errors = openclaw_api_key_usage.errors + excluded.errors`,
        [sorted.map((i) => i.keyId), sorted.map((i) => i.day), sorted.map((i) => i.requests), sorted.map((i) => i.errors)],
        client,
      );
      await this.query(
        `UPDATE openclaw_api_keys k SET last_used_at = greatest(coalesce(k.last_used_at, 0), u.at)
         FROM unnest(?::text[], ?::bigint[]) AS u(id, at) WHERE k.id = u.id`,
        [[...lastUsed.keys()], [...lastUsed.values()]],
        client,
      );
    });
  }

  async usageOf(keyId: string, fromDay: string): Promise<UsageDay[]> {
    const rows = await this.query('SELECT day, requests, errors FROM openclaw_api_key_usage WHERE key_id = ? AND day >= ? ORDER BY day', [
      keyId,
      fromDay,
    ]);
    return rows.map(usageFromRow);
  }

  async ping(): Promise<void> {
    await this.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
