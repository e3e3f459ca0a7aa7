/**
 * Micro benchmark: what an API key check costs a request.
 *
 * - steady state: the verifier with its cache warm (the case of every request after a key's
 *   first), over 100 keys in turn, half with an IP allow list. Target: under 0.05 ms.
 * - the same through the pipeline's identity step (server/plugins/identity.ts, as a gateway
 *   builds it from config): the `x-api-key` header to the request's Principal, then the key's
 *   usage counted when the response is written.
 * - its parts: the format and checksum check, the HMAC-SHA-256 digest, the SHA-256 digest.
 * - a cold check (cache off: one store lookup per check) on each store: the embedded SQLite
 *   file, and PostgreSQL when it answers (`BENCH_DATABASE_URL`, default the local test
 *   database; a schema is created for the run and dropped after).
 *
 * Run: node --import tsx bench/micro/api-key-check.ts [--quick]. Prints a Markdown table.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { checkKeyFormat } from '../../gateway/src/auth/api-keys/format.js';
import { createKeyDigester } from '../../gateway/src/auth/api-keys/digest.js';
import { createApiKeyService } from '../../gateway/src/auth/api-keys/service.js';
import { createVerifier } from '../../gateway/src/auth/api-keys/verifier.js';
import { openStore, type Store } from '../../gateway/src/store/index.js';
import { createApiKeyServices } from '../../gateway/src/auth/api-keys/services.js';
import { ANONYMOUS } from '../../gateway/src/auth/principal.js';
import { createTokenService } from '../../gateway/src/auth/tokens/index.js';
import { resolveConfig } from '../../gateway/src/config/index.js';
import type { GatewayContext } from '../../gateway/src/context.js';
import type { HttpExchange } from '../../gateway/src/server/plugin.js';
import { identityPlugin } from '../../gateway/src/server/plugins/identity.js';

const quick = process.argv.includes('--quick');
const KEYS = 100;
const SECRET = randomBytes(32).toString('base64');
const digester = createKeyDigester(SECRET);
const rows: Array<[string, string, string]> = [];

/**
 * `fn`'s cost in microseconds per call: calls are timed in batches of `batch` (no clock read
 * per call), and the median batch is reported with the 99th-percentile batch and the mean of
 * all. The median resists the pauses of a shared machine (another process on the core, GC).
 */
async function measure(runs: number, warmup: number, fn: (i: number) => unknown, batch = 100): Promise<{ mean: number; p50: number; p99: number }> {
  for (let i = 0; i < warmup; i += 1) await fn(i);
  const batches = Math.max(1, Math.floor(runs / batch));
  const perCall = new Float64Array(batches);
  const start = process.hrtime.bigint();
  for (let b = 0; b < batches; b += 1) {
    const t = process.hrtime.bigint();
    for (let i = b * batch; i < (b + 1) * batch; i += 1) await fn(i);
    perCall[b] = Number(process.hrtime.bigint() - t) / 1000 / batch;
  }
  const mean = Number(process.hrtime.bigint() - start) / 1000 / (batches * batch);
  perCall.sort();
  return { mean, p50: perCall[Math.floor(batches * 0.5)] ?? 0, p99: perCall[Math.floor(batches * 0.99)] ?? 0 };
}

function us(value: number): string {
  return value < 10 ? `${value.toFixed(2)} µs` : `${value.toFixed(1)} µs`;
}

function row(name: string, figures: { mean: number; p50: number; p99: number }, note: string): void {
  rows.push([name, `${us(figures.p50)} (p99 ${us(figures.p99)}, mean ${us(figures.mean)})`, note]);
}

/** Creates `KEYS` keys on `store`; every other one with an allow list. */
async function issueKeys(store: Store): Promise<string[]> {
  const service = createApiKeyService({ store, digester, defaultGraceMs: 0 });
  const keys: string[] = [];
  for (let i = 0; i < KEYS; i += 1) {
    const { key } = await service.create({
      name: `bench ${i}`,
      scopes: ['catalog:read', 'orders:read'],
      rateLimit: { limit: 100, windowMs: 60_000 },
      ...(i % 2 === 0 ? { allowedIps: ['203.0.113.0/24', '2001:db8::/32'] } : {}),
    });
    keys.push(key);
  }
  return keys;
}

/** The identity plugin over services built from config, as `startGateway` builds them. */
async function identityRow(dataDir: string, store: Store, keys: readonly string[], runs: number): Promise<void> {
  const config = resolveConfig({ store: { dataDir }, apiKeys: { hashSecret: SECRET } }, { rootDir: dataDir, env: {} });
  // Usage is written at close: the figure is the request's share (counting), not the writes.
  const apiKeys = await createApiKeyServices(config, { store, usageFlushMs: 3_600_000 });
  const tokens = await createTokenService(config.auth);
  try {
    const plugin = identityPlugin({ apiKeys, tokens, propagates: false });
    const exchanges = keys.map((key) => ({ req: { headers: { 'x-api-key': key } } }) as unknown as HttpExchange);
    // The pipeline makes the context and its signal whatever the identity step does.
    const signal = new AbortController().signal;
    const request = async (i: number): Promise<void> => {
      const exchange = exchanges[i % KEYS] as HttpExchange;
      const context = { requestId: 'bench', traceparent: undefined, clientIp: i % 4 === 0 ? '2001:db8::7' : '203.0.113.9', signal, principal: ANONYMOUS } as GatewayContext;
      await plugin.onContext?.(context, exchange);
      if (context.principal.keyId === undefined) throw new Error('the key was not accepted');
      await plugin.onResponse?.({ status: 200, result: { data: {} }, context, operation: undefined }, exchange);
    };
    for (let i = 0; i < KEYS; i += 1) await request(i);
    const figures = await measure(runs, 20_000, request);
    row('steady state: the identity step (header to Principal, usage counted)', figures, `target < 50 µs: ${figures.p50 < 50 ? 'met' : 'NOT MET'}`);
  } finally {
    await tokens.close();
    await apiKeys.close();
  }
}

async function coldRow(label: string, store: Store, keys: readonly string[], runs: number): Promise<void> {
  const cold = createVerifier({ store, digester, cacheSize: 0 });
  const now = Date.now();
  row(`cold check, ${label} (cache off: one lookup each)`, await measure(runs, Math.min(200, runs), (i) => cold.verify(keys[i % KEYS] as string, '203.0.113.9', now), 10), 'a key\'s first request on an instance');
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'openclaw-bench-keys-'));
  const embedded = await openStore({ dataDir });
  try {
    const keys = await issueKeys(embedded);
    const now = Date.now();

    const warm = createVerifier({ store: embedded, digester, cacheSize: 10_000 });
    for (const key of keys) await warm.verify(key, '203.0.113.9', now);
    const steady = await measure(quick ? 100_000 : 1_000_000, 20_000, (i) => warm.verify(keys[i % KEYS] as string, i % 4 === 0 ? '2001:db8::7' : '203.0.113.9', now));
    row('steady state: verify() with the cache warm', steady, `target < 50 µs: ${steady.p50 < 50 ? 'met' : 'NOT MET'}`);
    if (warm.stats().misses !== KEYS) throw new Error(`expected only the ${KEYS} warm-up misses, saw ${warm.stats().misses}`);

    await identityRow(dataDir, embedded, keys, quick ? 100_000 : 1_000_000);

    const parts = quick ? 100_000 : 500_000;
    row('  part: format and CRC-32 checksum', await measure(parts, 10_000, (i) => checkKeyFormat(keys[i % KEYS])), 'refuses typos before any lookup');
    row('  part: HMAC-SHA-256 digest', await measure(parts, 10_000, (i) => digester.digest(keys[i % KEYS] as string)), 'the cache key');
    const plain = createKeyDigester();
    row('  part: SHA-256 digest (no secret)', await measure(parts, 10_000, (i) => plain.digest(keys[i % KEYS] as string)), '');

    await coldRow('embedded SQLite', embedded, keys, quick ? 5_000 : 50_000);
    await postgresRow(quick ? 1_000 : 10_000);
  } finally {
    await embedded.close();
    await rm(dataDir, { recursive: true, force: true });
  }

  process.stdout.write(`| measure | per check: median batch (p99 batch, mean) | note |\n|---|---|---|\n`);
  for (const [name, figures, note] of rows) process.stdout.write(`| ${name} | ${figures} | ${note} |\n`);
  process.stdout.write(
    `\nTimed in batches (100 calls; 10 for cold checks). ${KEYS} keys, half with an IPv4+IPv6 allow list; Node ${process.version}${quick ? '; --quick' : ''}.\n`,
  );
}

async function postgresRow(runs: number): Promise<void> {
  const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_keys_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch {
    rows.push(['cold check, PostgreSQL', 'skipped', `no PostgreSQL at ${base.replace(/:[^:@/]*@/, ':***@')}`]);
    return;
  }
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
    const url = new URL(base);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const store = await openStore({ dataDir: '/unused', databaseUrl: url.href });
    try {
      await coldRow('PostgreSQL on loopback', store, await issueKeys(store), runs);
    } finally {
      await store.close();
    }
  } finally {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
    await admin.end();
  }
}

await main();
