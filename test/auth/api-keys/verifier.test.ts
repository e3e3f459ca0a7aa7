/**
 * The check every request with a key pays, on both stores: the principal of a good key, and
 * each refusal with its reason (malformed and bad checksum without any store lookup; unknown,
 * revoked, expired, rotated out after its grace, wrong IPv4 or IPv6 address). Time is the
 * `now` passed in, never slept on. The key appears in no message and nowhere in the store.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { createApiKeyServices, generateKey, type ApiKeyServices, type KeyRefusal } from '../../../gateway/src/auth/api-keys/index.js';
import { isGatewayError } from '../../../gateway/src/errors/index.js';
import type { Store } from '../../../gateway/src/store/index.js';
import { countingLookups as counting, freshStoreLocation, keySettings, STORE_KINDS, type StoreKind, type StoreLocation } from '../../support/stores.js';

const T0 = Date.UTC(2030, 0, 15, 12, 0, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;


interface Setup {
  services: ApiKeyServices;
  store: Store & { lookups: number };
  location: StoreLocation;
  clock: { now: number };
}

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  // Each cleanup runs even if an earlier one fails: the services are shared with other runs.
  for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error(error));
});

async function setup(kind: StoreKind, overrides: Parameters<typeof keySettings>[1] = {}): Promise<Setup> {
  const location = await freshStoreLocation(kind);
  const clock = { now: T0 };
  const store = counting(await location.open());
  const services = await createApiKeyServices(keySettings(location, overrides), { store, clock: () => clock.now });
  cleanups.push(async () => {
    await services.close();
    await location.cleanup();
  });
  return { services, store, location, clock };
}

async function refusal(promise: Promise<unknown>): Promise<{ reason: KeyRefusal; message: string }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isGatewayError(error), String(error));
    assert.equal(error.code, 'UNAUTHENTICATED');
    assert.equal(error.httpStatus, 401);
    return { reason: error.details.reason as KeyRefusal, message: error.message };
  }
  assert.fail('expected the key to be refused');
}

for (const kind of STORE_KINDS) {
  describe(`verifier on the ${kind} store`, () => {
    test('a good key gives its principal: id, scopes, rate limit, expiry; later checks hit the cache', async () => {
      const { services, store } = await setup(kind);
      const { key, record } = await services.service.create({
        name: 'partner B',
        scopes: ['catalog:read', 'orders:read'],
        rateLimit: { limit: 500, windowMs: MINUTE },
        expiresInMs: 30 * 24 * HOUR,
      });
      const principal = await services.verifier.verify(key, '198.51.100.7', T0);
      assert.equal(principal.kind, 'apiKey');
      assert.equal(principal.subject, record.id);
      assert.equal(principal.keyId, record.id);
      assert.deepEqual([...principal.scopes], ['catalog:read', 'orders:read']);
      assert.deepEqual(principal.claims, {});
      assert.deepEqual(principal.limits, { limit: 500, windowMs: MINUTE });
      assert.equal(principal.expiresAt, (T0 + 30 * 24 * HOUR) / 1000);
      assert.equal(store.lookups, 1);
      for (let i = 0; i < 5; i += 1) assert.equal(await services.verifier.verify(key, '198.51.100.7', T0 + i), principal);
      assert.equal(store.lookups, 1, 'steady state: no store lookup');
    });

    test('malformed keys and bad checksums are refused without a store lookup; an unknown key after one', async () => {
      const { services, store } = await setup(kind);
      const { key } = await services.service.create({ name: 'a' });
      const typo = key.slice(0, 30) + (key[30] === 'x' ? 'y' : 'x') + key.slice(31);
      const checksum = await refusal(services.verifier.verify(typo, undefined, T0));
      assert.equal(checksum.reason, 'checksum');
      const malformed = await refusal(services.verifier.verify('sk_live_abc', undefined, T0));
      assert.equal(malformed.reason, 'malformed');
      assert.equal((await refusal(services.verifier.verify(key.slice(0, -1), undefined, T0))).reason, 'malformed');
      assert.equal(store.lookups, 0);
      const unknown = await refusal(services.verifier.verify(generateKey('live'), undefined, T0));
      assert.deepEqual(unknown, { reason: 'unknown', message: 'API key is not known.' });
      assert.equal(store.lookups, 1);
      for (const { message } of [checksum, malformed, unknown]) assert.ok(!message.includes(key.slice(9, 30)));
    });

    test('a revoked key is refused at once on the instance that revoked it, cached or not', async () => {
      const { services } = await setup(kind);
      const { key, record } = await services.service.create({ name: 'partner C' });
      await services.verifier.verify(key, undefined, T0);
      await services.service.revoke(record.id);
      const refused = await refusal(services.verifier.verify(key, undefined, T0));
      assert.deepEqual(refused, { reason: 'revoked', message: `API key was revoked at ${new Date(T0).toISOString()}.` });
    });

    test('a key expires at its time exactly, cached or not', async () => {
      const { services } = await setup(kind);
      const { key } = await services.service.create({ name: 'short', expiresInMs: 2000 });
      await services.verifier.verify(key, undefined, T0);
      await services.verifier.verify(key, undefined, T0 + 1999);
      const refused = await refusal(services.verifier.verify(key, undefined, T0 + 2000));
      assert.deepEqual(refused, { reason: 'expired', message: `API key expired at ${new Date(T0 + 2000).toISOString()}.` });
    });

    test('rotation: the old key works until the grace ends, the new one has the same grant; grace 0 ends it now', async () => {
      const { services, clock } = await setup(kind);
      const { key: oldKey, record } = await services.service.create({ name: 'rotating', scopes: ['orders:read'], rateLimit: { limit: 100, windowMs: MINUTE } });
      await services.verifier.verify(oldKey, undefined, T0);
      clock.now = T0 + MINUTE;
      const rotated = await services.service.rotate(record.id, { graceMs: HOUR });
      assert.equal(rotated.record.id, record.id);
      assert.notEqual(rotated.key, oldKey);
      const fresh = await services.verifier.verify(rotated.key, undefined, T0 + MINUTE);
      assert.equal(fresh.keyId, record.id);
      assert.deepEqual([...fresh.scopes], ['orders:read']);
      assert.deepEqual(fresh.limits, { limit: 100, windowMs: MINUTE });
      const old = await services.verifier.verify(oldKey, undefined, T0 + MINUTE + HOUR - 1);
      assert.equal(old.keyId, record.id);
      assert.equal(old.expiresAt, Math.floor((T0 + MINUTE + HOUR) / 1000));
      const end = new Date(T0 + MINUTE + HOUR).toISOString();
      assert.deepEqual(await refusal(services.verifier.verify(oldKey, undefined, T0 + MINUTE + HOUR)), {
        reason: 'rotated',
        message: `API key was replaced by a rotation and its grace period ended at ${end}; use the new key.`,
      });
      await services.verifier.verify(rotated.key, undefined, T0 + 2 * HOUR);

      const again = await services.service.rotate(record.id, { graceMs: 0 });
      assert.equal((await refusal(services.verifier.verify(rotated.key, undefined, T0 + MINUTE))).reason, 'rotated');
      await services.verifier.verify(again.key, undefined, T0 + MINUTE);
    });

    test('a grace period never extends the key past its own expiry', async () => {
      const { services } = await setup(kind);
      const { key, record } = await services.service.create({ name: 'ends soon', expiresInMs: 30 * MINUTE });
      const rotated = await services.service.rotate(record.id, { graceMs: HOUR });
      assert.deepEqual(rotated.record.replaced.map((entry) => entry.endsAt), [T0 + 30 * MINUTE]);
      await services.verifier.verify(key, undefined, T0 + 30 * MINUTE - 1);
      assert.equal((await refusal(services.verifier.verify(key, undefined, T0 + 30 * MINUTE))).reason, 'expired');
      assert.equal((await refusal(services.verifier.verify(rotated.key, undefined, T0 + 30 * MINUTE))).reason, 'expired');
    });

    test('an IP allow list admits its IPv4 and IPv6 ranges and refuses the rest', async () => {
      const { services } = await setup(kind);
      const { key } = await services.service.create({ name: 'partner B', allowedIps: ['203.0.113.0/24', '2001:db8::/32'] });
      await services.verifier.verify(key, '203.0.113.20', T0);
      await services.verifier.verify(key, '::ffff:203.0.113.21', T0);
      await services.verifier.verify(key, '2001:db8:5::1', T0);
      assert.deepEqual(await refusal(services.verifier.verify(key, '198.51.100.1', T0)), {
        reason: 'ip_not_allowed',
        message: 'API key is not allowed from 198.51.100.1.',
      });
      assert.equal((await refusal(services.verifier.verify(key, '2001:db9::1', T0))).reason, 'ip_not_allowed');
      assert.deepEqual(await refusal(services.verifier.verify(key, undefined, T0)), {
        reason: 'ip_not_allowed',
        message: 'API key is not allowed from an unknown address.',
      });
    });

    test('an update of scopes, limits or IPs applies to the next request on this instance', async () => {
      const { services } = await setup(kind);
      const { key, record } = await services.service.create({ name: 'grows', scopes: ['catalog:read'] });
      await services.verifier.verify(key, '198.51.100.1', T0);
      await services.service.update(record.id, { scopes: ['catalog:read', 'orders:write'], rateLimit: { limit: 5, windowMs: 1000 } });
      const principal = await services.verifier.verify(key, '198.51.100.1', T0);
      assert.deepEqual([...principal.scopes], ['catalog:read', 'orders:write']);
      assert.deepEqual(principal.limits, { limit: 5, windowMs: 1000 });
      await services.service.update(record.id, { allowedIps: ['10.0.0.0/8'] });
      assert.equal((await refusal(services.verifier.verify(key, '198.51.100.1', T0))).reason, 'ip_not_allowed');
    });

    test('concurrent first checks of one key share one store lookup', async () => {
      const { services, store } = await setup(kind);
      const { key } = await services.service.create({ name: 'busy' });
      const principals = await Promise.all(Array.from({ length: 20 }, () => services.verifier.verify(key, undefined, T0)));
      assert.equal(new Set(principals).size, 1);
      assert.equal(store.lookups, 1);
    });

    test('refusals of a known key count as errors in its usage', async () => {
      const { services } = await setup(kind);
      const { key, record } = await services.service.create({ name: 'counted', allowedIps: ['10.0.0.1'] });
      await services.verifier.verify(key, '10.0.0.1', T0);
      services.usage.recordUsage(record.id, 'ok', T0);
      await refusal(services.verifier.verify(key, '10.0.0.2', T0));
      await services.usage.flush();
      const usage = await services.service.usage(record.id);
      assert.equal(usage.requests, 2);
      assert.equal(usage.errors, 1);
      assert.equal(usage.lastUsedAt, T0);
    });

    test('without a hashing secret keys are stored as SHA-256; they still verify once a secret is set', async () => {
      const location = await freshStoreLocation(kind);
      try {
        const before = await createApiKeyServices(keySettings(location, { hashSecret: null }), { store: await location.open() });
        const { key, record } = await before.service.create({ name: 'from before' });
        assert.equal((await before.store.getKey(record.id))?.secrets[0]?.scheme, 'sha256');
        await before.close();
        const afterwards = await createApiKeyServices(keySettings(location, { hashSecret: 'n'.repeat(40) }), { store: await location.open() });
        assert.equal((await afterwards.verifier.verify(key, undefined, Date.now())).keyId, record.id);
        const { record: newer } = await afterwards.service.create({ name: 'after' });
        assert.equal((await afterwards.store.getKey(newer.id))?.secrets[0]?.scheme, 'hmac-sha256');
        await afterwards.close();
      } finally {
        await location.cleanup();
      }
    });

    test('the plaintext key is nowhere in the store, only its digest and non-secret prefix', async () => {
      const { services, location } = await setup(kind);
      const issued = await services.service.create({ name: 'secret keeper', scopes: ['x'] });
      const rotated = await services.service.rotate(issued.record.id, { graceMs: HOUR });
      await services.verifier.verify(rotated.key, undefined, T0);
      const dump = await dumpStore(location);
      assert.ok(dump.includes(issued.key.slice(0, 17)), 'the lookup prefix is stored');
      for (const key of [issued.key, rotated.key]) {
        assert.ok(!dump.includes(key), 'no key in the store');
        assert.ok(!dump.includes(key.slice(17)), 'not even its secret part');
      }
    });
  });
}

test('a store that cannot be reached during a check is STORE_UNAVAILABLE (503), not a refusal of the key', async () => {
  const { services, store } = await setup('postgres');
  const { key } = await services.service.create({ name: 'x' });
  await store.close();
  await assert.rejects(services.verifier.verify(key, undefined, T0), (error: unknown) => {
    assert.ok(isGatewayError(error));
    assert.equal(error.code, 'STORE_UNAVAILABLE');
    assert.equal(error.httpStatus, 503);
    return true;
  });
});

/** Every byte the store holds: the SQLite files (with WAL), or every row of every table as JSON. */
async function dumpStore(location: StoreLocation): Promise<string> {
  if (location.config.databaseUrl === undefined) {
    const files = await readdir(location.config.dataDir);
    const contents = await Promise.all(files.map((file) => readFile(join(location.config.dataDir, file))));
    return Buffer.concat(contents).toString('latin1');
  }
  const client = new pg.Client({ connectionString: location.config.databaseUrl });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()');
    const rows: unknown[] = [];
    for (const { table_name: table } of tables.rows) rows.push((await client.query(`SELECT * FROM ${table}`)).rows);
    return JSON.stringify(rows);
  } finally {
    await client.end();
  }
}
