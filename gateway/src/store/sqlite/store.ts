/**
 * The embedded store: one SQLite file (better-sqlite3) under the data directory. It needs no
 * service, survives restarts, and may be opened by several processes at once (a running
 * gateway and the `openclaw keys` CLI): WAL mode lets readers go on while one process writes,
 * the busy timeout makes a writer wait for another's transaction instead of failing, and every
 * write takes the write lock up front (`BEGIN IMMEDIATE`). store/README.md says why SQLite.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GatewayError } from '../../errors/index.js';
import { CHANGES_KEPT, KEY_COLUMNS, MAX_LIST, type Row, VERSION_NAME, keyFromRow, keyQueryWhere, keyValues, keysFromRows, num, patchColumns, secretFromRow, unavailable, usageFromRow } from '../rows.js';
import type { ChangeBatch, KeyMatch, KeyPatch, KeyQuery, Store, StoredApiKey, StoredKeySecret, UsageDay, UsageIncrement } from '../types.js';
import { migrate } from './migrations.js';

/** The file's name inside the data directory. */
export const EMBEDDED_FILE = 'openclaw.db';

/** Options of `openEmbeddedStore`. */
export interface EmbeddedStoreOptions {
  /** The data directory (created if missing); the file is `EMBEDDED_FILE` in it. */
  dataDir: string;
  /** How long a write waits for another process's write to finish before failing, ms. Default 5000. */
  busyTimeoutMs?: number;
  /** The time recorded for applied migrations. Default `Date.now`. */
  now?: () => number;
}

const WHAT = 'embedded key store';
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|NOTADB|CORRUPT)/;

/**
 * Opens (creating it if needed) the embedded store and brings its schema up to date.
 * Throws `STORE_UNAVAILABLE` when the file cannot be opened or migrated.
 */
export function openEmbeddedStore(options: EmbeddedStoreOptions): Store {
  const file = join(options.dataDir, EMBEDDED_FILE);
  let db: Database.Database;
  try {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    db = new Database(file, { timeout: options.busyTimeoutMs ?? 5000 });
    // Digests only, but still nobody else's business. Best effort: a file shared on purpose
    // (another owner, a mounted volume) keeps its mode.
    try {
      chmodSync(file, 0o600);
    } catch {
      // Not ours to change.
    }
    db.pragma('journal_mode = WAL');
    // FULL: a revocation that was acknowledged must survive a power cut.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, (options.now ?? Date.now)());
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GatewayError('STORE_UNAVAILABLE', `The embedded key store at ${file} could not be opened: ${reason}`, {}, { cause: error });
  }
  return new EmbeddedStore(db, file);
}

class EmbeddedStore implements Store {
  readonly kind = 'embedded' as const;
  readonly location: string;
  private readonly db: Database.Database;
  private readonly statements;

  constructor(db: Database.Database, file: string) {
    this.db = db;
    this.location = file;
    this.statements = {
      insertKey: db.prepare(`INSERT INTO openclaw_api_keys (${KEY_COLUMNS}) VALUES (${KEY_COLUMNS.split(',').map(() => '?').join(', ')})`),
      insertSecret: db.prepare(
        'INSERT INTO openclaw_api_key_secrets (key_id, prefix, digest, scheme, created_at, valid_until) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      key: db.prepare(`SELECT ${KEY_COLUMNS} FROM openclaw_api_keys WHERE id = ?`),
      secrets: db.prepare('SELECT * FROM openclaw_api_key_secrets WHERE key_id = ?'),
      byPrefix: db.prepare(
        `SELECT k.*, s.prefix AS s_prefix, s.digest AS s_digest, s.scheme AS s_scheme, s.created_at AS s_created_at, s.valid_until AS s_valid_until
         FROM openclaw_api_key_secrets s JOIN openclaw_api_keys k ON k.id = s.key_id WHERE s.prefix = ?`,
      ),
      endSecrets: db.prepare(
        'UPDATE openclaw_api_key_secrets SET valid_until = ? WHERE key_id = ? AND (valid_until IS NULL OR valid_until > ?)',
      ),
      touch: db.prepare('UPDATE openclaw_api_keys SET updated_at = ? WHERE id = ?'),
      revoke: db.prepare('UPDATE openclaw_api_keys SET revoked_at = coalesce(revoked_at, ?), updated_at = ? WHERE id = ?'),
      version: db.prepare(`SELECT value FROM openclaw_meta WHERE name = '${VERSION_NAME}'`),
      bump: db.prepare(`UPDATE openclaw_meta SET value = value + 1 WHERE name = '${VERSION_NAME}' RETURNING value`),
      logChange: db.prepare('INSERT INTO openclaw_api_key_changes (version, key_id, changed_at) VALUES (?, ?, ?)'),
      pruneChanges: db.prepare('DELETE FROM openclaw_api_key_changes WHERE version <= ?'),
      changes: db.prepare('SELECT version, key_id FROM openclaw_api_key_changes WHERE version > ? ORDER BY version'),
      addUsage: db.prepare(
        `INSERT INTO openclaw_api_key_usage (key_id, day, requests, errors) VALUES (?, ?, ?, ?)
         ON CONFLICT (key_id, day) DO UPDATE SET requests = requests + excluded.requests, errors = errors + excluded.errors`,
      ),
      lastUsed: db.prepare('UPDATE openclaw_api_keys SET last_used_at = max(coalesce(last_used_at, 0), ?) WHERE id = ?'),
      usage: db.prepare('SELECT day, requests, errors FROM openclaw_api_key_usage WHERE key_id = ? AND day >= ? ORDER BY day'),
    };
  }

  /**
   * Runs `fn`; a failure of the file (busy past the timeout, disk full, read-only, I/O) becomes
   * STORE_UNAVAILABLE, anything else (a bug) stays as it is.
   */
  private guard<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(fn());
    } catch (error) {
      const code = String((error as { code?: unknown }).code ?? '');
      return Promise.reject(UNAVAILABLE_CODES.test(code) ? unavailable(WHAT, error) : error);
    }
  }

  /** Appends `keyId` to the change log (inside the caller's transaction). */
  private logChange(keyId: string, now: number): void {
    const { value } = this.statements.bump.get() as { value: number };
    this.statements.logChange.run(value, keyId, now);
    if (value > CHANGES_KEPT) this.statements.pruneChanges.run(value - CHANGES_KEPT);
  }

  private readKey(id: string): StoredApiKey | undefined {
    const row = this.statements.key.get(id) as Row | undefined;
    if (row === undefined) return undefined;
    return keyFromRow(row, (this.statements.secrets.all(id) as Row[]).map((secret) => secretFromRow(secret)));
  }

  insertKey(key: StoredApiKey): Promise<void> {
    return this.guard(() =>
      this.db
        .transaction(() => {
          this.statements.insertKey.run(...keyValues(key));
          for (const secret of key.secrets) {
            this.statements.insertSecret.run(key.id, secret.prefix, secret.digest, secret.scheme, secret.createdAt, secret.validUntil);
          }
        })
        .immediate(),
    );
  }

  getKey(id: string): Promise<StoredApiKey | undefined> {
    return this.guard(() => this.readKey(id));
  }

  findByPrefix(prefix: string): Promise<KeyMatch[]> {
    return this.guard(() =>
      (this.statements.byPrefix.all(prefix) as Row[]).map((row) => {
        const secret = secretFromRow(row, 's_');
        // The key's other secrets do not matter to a lookup; only the matched one is carried.
        return { key: keyFromRow(row, [secret]), secret };
      }),
    );
  }

  listKeys(query: KeyQuery = {}): Promise<StoredApiKey[]> {
    return this.guard(() => {
      const where = keyQueryWhere('sqlite', query);
      const limit = Math.min(Math.max(query.limit ?? 100, 1), MAX_LIST);
      const keyRows = this.db
        .prepare(`SELECT ${KEY_COLUMNS} FROM openclaw_api_keys ${where.sql} ORDER BY created_at DESC, id LIMIT ?`)
        .all(...where.values, limit) as Row[];
      if (keyRows.length === 0) return [];
      const ids = keyRows.map((row) => String(row.id));
      const secretRows = this.db
        .prepare(`SELECT * FROM openclaw_api_key_secrets WHERE key_id IN (${ids.map(() => '?').join(', ')})`)
        .all(...ids) as Row[];
      return keysFromRows(keyRows, secretRows);
    });
  }

  updateKey(id: string, patch: KeyPatch, now: number): Promise<StoredApiKey | undefined> {
    const { columns, values } = patchColumns(patch, now);
    return this.guard(() =>
      this.db
        .transaction(() => {
          const changed = this.db.prepare(`UPDATE openclaw_api_keys SET ${columns.join(', ')} WHERE id = ?`).run(...values, id).changes;
          if (changed === 0) return undefined;
          this.logChange(id, now);
          return this.readKey(id);
        })
        .immediate(),
    );
  }

  rotateKey(id: string, secret: StoredKeySecret, previousValidUntil: number, now: number): Promise<StoredApiKey | undefined> {
    return this.guard(() =>
      this.db
        .transaction(() => {
          if (this.statements.touch.run(now, id).changes === 0) return undefined;
          this.statements.endSecrets.run(previousValidUntil, id, previousValidUntil);
          this.statements.insertSecret.run(id, secret.prefix, secret.digest, secret.scheme, secret.createdAt, secret.validUntil);
          this.logChange(id, now);
          return this.readKey(id);
        })
        .immediate(),
    );
  }

  revokeKey(id: string, now: number): Promise<StoredApiKey | undefined> {
    return this.guard(() =>
      this.db
        .transaction(() => {
          if (this.statements.revoke.run(now, now, id).changes === 0) return undefined;
          this.logChange(id, now);
          return this.readKey(id);
        })
        .immediate(),
    );
  }

  changeVersion(): Promise<number> {
    return this.guard(() => num((this.statements.version.get() as Row).value) ?? 0);
  }

  changesSince(version: number): Promise<ChangeBatch> {
    return this.guard(() => {
      const current = num((this.statements.version.get() as Row).value) ?? 0;
      if (current === version) return { version, keyIds: [], reset: false };
      // One read transaction: the rows and the counter come from the same snapshot.
      return this.db.transaction((): ChangeBatch => {
        const now = num((this.statements.version.get() as Row).value) ?? 0;
        const rows = this.statements.changes.all(version) as Row[];
        const first = rows[0] === undefined ? undefined : num(rows[0].version);
        // A gap means the log was pruned past `version` (or the file was replaced): start over.
        const reset = now < version || first !== version + 1;
        return { version: now, keyIds: [...new Set(rows.map((row) => String(row.key_id)))], reset };
      })();
    });
  }

  addUsage(increments: readonly UsageIncrement[]): Promise<void> {
    if (increments.length === 0) return Promise.resolve();
    return this.guard(() =>
      this.db
        .transaction(() => {
          for (const increment of increments) {
            this.statements.addUsage.run(increment.keyId, increment.day, increment.requests, increment.errors);
            this.statements.lastUsed.run(increment.lastUsedAt, increment.keyId);
          }
        })
        .immediate(),
    );
  }

  usageOf(keyId: string, fromDay: string): Promise<UsageDay[]> {
    return this.guard(() => (this.statements.usage.all(keyId, fromDay) as Row[]).map(usageFromRow));
  }

  ping(): Promise<void> {
    return this.guard(() => {
      this.db.prepare('SELECT 1').get();
    });
  }

  close(): Promise<void> {
    if (this.db.open) this.db.close();
    return Promise.resolve();
  }
}
