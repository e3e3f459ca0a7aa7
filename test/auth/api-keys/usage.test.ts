/**
 * Usage recording stays off the hot path: many requests become one write per flush; a write
 * that fails is retried with the next one, and closing writes what is left.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createUsageRecorder } from '../../../gateway/src/auth/api-keys/usage.js';
import type { Store, UsageIncrement } from '../../../gateway/src/store/index.js';
import { freshStoreLocation, type StoreLocation } from '../../support/stores.js';

const T0 = Date.UTC(2030, 0, 15, 23, 59, 59);
const locations: StoreLocation[] = [];
after(async () => {
  for (const location of locations) await location.cleanup();
});

/** A real store whose usage writes are counted, and made to fail while `failing` is set. */
async function store(): Promise<{ store: Store; writes: UsageIncrement[][]; failing: { on: boolean } }> {
  const location = await freshStoreLocation('embedded');
  locations.push(location);
  const real = await location.open();
  const writes: UsageIncrement[][] = [];
  const failing = { on: false };
  const wrapped = Object.create(real) as Store;
  wrapped.addUsage = async (increments) => {
    if (failing.on) throw new Error('disk full');
    writes.push([...increments]);
    return real.addUsage(increments);
  };
  await real.insertKey({
    id: 'key_usage00000000000', name: 'u', owner: null, environment: 'live', scopes: [], rateLimit: null, costLimit: null, allowedIps: [],
    expiresAt: null, createdAt: T0, updatedAt: T0, lastUsedAt: null, revokedAt: null,
    secrets: [{ prefix: 'ocw_live_USAGE000', digest: 'd', scheme: 'sha256', createdAt: T0, validUntil: null }],
  });
  return { store: wrapped, writes, failing };
}

test('a thousand requests over two days are two counters and one write', async () => {
  const { store: s, writes } = await store();
  const usage = createUsageRecorder(s, { flushIntervalMs: 60_000 });
  for (let i = 0; i < 1000; i += 1) usage.recordUsage('key_usage00000000000', i % 10 === 0 ? 'error' : 'ok', T0 + i * 2);
  assert.equal(usage.pending, 2, 'one counter per key and UTC day');
  assert.equal(writes.length, 0, 'nothing written on the request path');
  await usage.flush();
  assert.equal(writes.length, 1);
  assert.deepEqual(await s.usageOf('key_usage00000000000', '2030-01-01'), [
    { day: '2030-01-15', requests: 500, errors: 50 },
    { day: '2030-01-16', requests: 500, errors: 50 },
  ]);
  assert.equal((await s.getKey('key_usage00000000000'))?.lastUsedAt, T0 + 999 * 2);
  await usage.close();
});

test('a failed write keeps the counters for the next flush and is reported', async () => {
  const { store: s, failing } = await store();
  const errors: unknown[] = [];
  const usage = createUsageRecorder(s, { flushIntervalMs: 60_000, onError: (error) => errors.push(error) });
  usage.recordUsage('key_usage00000000000', 'ok', T0);
  failing.on = true;
  await usage.flush();
  assert.equal(errors.length, 1);
  assert.equal(usage.pending, 1);
  usage.recordUsage('key_usage00000000000', 'error', T0);
  failing.on = false;
  await usage.close();
  assert.equal(usage.pending, 0);
  assert.deepEqual(await s.usageOf('key_usage00000000000', '2030-01-15'), [{ day: '2030-01-15', requests: 2, errors: 1 }]);
});

test('many pending counters trigger a write before the timer; the timer writes the rest', async () => {
  const { store: s, writes } = await store();
  const usage = createUsageRecorder(s, { flushIntervalMs: 20, maxPending: 3 });
  for (let key = 0; key < 3; key += 1) usage.recordUsage(`key_${key}`, 'ok', T0);
  await new Promise((resolve) => setTimeout(resolve, 0));
  assert.ok(writes.length >= 1, 'written without waiting for the timer');
  usage.recordUsage('key_usage00000000000', 'ok', T0);
  const start = Date.now();
  while (usage.pending > 0 && Date.now() - start < 2000) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(usage.pending, 0, 'the timer flushed');
  await usage.close();
});
