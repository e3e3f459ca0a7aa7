/**
 * Graceful shutdown: on close (what SIGTERM/SIGINT call) the gateway reports not-ready while it
 * still serves for `server.shutdownDelayMs`, then stops accepting connections, lets requests in
 * flight finish within `server.drainTimeoutMs`, and only then closes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { GatewayPlugin } from '../../gateway/src/index.js';
import { startDemoGateway } from '../support/demo-gateway.js';

/** A plugin that holds every operation named `Held` until `release()`. */
function holdingPlugin() {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let arrived: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    arrived = resolve;
  });
  const plugin: GatewayPlugin = {
    name: 'hold',
    async onExecute(operation) {
      if (operation.operationName !== 'Held') return;
      arrived();
      await gate;
    },
  };
  return { plugin, release, held };
}

/** Opens a fresh connection (no keep-alive pool) and resolves with the status or the error code. */
function freshGet(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(url, { agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
}

test('a request in flight finishes; new connections are refused; close waits for it', async () => {
  const { plugin, release, held } = holdingPlugin();
  const demo = await startDemoGateway({}, { plugins: [plugin] });
  try {
    const inFlight = demo.query('query Held { product(upc: "1") { name } }');
    await held;
    let closed = false;
    const closing = demo.gateway.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(await freshGet(`${demo.origin}/healthz`), 'ECONNREFUSED');
    assert.equal(closed, false, 'close waits for the request in flight');
    release();
    const { status, body } = await inFlight;
    assert.equal(status, 200);
    assert.deepEqual(body.data, { product: { name: 'Table' } });
    await closing;
    assert.equal(closed, true);
  } finally {
    release();
    await demo.subgraphs.close();
  }
});

test('during server.shutdownDelayMs the gateway still serves but /readyz is 503 draining', async () => {
  const demo = await startDemoGateway({ server: { shutdownDelayMs: 400 } });
  try {
    const closing = demo.gateway.close();
    const ready = await fetch(`${demo.origin}/readyz`);
    assert.equal(ready.status, 503);
    assert.equal(((await ready.json()) as { status: string }).status, 'draining');
    const health = await fetch(`${demo.origin}/healthz`);
    assert.equal(health.status, 200, 'still alive while draining');
    const { status } = await demo.query('{ product(upc: "2") { name } }');
    assert.equal(status, 200, 'still serving during the delay');
    await closing;
  } finally {
    await demo.subgraphs.close();
  }
});

test('a request still running after server.drainTimeoutMs is cut off, and close resolves', async () => {
  const { plugin, release, held } = holdingPlugin();
  const demo = await startDemoGateway({ server: { drainTimeoutMs: 200 } }, { plugins: [plugin] });
  try {
    const inFlight = demo.query('query Held { product(upc: "1") { name } }').then(() => 'answered', (error: Error) => `failed: ${error.message}`);
    await held;
    const started = Date.now();
    await demo.gateway.close();
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 150 && elapsed < 2000, `closed after the drain timeout (${elapsed} ms)`);
    assert.match(await inFlight, /^failed/);
  } finally {
    release();
    await demo.subgraphs.close();
  }
});
