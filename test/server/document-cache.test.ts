/**
 * Parse and validate run once per distinct document: a repeated document is served from the
 * bounded document cache (config documentCache.size); size 0 turns the cache off. Counted with
 * a plugin's `onDocument` hook, which runs when a document has just been parsed and validated,
 * while its per-request hook runs on every request.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GatewayPlugin } from '../../gateway/src/index.js';
import { startDemoGateway } from '../support/demo-gateway.js';

function countingPlugin() {
  const counts = { documents: 0, requests: 0 };
  const plugin: GatewayPlugin = {
    name: 'count-documents',
    onDocument() {
      counts.documents += 1;
      return () => {
        counts.requests += 1;
      };
    },
  };
  return { counts, plugin };
}

test('a repeated document is parsed and validated once; a new one once more', async () => {
  const { counts, plugin } = countingPlugin();
  const demo = await startDemoGateway({}, { plugins: [plugin] });
  try {
    for (let i = 0; i < 3; i += 1) {
      const { body } = await demo.query('query One($upc: ID!) { product(upc: $upc) { name } }', { upc: String(i + 1) });
      assert.equal(body.errors, undefined);
    }
    assert.deepEqual(counts, { documents: 1, requests: 3 });
    await demo.query('{ me { name } }');
    assert.deepEqual(counts, { documents: 2, requests: 4 });
  } finally {
    await demo.close();
  }
});

test('documentCache.size 0 parses and validates every request', async () => {
  const { counts, plugin } = countingPlugin();
  const demo = await startDemoGateway({ documentCache: { size: 0 } }, { plugins: [plugin] });
  try {
    for (let i = 0; i < 3; i += 1) await demo.query('{ me { name } }');
    assert.deepEqual(counts, { documents: 3, requests: 3 });
  } finally {
    await demo.close();
  }
});
