/**
 * Rows to records, shared by both SQL stores: the same column names, the same meaning. The
 * PostgreSQL driver returns `bigint` columns as strings and `jsonb` as parsed values; SQLite
 * returns numbers and JSON text; both are accepted here.
 */
import { GatewayError } from '../errors/index.js';
import type { DigestScheme, KeyEnvironment, KeyPatch, StoredApiKey, StoredKeySecret, UsageDay } from './types.js';

/** A row as a driver returns it. */
export type Row = Record<string, unknown>;

/** The version key of the change counter in `openclaw_meta`. */
export const VERSION_NAME = 'api_keys_version';

/** Change-log entries kept; an instance further behind than this drops its whole cache. */
export const CHANGES_KEPT = 1000;

/** Longest list `listKeys` returns, whatever `limit` asks. */
export const MAX_LIST = 1000;

/** A number column (SQLite integer, PostgreSQL bigint as text), or null. */
export function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'number' ? value : Number(value);
}

function json(value: unknown): string[] {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  return Array.isArray(parsed) ? parsed.map(String) : [];
}

/** A secret from columns named `prefix`, `digest`, ... each with `p` in front (`s_prefix` for p = `s_`). */
export function secretFromRow(row: Row, p = ''): StoredKeySecret {
  return {
    prefix: String(row[`${p}prefix`]),
    digest: String(row[`${p}digest`]),
    scheme: String(row[`${p}scheme`]) as DigestScheme,
    createdAt: num(row[`${p}created_at`]) ?? 0,
    validUntil: num(row[`${p}valid_until`]),
  };
}

/** A key from its `openclaw_api_keys` columns and its secrets. */
export function keyFromRow(row: Row, secrets: readonly StoredKeySecret[]): StoredApiKey {
  const limit = num(row.rate_limit);
  const windowMs = num(row.rate_window_ms);
  const costLimit = num(row.cost_limit);
  const costWindowMs = num(row.cost_window_ms);
  return {
    id: String(row.id),
    name: String(row.name),
    owner: row.owner === null || row.owner === undefined ? null : String(row.owner),
    environment: String(row.environment) as KeyEnvironment,
    scopes: json(row.scopes),
    rateLimit: limit === null || windowMs === null ? null : { limit, windowMs },
    costLimit: costLimit === null || costWindowMs === null ? null : { limit: costLimit, windowMs: costWindowMs },
    allowedIps: json(row.allowed_ips),
    // SQLite stores 0/1, PostgreSQL a boolean.
    trustedDocumentsOnly: row.trusted_documents_only === true || num(row.trusted_documents_only) === 1,
    expiresAt: num(row.expires_at),
    createdAt: num(row.created_at) ?? 0,
    updatedAt: num(row.updated_at) ?? 0,
    lastUsedAt: num(row.last_used_at),
    revokedAt: num(row.revoked_at),
    secrets: [...secrets].sort((a, b) => b.createdAt - a.createdAt),
  };
}

/** Keys from their rows and all their secrets' rows (`key_id` links them), in the keys' order. */
export function keysFromRows(keyRows: readonly Row[], secretRows: readonly Row[]): StoredApiKey[] {
  const byKey = new Map<string, StoredKeySecret[]>();
  for (const row of secretRows) {
    const id = String(row.key_id);
    let list = byKey.get(id);
    if (list === undefined) byKey.set(id, (list = []));
    list.push(secretFromRow(row));
  }
  return keyRows.map((row) => keyFromRow(row, byKey.get(String(row.id)) ?? []));
}

/** A usage row. */
export function usageFromRow(row: Row): UsageDay {
  return { day: String(row.day), requests: num(row.requests) ?? 0, errors: num(row.errors) ?? 0 };
}

/** The column values of a key, in the order of `KEY_COLUMNS`. */
export function keyValues(key: StoredApiKey): unknown[] {
  return [
    key.id,
    key.name,
    key.owner,
    key.environment,
    JSON.stringify(key.scopes),
    key.rateLimit?.limit ?? null,
    key.rateLimit?.windowMs ?? null,
    key.costLimit?.limit ?? null,
    key.costLimit?.windowMs ?? null,
    JSON.stringify(key.allowedIps),
    key.expiresAt,
    key.createdAt,
    key.updatedAt,
    key.lastUsedAt,
    key.revokedAt,
    key.trustedDocumentsOnly === true ? 1 : 0,
  ];
}

/** The columns of `openclaw_api_keys`, in the order of `keyValues`. */
export const KEY_COLUMNS =
  'id, name, owner, environment, scopes, rate_limit, rate_window_ms, cost_limit, cost_window_ms, allowed_ips, expires_at, created_at, updated_at, last_used_at, revoked_at, trusted_documents_only';

/** The SQL condition (with `?` for `now`) and values for a status filter. */
export function statusCondition(status: 'active' | 'expired' | 'revoked', now: number): { sql: string; values: unknown[] } {
  switch (status) {
    case 'revoked':
      return { sql: 'revoked_at IS NOT NULL', values: [] };
    case 'expired':
      return { sql: 'revoked_at IS NULL AND expires_at IS NOT NULL AND expires_at <= ?', values: [now] };
    default:
      return { sql: 'revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)', values: [now] };
  }
}

/**
 * The `WHERE` clause (with `?` placeholders) and values of a key query: shared by both stores,
 * which differ only in the substring function and in how placeholders are written.
 */
export function keyQueryWhere(dialect: 'sqlite' | 'postgres', query: {
  name?: string;
  owner?: string;
  prefix?: string;
  status?: 'active' | 'expired' | 'revoked';
  now?: number;
}): { sql: string; values: unknown[] } {
  const conditions: string[] = [];
  const values: unknown[] = [];
  if (query.name !== undefined && query.name !== '') {
    // instr/strpos rather than LIKE: a name may hold % or _.
    conditions.push(dialect === 'sqlite' ? 'instr(lower(name), lower(?)) > 0' : 'strpos(lower(name), lower(?)) > 0');
    values.push(query.name);
  }
  if (query.owner !== undefined) {
    conditions.push('owner = ?');
    values.push(query.owner);
  }
  if (query.prefix !== undefined && query.prefix !== '') {
    conditions.push('id IN (SELECT key_id FROM openclaw_api_key_secrets WHERE substr(prefix, 1, ?) = ?)');
    values.push(query.prefix.length, query.prefix);
  }
  if (query.status !== undefined) {
    const condition = statusCondition(query.status, query.now ?? Date.now());
    conditions.push(condition.sql);
    values.push(...condition.values);
  }
  return { sql: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, values };
}

/**
 * A store that could not be reached (or used) as the error a caller sees: STORE_UNAVAILABLE
 * (503, retry), with the driver's error kept as the cause for the log. The message names no
 * host or file: it may reach an API client.
 */
export function unavailable(what: string, error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('STORE_UNAVAILABLE', `The ${what} could not be reached; try again shortly.`, {}, { cause: error });
}

/**
 * The `SET` assignments of a key update (`column = ?`, in order) and their values: what both
 * stores write for `patch`, `updated_at` always included.
 */
export function patchColumns(patch: KeyPatch, now: number): { columns: string[]; values: unknown[] } {
  const columns: string[] = [];
  const values: unknown[] = [];
  const set = (column: string, value: unknown): void => {
    columns.push(`${column} = ?`);
    values.push(value);
  };
  if (patch.name !== undefined) set('name', patch.name);
  if (patch.owner !== undefined) set('owner', patch.owner);
  if (patch.scopes !== undefined) set('scopes', JSON.stringify(patch.scopes));
  if (patch.rateLimit !== undefined) {
    set('rate_limit', patch.rateLimit?.limit ?? null);
    set('rate_window_ms', patch.rateLimit?.windowMs ?? null);
  }
  if (patch.costLimit !== undefined) {
    set('cost_limit', patch.costLimit?.limit ?? null);
    set('cost_window_ms', patch.costLimit?.windowMs ?? null);
  }
  if (patch.allowedIps !== undefined) set('allowed_ips', JSON.stringify(patch.allowedIps));
  if (patch.trustedDocumentsOnly !== undefined) set('trusted_documents_only', patch.trustedDocumentsOnly ? 1 : 0);
  if (patch.expiresAt !== undefined) set('expires_at', patch.expiresAt);
  set('updated_at', now);
  return { columns, values };
}
