// `/readyz` is unauthenticated: however many hits arrive, each store and source is probed at
// most once per server.readinessIntervalMs, and the hits in between answer from the last
// results. Real demo backends count the probes they receive; the gateway's clock is injected.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoGateway, type DemoGateway } from '../support/demo-gateway.js';

const INTERVAL_MS = 10_000;
// The HTTP backends: each probe is one request they record (inventory's gRPC probe is a
// channel state check, which sends no call).
const SOURCES = ['accounts', 'reviews', 'products', 'orders'] as const;
let now = 1_000_000;
let demo: DemoGateway;

before(async () => {
  demo = await startDemoGateway({ server: { readinessIntervalMs: INTERVAL_MS } }, { clock: () => now });
});

after(async () => {
  await demo?.close();
});

/** How many calls each backend received since the last reset. */
function probesPerSource(): Record<string, number> {
  return Object.fromEntries(SOURCES.map((name) => [name, demo.subgraphs[name].calls.length]));
}

const hit = async (): Promise<{ status: number; body: { status: string; sources: Record<string, string> } }> => {
  const response = await fetch(`${demo.origin}/readyz`);
  return { status: response.status, body: (await response.json()) as { status: string; sources: Record<string, string> } };
};

test('100 hits at once and 100 more within the interval cost one probe per source; the next interval one more', async () => {
  demo.resetCalls();
  const burst = await Promise.all(Array.from({ length: 100 }, hit));
  assert.ok(burst.every((answer) => answer.status === 200 && answer.body.status === 'ready'));
  const once = Object.fromEntries(SOURCES.map((name) => [name, 1]));
  assert.deepEqual(probesPerSource(), once, 'the concurrent hits share one probe per source');
  for (let index = 0; index < 100; index++) {
    now += INTERVAL_MS / 200;
    assert.equal((await hit()).status, 200);
  }
  assert.deepEqual(probesPerSource(), once, 'hits within the interval answer from the cached results');
  now += INTERVAL_MS;
  await Promise.all(Array.from({ length: 100 }, hit));
  assert.deepEqual(probesPerSource(), Object.fromEntries(SOURCES.map((name) => [name, 2])), 'one probe per source per interval');
});

test('a source that goes down is reported once its next probe is due, not before', async () => {
  now += INTERVAL_MS;
  assert.equal((await hit()).body.sources.products, 'ok');
  await demo.subgraphs.products.close();
  assert.equal((await hit()).body.sources.products, 'ok', 'within the interval: the last result');
  now += INTERVAL_MS;
  const after = await hit();
  assert.equal(after.body.sources.products, 'unreachable');
  assert.equal(after.status, 200, 'a source never fails readiness');
});
