/**
 * The benchmark's reference points stay true to the workloads: the floor answers the stored
 * reference with the ideal plan's seven calls, and the demo workload's direct client answers
 * each operation exactly as OpenClaw does, with the same backend calls.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { connectBackends } from '../../bench/demo/clients.js';
import { DEMO_OPERATIONS } from '../../bench/demo/operations.js';
import { GatewayProcess, freePort } from '../../bench/lib/gateway-process.js';
import { benchQuery, startBenchSubgraphs } from '../../subgraphs/bench/server.js';
import { REPO_ROOT, startDemoGateway } from '../support/demo-gateway.js';

test('the floor answers the reference response with the plan\'s 7 calls', async () => {
  const subgraphs = await startBenchSubgraphs();
  const port = await freePort();
  let floor: GatewayProcess | undefined;
  try {
    floor = await GatewayProcess.start(
      {
        argv: [process.execPath, '--import', 'tsx', join(REPO_ROOT, 'bench', 'servers', 'floor.ts'), '--subgraphs', subgraphs.url, '--port', String(port)],
        cwd: REPO_ROOT,
        url: `http://127.0.0.1:${port}/graphql`,
      },
      null,
    );
    subgraphs.calls.length = 0;
    const response = await fetch(floor.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(benchQuery()) });
    const expected: unknown = JSON.parse(await readFile(join(REPO_ROOT, 'bench', 'workload', 'expected-response.json'), 'utf8'));
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), expected);
    assert.deepEqual(
      subgraphs.calls.map((call) => call.operation.split(' ')[0]).sort(),
      ['accounts', 'accounts', 'inventory', 'inventory', 'products', 'products', 'reviews'],
    );
  } finally {
    await floor?.stop();
    await subgraphs.close();
  }
});

test('the demo direct client answers every operation as OpenClaw does, with the same calls', async () => {
  const demo = await startDemoGateway();
  const names = ['accounts', 'reviews', 'products', 'inventory', 'orders'] as const;
  const { backends, close } = connectBackends(Object.fromEntries(names.map((name) => [name, demo.subgraphs[name].url])));
  const callsSince = () => names.flatMap((name) => demo.subgraphs[name].calls.map((call) => `${name} ${call.operation}`)).sort();
  try {
    for (const operation of DEMO_OPERATIONS) {
      demo.resetCalls();
      const direct = { data: await operation.direct(backends) };
      const directCalls = callsSince();
      demo.resetCalls();
      const { status, body } = await demo.query(operation.query);
      assert.equal(status, 200, operation.name);
      assert.equal(body.errors, undefined, operation.name);
      assert.ok(isDeepStrictEqual(body, direct), `${operation.name}: the direct answer differs from OpenClaw's`);
      assert.deepEqual(callsSince(), directCalls, operation.name);
    }
  } finally {
    await close();
    await demo.close();
  }
});

test('a gateway that exits during start-up is a failure with its output, not a hang', async () => {
  const port = await freePort();
  await assert.rejects(
    GatewayProcess.start({ argv: [process.execPath, '-e', 'console.error("error: no such thing"); process.exit(3)'], cwd: REPO_ROOT, url: `http://127.0.0.1:${port}/` }, null),
    (error: Error & { output?: string }) => /exited during start-up \(code 3\)/.test(error.message) && /no such thing/.test(error.output ?? ''),
  );
});
