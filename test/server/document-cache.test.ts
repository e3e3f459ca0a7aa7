/**
 * Parse and validate run once per distinct document: a repeated document is served from the
 * bounded document cache (config documentCache.size); size 0 turns the cache off. Counted with
 * a plugin on the pipeline's Apollo hooks, which fire only when the step really runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GatewayPlugin } from '../../gateway/src/index.js';
import { startDemoGateway } from '../support/demo-gateway.js';

function countingPlugin() {
  const counts = { parsed: 0, validated: 0 };
  const plugin: GatewayPlugin = {
    name: 'count-parse-validate',
    apollo: {
      async requestDidStart() {
        return {
          async parsingDidStart() {
            counts.parsed += 1;
          },
          async validationDidStart() {
            counts.validated += 1;
          },
        };
      },
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
    assert.deepEqual(counts, { parsed: 1, validated: 1 });
    await demo.query('{ me { name } }');
    assert.deepEqual(counts, { parsed: 2, validated: 2 });
  } finally {
    await demo.close();
  }
});

test('documentCache.size 0 parses and validates every request', async () => {
  const { counts, plugin } = countingPlugin();
  const demo = await startDemoGateway({ documentCache: { size: 0 } }, { plugins: [plugin] });
  try {
    for (let i = 0; i < 3; i += 1) await demo.query('{ me { name } }');
    assert.deepEqual(counts, { parsed: 3, validated: 3 });
  } finally {
    await demo.close();
  }
});
