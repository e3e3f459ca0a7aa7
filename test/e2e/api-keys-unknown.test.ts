/**
 * Made-up API keys over HTTP, with the key store's lookups broken for a moment to show which
 * answers needed none: an address gets `apiKeys.unknownKeysPerMinute` lookups of keys the store
 * does not have (401 unknown), then 429 RATE_LIMITED with Retry-After without a lookup; an
 * unknown key sent again is refused from memory; a key created afterwards works at once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKey } from '../../gateway/src/auth/api-keys/index.js';
import { startDemoGateway, type DemoGateway } from '../support/demo-gateway.js';
import { ADMIN_TOKEN, call, createKeyOver, LOOPBACK_PROXIES, withLookupsBroken } from '../support/api-keys-e2e.js';

const QUERY = '{ product(upc: "1") { name } }';

describe('a flood of made-up keys', () => {
  let demo: DemoGateway;
  before(async () => {
    demo = await startDemoGateway({ server: { trustedProxies: LOOPBACK_PROXIES }, admin: { token: ADMIN_TOKEN }, apiKeys: { unknownKeysPerMinute: 5 } });
  });
  after(() => demo.close());

  test('5 lookups per address, then 429 without one; repeated unknown keys come from memory', async () => {
    const keys = Array.from({ length: 5 }, () => generateKey('live'));
    for (const key of keys) {
      const answer = await call(demo.gateway.url, QUERY, key, '203.0.113.7');
      assert.equal(answer.status, 401);
      assert.equal(answer.body.errors?.[0]?.extensions?.reason, 'unknown');
    }
    const statuses = await withLookupsBroken(demo.config.store, async () => {
      const limited = await call(demo.gateway.url, QUERY, generateKey('live'), '203.0.113.7');
      assert.equal(limited.body.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
      assert.ok(Number(limited.headers.get('retry-after')) >= 1);
      const repeated = await Promise.all(keys.map(async (key) => (await call(demo.gateway.url, QUERY, key, '198.51.100.1')).status));
      // The same lookups broken: a key no one has sent yet needs one, and fails.
      const looked = await call(demo.gateway.url, QUERY, generateKey('live'), '198.51.100.2');
      return { limited: limited.status, repeated, looked: looked.status };
    });
    assert.deepEqual({ ...statuses, looked: statuses.looked >= 500 }, { limited: 429, repeated: [401, 401, 401, 401, 401], looked: true });
  });

  test('a key created afterwards works at once', async () => {
    const issued = await createKeyOver(demo.origin, { name: 'after the flood' });
    const answer = await call(demo.gateway.url, QUERY, issued.key, '198.51.100.4');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.data, { product: { name: 'Table' } });
  });
});
