/**
 * Two gateway instances (two separate store, cache and verifier objects) over the same data:
 * a revocation, a rotation with no grace, or a narrowed grant made on one is applied by the
 * other within one second, while its cache was warm. Over the embedded file and PostgreSQL
 * through the store's change counter (polled every 50 ms here), and over Redis pub/sub (with
 * the store poll pushed out of the way, so Redis alone must carry it).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createApiKeyServices, redisChanges, type ApiKeyServices } from '../../../gateway/src/auth/api-keys/index.js';
import { isGatewayError } from '../../../gateway/src/errors/index.js';
import { freshRedisPrefix, freshStoreLocation, keySettings, TEST_REDIS_URL, type StoreKind } from '../../support/stores.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  // Each cleanup runs even if an earlier one fails: the services are shared with other runs.
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
});

/** Two instances on one fresh location of `kind`, optionally sharing a Redis. */
async function twoInstances(kind: StoreKind, redis: boolean): Promise<[ApiKeyServices, ApiKeyServices]> {
  const location = await freshStoreLocation(kind);
  const prefix = freshRedisPrefix();
  cleanups.push(() => location.cleanup(), () => prefix.cleanup());
  const settings = keySettings(location, {
    changePollMs: 50,
    ...(redis ? { redisUrl: TEST_REDIS_URL, redisPrefix: prefix.prefix } : {}),
  });
  // With Redis, the store is checked only every 60 s here: the notice must come through Redis.
  const deps = redis ? { backstopPollMs: 60_000 } : {};
  const a = await createApiKeyServices(settings, { ...deps, store: await location.open() });
  const b = await createApiKeyServices(settings, { ...deps, store: await location.open() });
  cleanups.push(() => a.close(), () => b.close());
  return [a, b];
}

/** Milliseconds until `check` first throws UNAUTHENTICATED (or until 2 s have passed: then it fails). */
async function timeUntilRefused(check: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < 2000) {
    try {
      await check();
    } catch (error) {
      assert.ok(isGatewayError(error) && error.code === 'UNAUTHENTICATED', String(error));
      return performance.now() - start;
    }
    await sleep(5);
  }
  assert.fail('not refused within 2 s');
}

const SETUPS: Array<[string, StoreKind, boolean]> = [
  ['the embedded file, polling its change counter', 'embedded', false],
  ['PostgreSQL, polling its change counter', 'postgres', false],
  ['Redis pub/sub (PostgreSQL polled only every 60 s)', 'postgres', true],
  ['Redis pub/sub (embedded file polled only every 60 s)', 'embedded', true],
];

for (const [title, kind, redis] of SETUPS) {
  describe(`two instances over ${title}`, () => {
    test('a key revoked on one is refused by the other within one second; other keys go on', async () => {
      const [a, b] = await twoInstances(kind, redis);
      const revoked = await a.service.create({ name: 'partner C' });
      const kept = await a.service.create({ name: 'partner A' });
      await b.verifier.verify(revoked.key, undefined, Date.now());
      await b.verifier.verify(kept.key, undefined, Date.now());
      assert.equal(b.verifier.stats().size, 2, "b's cache is warm");
      await a.service.revoke(revoked.record.id);
      const elapsed = await timeUntilRefused(() => b.verifier.verify(revoked.key, undefined, Date.now()));
      assert.ok(elapsed < 1000, `refused after ${elapsed.toFixed(0)} ms`);
      assert.equal((await b.verifier.verify(kept.key, undefined, Date.now())).keyId, kept.record.id);
    });

    test('a rotation with no grace on one ends the old key on the other within one second; the new key works there', async () => {
      const [a, b] = await twoInstances(kind, redis);
      const issued = await a.service.create({ name: 'rotating' });
      await b.verifier.verify(issued.key, undefined, Date.now());
      const rotated = await a.service.rotate(issued.record.id, { graceMs: 0 });
      const elapsed = await timeUntilRefused(() => b.verifier.verify(issued.key, undefined, Date.now()));
      assert.ok(elapsed < 1000, `refused after ${elapsed.toFixed(0)} ms`);
      assert.equal((await b.verifier.verify(rotated.key, undefined, Date.now())).keyId, issued.record.id);
    });

    test('an allow list narrowed on one applies on the other within one second', async () => {
      const [a, b] = await twoInstances(kind, redis);
      const issued = await a.service.create({ name: 'moving' });
      await b.verifier.verify(issued.key, '198.51.100.1', Date.now());
      await a.service.update(issued.record.id, { allowedIps: ['203.0.113.0/24'] });
      const elapsed = await timeUntilRefused(() => b.verifier.verify(issued.key, '198.51.100.1', Date.now()));
      assert.ok(elapsed < 1000, `refused after ${elapsed.toFixed(0)} ms`);
    });
  });
}

test('a Redis subscriber that reconnects reports that anything may have changed (notices may have been lost)', async () => {
  const prefix = freshRedisPrefix();
  const name = `${prefix.prefix.replace(/:/g, '-')}sub`;
  const publisher = new Redis(TEST_REDIS_URL);
  const subscriber = new Redis(TEST_REDIS_URL, { connectionName: name, retryStrategy: () => 20 });
  subscriber.on('error', () => undefined);
  const feed = redisChanges({ publisher, subscriber, channel: `${prefix.prefix}api-keys:changes` });
  const heard: Array<readonly string[] | null> = [];
  feed.subscribe((ids) => heard.push(ids));
  try {
    await feed.start();
    await feed.announce('key_one');
    await waitFor(() => heard.length === 1);
    assert.deepEqual(heard, [['key_one']]);
    // Kill exactly our subscriber's connection, found by its name.
    const clients = String(await publisher.call('CLIENT', 'LIST'));
    const id = new RegExp(`id=(\\d+) [^\\n]* name=${name} `).exec(clients)?.[1];
    assert.ok(id, 'the subscriber is connected');
    await publisher.call('CLIENT', 'KILL', 'ID', id);
    await waitFor(() => heard.length === 2);
    assert.deepEqual(heard[1], null);
    await feed.announce('key_two');
    await waitFor(() => heard.length === 3);
    assert.deepEqual(heard[2], ['key_two'], 'subscribed again after the reconnection');
  } finally {
    await feed.close();
    subscriber.disconnect();
    publisher.disconnect();
    await prefix.cleanup();
  }
});

async function waitFor(condition: () => boolean): Promise<void> {
  const start = performance.now();
  while (!condition()) {
    if (performance.now() - start > 2000) assert.fail('condition not met within 2 s');
    await sleep(5);
  }
}

test('a gateway instance with Redis configured but down does not start: STORE_UNAVAILABLE, password hidden', async () => {
  const location = await freshStoreLocation('embedded');
  try {
    const settings = keySettings(location, { redisUrl: 'redis://:pw-not-shown@127.0.0.1:1' });
    await assert.rejects(createApiKeyServices(settings), (error: unknown) => {
      assert.ok(isGatewayError(error));
      assert.equal(error.code, 'STORE_UNAVAILABLE');
      assert.match(error.message, /^Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 could not be reached/);
      return true;
    });
  } finally {
    await location.cleanup();
  }
});
