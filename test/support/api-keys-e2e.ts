/**
 * Test support for the API key end-to-end suites: a logger that keeps every record, the admin
 * API over HTTP, a client that presents itself from a given address (through
 * `X-Forwarded-For`, as behind a load balancer; the gateways trust loopback as their proxy),
 * everything a store holds as text (to look for a key in it), and breaking a store's key
 * lookups for a moment (to show a request was refused without one).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Logger } from '../../gateway/src/telemetry/logger.js';
import { postGraphQL, type JsonResponse } from './demo-gateway.js';

/** The challenge of a refused API key, as docs/api-keys.md documents it. */
export const API_KEY_CHALLENGE = 'ApiKey realm="openclaw-gateway", header="x-api-key"';

/** Loopback: where the test's requests really come from, trusted as the load balancer. */
export const LOOPBACK_PROXIES = ['127.0.0.1', '::1'];

/** An admin token for the tests (at least 32 characters). */
export const ADMIN_TOKEN = 'admin-token-for-the-key-e2e-tests-0123456789';

/** One log record as the gateway wrote it. */
export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown> | undefined;
}

/** A logger that keeps every record, at every level, and can show them all as one text. */
export interface CapturingLogger extends Logger {
  readonly records: LogRecord[];
  /** Every record as JSON (errors with their message and stack), to search for secrets. */
  text(): string;
}

/** A fresh capturing logger. */
export function captureLogger(): CapturingLogger {
  const records: LogRecord[] = [];
  const keep = (level: LogRecord['level']) => (message: string, fields?: Record<string, unknown>) => void records.push({ level, message, fields });
  return {
    records,
    debug: keep('debug'),
    info: keep('info'),
    warn: keep('warn'),
    error: keep('error'),
    text: () =>
      JSON.stringify(records, (_key, value: unknown) =>
        value instanceof Error ? { name: value.name, message: value.message, stack: value.stack, cause: String(value.cause) } : value,
      ),
  };
}

/** The admin API of the gateway at `origin`: one GraphQL call; throws on errors. */
export async function admin<T = Record<string, unknown>>(origin: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${origin}/admin/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown[] };
  if (response.status !== 200 || body.errors !== undefined || body.data === undefined) {
    throw new Error(`admin API answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.data;
}

/** A key created through the admin API: its id and the key, shown this once. */
export interface IssuedKey {
  id: string;
  key: string;
  /** The record's expiry (ISO) when it has one. */
  expiresAt: string | null;
}

/** `createApiKey` through the admin API of the gateway at `origin`. */
export async function createKeyOver(origin: string, input: Record<string, unknown>): Promise<IssuedKey> {
  const data = await admin<{ createApiKey: { key: string; apiKey: { id: string; expiresAt: string | null } } }>(
    origin,
    'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id expiresAt } } }',
    { input },
  );
  return { id: data.createApiKey.apiKey.id, key: data.createApiKey.key, expiresAt: data.createApiKey.apiKey.expiresAt };
}

/** A request to a gateway as one client sees it. */
export interface Call extends JsonResponse {
  /** The response body as it came, to look for secrets in it. */
  raw: string;
}

/**
 * POSTs `query` to the GraphQL endpoint `url` with `key` in `x-api-key` (none when undefined),
 * presenting the client as `ip` through `X-Forwarded-For` when given.
 */
export async function call(url: string, query: string, key: string | undefined, ip?: string, variables?: Record<string, unknown>): Promise<Call> {
  const headers: Record<string, string> = {};
  if (key !== undefined) headers['x-api-key'] = key;
  if (ip !== undefined) headers['x-forwarded-for'] = ip;
  const response = await postGraphQL(url, { query, variables }, headers);
  return { ...response, raw: JSON.stringify(response.body) };
}

/** Everything a store holds, as text: the embedded file's bytes (with its WAL) or every row of the PostgreSQL schema. */
export async function storeContents(config: { dataDir: string; databaseUrl?: string }): Promise<string> {
  if (config.databaseUrl === undefined) {
    const files = await readdir(config.dataDir);
    const parts = await Promise.all(files.map((name) => readFile(join(config.dataDir, name))));
    return parts.map((bytes) => bytes.toString('latin1')).join('\n');
  }
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    );
    const rows: string[] = [];
    for (const { table_name: table } of tables.rows) {
      const result = await client.query<{ row: string }>(`SELECT t::text AS row FROM "${table}" t`);
      rows.push(`${table}: ${result.rows.map((row) => row.row).join('\n')}`);
    }
    return rows.join('\n');
  } finally {
    await client.end();
  }
}

/** The table a key lookup reads (the same name in both stores). */
const SECRETS_TABLE = 'openclaw_api_key_secrets';

/**
 * Runs `during` while the store's key lookups fail (their table renamed, from another
 * connection), then puts the table back. Only a request that looks a key up can notice.
 */
export async function withLookupsBroken<T>(config: { dataDir: string; databaseUrl?: string }, during: () => Promise<T>): Promise<T> {
  const away = `${SECRETS_TABLE}_away`;
  if (config.databaseUrl === undefined) {
    const db = new Database(join(config.dataDir, 'openclaw.db'));
    db.pragma('busy_timeout = 5000');
    try {
      db.exec(`ALTER TABLE ${SECRETS_TABLE} RENAME TO ${away}`);
      try {
        return await during();
      } finally {
        db.exec(`ALTER TABLE ${away} RENAME TO ${SECRETS_TABLE}`);
      }
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    await client.query(`ALTER TABLE ${SECRETS_TABLE} RENAME TO ${away}`);
    try {
      return await during();
    } finally {
      await client.query(`ALTER TABLE ${away} RENAME TO ${SECRETS_TABLE}`);
    }
  } finally {
    await client.end();
  }
}

/** Resolves when `check()` holds, polling every `everyMs`; rejects after `withinMs`. Returns the time it took. */
export async function within(withinMs: number, check: () => Promise<boolean>, everyMs = 5): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (await check()) return performance.now() - start;
    if (performance.now() - start > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
