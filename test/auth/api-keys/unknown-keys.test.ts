/**
 * A flood of made-up, well-formed API keys does not become a flood of store queries, on both
 * real stores (their lookups counted, every call still going to the store): unknown keys are
 * remembered in a bounded cache, so a repeated one costs no query; lookups that find nothing are
 * limited per client address (apiKeys.unknownKeysPerMinute), then 429 without a query; known
 * keys never pay; a key created afterwards works at once; a change notice clears the memory.
 * Time is the injected clock.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createApiKeyServices, generateKey, type ApiKeyServices } from '../../../gateway/src/auth/api-keys/index.js';
import { isGatewayError } from '../../../gateway/src/errors/index.js';
import { MemoryRateLimiter } from '../../../gateway/src/traffic/rate-limit/index.js';
import { countingLookups as counting, freshStoreLocation, keySettings, STORE_KINDS, type StoreKind } from '../../support/stores.js';

const T0 = Date.UTC(2030, 0, 15, 12, 0, 0);


const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error(error));
});

async function setup(kind: StoreKind, overrides: Parameters<typeof keySettings>[1] = {}) {
  const location = await freshStoreLocation(kind);
  const clock = { now: T0 };
  const store = counting(await location.open());
  const limiter = new MemoryRateLimiter({ clock: () => clock.now });
  const services: ApiKeyServices = await createApiKeyServices(keySettings(location, overrides), { store, clock: () => clock.now, limiter });
  cleanups.push(async () => {
    await services.close();
    await location.cleanup();
  });
  return { services, store, clock };
}

/** The code and reason of the refusal of `promise`. */
async function refusedWith(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isGatewayError(error), String(error));
    return error.code === 'UNAUTHENTICATED' ? `401 ${String(error.details.reason)}` : `${error.httpStatus} ${error.code}`;
  }
  return 'accepted';
}

for (const kind of STORE_KINDS) {
  describe(`unknown keys on the ${kind} store`, () => {
    test('1000 made-up keys from one address cost at most unknownKeysPerMinute store queries', async () => {
      const { services, store } = await setup(kind, { unknownKeysPerMinute: 20 });
      const known = await services.service.create({ name: 'busy client' });
      await services.verifier.verify(known.key, '203.0.113.7', T0);
      const before = store.lookups;
      const keys = Array.from({ length: 1000 }, () => generateKey('live'));
      const outcomes = new Map<string, number>();
      for (const key of keys) {
        const outcome = await refusedWith(services.verifier.verify(key, '203.0.113.7', T0));
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
      assert.deepEqual(Object.fromEntries(outcomes), { '401 unknown': 20, '429 RATE_LIMITED': 980 });
      assert.equal(store.lookups - before, 20);
      // The address's known key is cached and pays nothing: it still works.
      assert.equal((await services.verifier.verify(known.key, '203.0.113.7', T0)).keyId, known.record.id);
      // The 20 unknown keys are remembered: sent again, from anywhere, they cost no query.
      for (const key of keys.slice(0, 20)) assert.equal(await refusedWith(services.verifier.verify(key, '198.51.100.1', T0)), '401 unknown');
      assert.equal(store.lookups - before, 20);
      const stats = services.verifier.stats();
      assert.equal(stats.unknownSize, 20);
      assert.equal(stats.unknownHits, 20);
    });

    test('the memory of unknown keys is bounded', async () => {
      const { services, store } = await setup(kind, { unknownKeyCacheSize: 50, unknownKeysPerMinute: 0 });
      const keys = Array.from({ length: 200 }, () => generateKey('test'));
      for (const key of keys) await refusedWith(services.verifier.verify(key, '203.0.113.7', T0));
      assert.equal(store.lookups, 200, 'with the per-address limit off, each new key is looked up once');
      assert.equal(services.verifier.stats().unknownSize, 50);
      for (const key of keys.slice(-50)) await refusedWith(services.verifier.verify(key, '203.0.113.7', T0));
      assert.equal(store.lookups, 200, 'the 50 most recent are refused from memory');
    });

    test('a key created after the flood works at once; from the flooding address once its window has passed', async () => {
      const { services, clock } = await setup(kind, { unknownKeysPerMinute: 5 });
      for (let index = 0; index < 50; index += 1) await refusedWith(services.verifier.verify(generateKey('live'), '203.0.113.7', T0));
      assert.ok(services.verifier.stats().unknownSize > 0);
      const created = await services.service.create({ name: 'new partner' });
      // Never presented before it existed, so never remembered as unknown: it works at once.
      assert.equal((await services.verifier.verify(created.key, '198.51.100.4', clock.now)).keyId, created.record.id);
      // The flooding address has spent its lookups: a key it has not used yet waits for the window.
      const fresh = await services.service.create({ name: 'another' });
      assert.equal(await refusedWith(services.verifier.verify(fresh.key, '203.0.113.7', clock.now)), '429 RATE_LIMITED');
      clock.now += 61_000;
      assert.equal((await services.verifier.verify(fresh.key, '203.0.113.7', clock.now)).keyId, fresh.record.id);
    });

    test('every key change notice clears the memory of unknown keys', async () => {
      const { services, store } = await setup(kind, { unknownKeysPerMinute: 0 });
      const unknown = generateKey('live');
      await refusedWith(services.verifier.verify(unknown, '203.0.113.7', T0));
      await refusedWith(services.verifier.verify(unknown, '203.0.113.7', T0));
      assert.equal(store.lookups, 1);
      const other = await services.service.create({ name: 'changed' });
      await services.service.revoke(other.record.id);
      assert.equal(services.verifier.stats().unknownSize, 0);
      await refusedWith(services.verifier.verify(unknown, '203.0.113.7', T0));
      assert.equal(store.lookups, 2, 'looked up again after the notice');
    });
  });
}
