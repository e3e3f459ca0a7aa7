/**
 * A client that goes away cancels the gateway's calls on its behalf: the backend sees the
 * call's connection closed before it answered, instead of working for nobody. (Timeouts are
 * asserted per protocol in test/sources/.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'graphql';
import { composeServices } from '@theguild/federation-composition';
import { resolveConfig, startGateway } from '../../gateway/src/index.js';
import { REPO_ROOT } from '../support/demo-gateway.js';

test('a client that disconnects cancels the upstream call it was waiting for', async () => {
  let received: () => void = () => undefined;
  const callArrived = new Promise<void>((resolve) => {
    received = resolve;
  });
  let cancelled: () => void = () => undefined;
  const callCancelled = new Promise<void>((resolve) => {
    cancelled = resolve;
  });
  // A subgraph that never answers on its own: only a closed connection ends the call.
  const subgraph = createServer((req, res) => {
    req.resume();
    req.on('end', () => received());
    res.on('close', () => {
      if (!res.writableFinished) cancelled();
    });
  });
  await new Promise<void>((resolve) => subgraph.listen(0, '127.0.0.1', resolve));
  const { port } = subgraph.address() as { port: number };
  const dir = await mkdtemp(join(tmpdir(), 'openclaw-cancel-'));
  const composed = composeServices([{ name: 'slow', typeDefs: parse('type Query { hello: String }'), url: `http://127.0.0.1:${port}/graphql` }]);
  const file = join(dir, 'supergraph.graphql');
  await writeFile(file, composed.supergraphSdl!);
  const gateway = await startGateway(resolveConfig(
    { supergraph: file, server: { port: 0 }, logging: { level: 'silent' } },
    { rootDir: REPO_ROOT, env: {} },
  ));
  try {
    const client = new AbortController();
    const pending = fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ hello }' }),
      signal: client.signal,
    }).catch((error: Error) => error.name);
    await callArrived;
    client.abort();
    assert.equal(await pending, 'AbortError');
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      callCancelled.then(() => 'cancelled'),
      new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve('still waiting after 5 s'), 5000);
      }),
    ]);
    clearTimeout(timer);
    assert.equal(outcome, 'cancelled', 'the gateway closed its call once its client was gone');
  } finally {
    await gateway.close();
    subgraph.closeAllConnections();
    await new Promise<void>((resolve) => subgraph.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  }
});
