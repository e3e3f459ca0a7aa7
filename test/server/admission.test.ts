/**
 * Admission (server/admission.ts): under a saturated CPU a few operations execute at once and
 * the rest wait their turn in arrival order; with idle CPU (slow backends) the limit grows until
 * everyone who waits runs. The unit tests drive the utilisation by hand; the end-to-end test
 * runs a gateway in front of a slow subgraph and counts the calls the subgraph has in flight.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'graphql';
import { composeServices } from '@theguild/federation-composition';
import { createAdmission } from '../../gateway/src/server/admission.js';
import { resolveConfig, startGateway } from '../../gateway/src/index.js';
import { postGraphQL, REPO_ROOT } from '../support/demo-gateway.js';

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `body` with the event loop held open: admission's sampling timer is unref'd (a server's
 * sockets keep a real gateway alive), so a test with nothing else pending would end early.
 */
async function alive<T>(body: () => Promise<T>): Promise<T> {
  const keep = setInterval(() => undefined, 1000);
  try {
    return await body();
  } finally {
    clearInterval(keep);
  }
}

test('saturated: at most the minimum runs; the others wait and run in arrival order as places free', async () => {
  const admission = createAdmission({ minConcurrent: 2, sampleMs: 5, utilization: () => 1 });
  assert.equal(admission.acquire(), undefined);
  assert.equal(admission.acquire(), undefined);
  const order: number[] = [];
  const third = admission.acquire()!.then(() => order.push(3));
  const fourth = admission.acquire()!.then(() => order.push(4));
  assert.deepEqual(admission.stats, { running: 2, waiting: 2, limit: 2 });
  await tick(30); // saturated samples never raise the limit
  assert.deepEqual(order, []);
  admission.release();
  await third;
  assert.deepEqual(order, [3]);
  admission.release();
  await fourth;
  assert.deepEqual(order, [3, 4]);
  admission.release();
  admission.release();
  assert.deepEqual(admission.stats, { running: 0, waiting: 0, limit: 2 });
});

test('idle CPU with requests waiting: the limit doubles until all of them run', () => alive(async () => {
  const admission = createAdmission({ minConcurrent: 1, sampleMs: 5, utilization: () => 0.2 });
  assert.equal(admission.acquire(), undefined);
  const waiting = Array.from({ length: 6 }, () => admission.acquire());
  assert.ok(waiting.every((pending) => pending !== undefined));
  await Promise.all(waiting);
  assert.equal(admission.stats.running, 7);
  assert.equal(admission.stats.waiting, 0);
  assert.ok(admission.stats.limit >= 7, `limit ${admission.stats.limit}`);
  for (let index = 0; index < 7; index++) admission.release();
}));

test('a limit grown on slow backends comes down to a tenth below what runs once the CPU saturates', () => alive(async () => {
  let utilization = 0;
  const admission = createAdmission({ minConcurrent: 2, sampleMs: 5, utilization: () => utilization });
  for (let index = 0; index < 2; index++) admission.acquire();
  const grown = Array.from({ length: 30 }, () => admission.acquire());
  await Promise.all(grown);
  assert.equal(admission.stats.running, 32);
  utilization = 1;
  await tick(30);
  assert.ok(admission.stats.limit < 32 && admission.stats.limit >= 2, `limit ${admission.stats.limit}`);
  const late = admission.acquire();
  assert.notEqual(late, undefined, 'a new request waits while the saturated CPU runs more than the limit');
  for (let index = 0; index < 32; index++) admission.release();
  await late;
  admission.release();
}));

/** A GraphQL subgraph that answers after `delayMs` and records how many calls it had at once. */
async function slowSubgraph(delayMs: number): Promise<{ server: Server; url: string; maxInFlight: () => number }> {
  let inFlight = 0;
  let max = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      inFlight++;
      max = Math.max(max, inFlight);
      setTimeout(() => {
        inFlight--;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { hello: 'world' } }));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}/graphql`, maxInFlight: () => max };
}

test('in front of a slow backend, adaptive admission lets every waiting request run at once', async () => {
  const subgraph = await slowSubgraph(400);
  const dir = await mkdtemp(join(tmpdir(), 'openclaw-admission-'));
  const composed = composeServices([{ name: 'slow', typeDefs: parse('type Query { hello: String }'), url: subgraph.url }]);
  assert.equal(composed.errors, undefined);
  const file = join(dir, 'supergraph.graphql');
  await writeFile(file, composed.supergraphSdl!);
  const gateway = await startGateway(resolveConfig(
    { supergraph: file, server: { port: 0, minConcurrentRequests: 2 }, logging: { level: 'silent' } },
    { rootDir: REPO_ROOT, env: {} },
  ));
  try {
    const answers = await Promise.all(Array.from({ length: 24 }, () => postGraphQL(gateway.url, { query: '{ hello }' })));
    for (const { status, body } of answers) {
      assert.equal(status, 200);
      assert.deepEqual(body, { data: { hello: 'world' } });
    }
    // With the CPU idle, the limit doubles every 20 ms: the 24 requests are all with the
    // backend long before its first answer (400 ms), not two at a time.
    assert.ok(subgraph.maxInFlight() >= 16, `the backend had at most ${subgraph.maxInFlight()} calls at once`);
  } finally {
    await gateway.close();
    await new Promise<void>((resolve) => subgraph.server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  }
});
