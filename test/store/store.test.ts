/**
 * The store contract, run against both stores: the embedded SQLite file and the real
 * PostgreSQL (a fresh schema per test). Records round-trip exactly, searches find what a user
 * types, rotation and revocation keep their rules, the change log tells other instances what
 * changed, usage adds up, and the data survives a restart.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isGatewayError } from '../../gateway/src/errors/index.js';
import { openStore, type Store, type StoredApiKey, type StoredKeySecret } from '../../gateway/src/store/index.js';
import Database from 'better-sqlite3';
import pg from 'pg';
import { freshStoreLocation, STORE_KINDS, tempDir, type StoreKind } from '../support/stores.js';

const T0 = Date.UTC(2030, 0, 15, 12, 0, 0);
const HOUR = 3_600_000;

function secret(prefix: string, digest: string, createdAt = T0): StoredKeySecret {
  return { prefix, digest, scheme: 'hmac-sha256', createdAt, validUntil: null };
}

function key(id: string, overrides: Partial<StoredApiKey> = {}): StoredApiKey {
  return {
    id,
    name: `key ${id}`,
    owner: null,
    environment: 'live',
    scopes: [],
    rateLimit: null,
    costLimit: null,
    allowedIps: [],
    trustedDocumentsOnly: false,
    expiresAt: null,
    createdAt: T0,
    updatedAt: T0,
    lastUsedAt: null,
    revokedAt: null,
    secrets: [secret(`ocw_live_${id.slice(-8)}`, `${id}-digest`)],
    ...overrides,
  };
}

/** Runs `fn` with a store on a fresh location of `kind`, cleaned up after. */
async function withStore(kind: StoreKind, fn: (store: Store, reopen: () => Promise<Store>) => Promise<void>): Promise<void> {
  const location = await freshStoreLocation(kind);
  try {
    await fn(await location.open(), () => location.open());
  } finally {
    await location.cleanup();
  }
}

for (const kind of STORE_KINDS) {
  describe(`${kind} store`, () => {
    test('a key round-trips exactly, and survives closing and reopening the store', async () => {
      await withStore(kind, async (store, reopen) => {
        const full = key('key_AAAAAAAAAAAAAAAA', {
          name: 'Partner B (EU)',
          owner: 'partner-b',
          environment: 'test',
          scopes: ['catalog:read', 'orders:read'],
          rateLimit: { limit: 500, windowMs: 60_000 },
          costLimit: { limit: 5000, windowMs: 60_000 },
          allowedIps: ['203.0.113.0/24', '2001:db8::/32'],
          trustedDocumentsOnly: true,
          expiresAt: T0 + 30 * 24 * HOUR,
          secrets: [{ prefix: 'ocw_test_AbCd1234', digest: 'ab'.repeat(32), scheme: 'sha256', createdAt: T0, validUntil: null }],
        });
        await store.insertKey(full);
        assert.deepEqual(await store.getKey(full.id), full);
        assert.equal(await store.getKey('key_missing'), undefined);
        await store.close();
        const again = await reopen();
        assert.deepEqual(await again.getKey(full.id), full);
      });
    });

    test('findByPrefix returns each secret with that exact prefix, with its key', async () => {
      await withStore(kind, async (store) => {
        await store.insertKey(key('key_1111111111111111', { secrets: [secret('ocw_live_SAMEPREF', 'd1')] }));
        await store.insertKey(key('key_2222222222222222', { secrets: [secret('ocw_live_SAMEPREF', 'd2')] }));
        await store.insertKey(key('key_3333333333333333', { secrets: [secret('ocw_live_OTHERPRE', 'd3')] }));
        const matches = await store.findByPrefix('ocw_live_SAMEPREF');
        assert.deepEqual(matches.map((match) => [match.key.id, match.secret.digest]).sort(), [
          ['key_1111111111111111', 'd1'],
          ['key_2222222222222222', 'd2'],
        ]);
        assert.deepEqual(await store.findByPrefix('ocw_live_SAMEPRE'), [], 'a lookup is exact, not a prefix search');
      });
    });

    test('listKeys searches by name (any case, % and _ literal), owner, key prefix and status; newest first', async () => {
      await withStore(kind, async (store) => {
        await store.insertKey(key('key_a000000000000000', { name: 'Partner A', owner: 'acme', createdAt: T0 }));
        await store.insertKey(key('key_b000000000000000', { name: 'partner b 100%', owner: 'bolt', createdAt: T0 + 1, secrets: [secret('ocw_live_Bbbb1234', 'db')] }));
        await store.insertKey(key('key_c000000000000000', { name: 'internal_c', owner: 'acme', createdAt: T0 + 2, expiresAt: T0 + HOUR }));
        await store.insertKey(key('key_d000000000000000', { name: 'Partner D', createdAt: T0 + 3, revokedAt: T0 + 10 }));
        const ids = (list: StoredApiKey[]) => list.map((k) => k.id.slice(4, 5)).join('');
        assert.equal(ids(await store.listKeys()), 'dcba');
        assert.equal(ids(await store.listKeys({ name: 'PARTNER' })), 'dba');
        assert.equal(ids(await store.listKeys({ name: '100%' })), 'b');
        assert.equal(ids(await store.listKeys({ name: '%' })), 'b');
        assert.equal(ids(await store.listKeys({ name: 'l_c' })), 'c');
        assert.equal(ids(await store.listKeys({ name: '_' })), 'c');
        assert.equal(ids(await store.listKeys({ owner: 'acme' })), 'ca');
        assert.equal(ids(await store.listKeys({ prefix: 'ocw_live_Bb' })), 'b');
        assert.equal(ids(await store.listKeys({ prefix: 'ocw_live_B_' })), '', 'an underscore in a prefix is a character, not a wildcard');
        assert.equal(ids(await store.listKeys({ status: 'active', now: T0 + HOUR - 1 })), 'cba');
        assert.equal(ids(await store.listKeys({ status: 'active', now: T0 + HOUR })), 'ba');
        assert.equal(ids(await store.listKeys({ status: 'expired', now: T0 + HOUR })), 'c');
        assert.equal(ids(await store.listKeys({ status: 'revoked' })), 'd');
        assert.equal(ids(await store.listKeys({ owner: 'acme', name: 'partner' })), 'a');
        assert.equal(ids(await store.listKeys({ limit: 2 })), 'dc');
      });
    });

    test('a store made before cost budgets (schema version 1) is upgraded on open: its keys read with no cost limit and take one', async () => {
      const location = await freshStoreLocation(kind);
      try {
        const store = await location.open();
        const old = key('key_v1000000000000000', { rateLimit: { limit: 5, windowMs: 60_000 } });
        await store.insertKey(old);
        await store.close();
        // Back to version 1: without migration 2's columns or its record.
        const downgrade = ['ALTER TABLE openclaw_api_keys DROP COLUMN cost_limit', 'ALTER TABLE openclaw_api_keys DROP COLUMN cost_window_ms', 'DELETE FROM openclaw_migrations WHERE version = 2'];
        if (location.config.databaseUrl === undefined) {
          const db = new Database(join(location.config.dataDir, 'openclaw.db'));
          for (const sql of downgrade) db.exec(sql);
          db.close();
        } else {
          const client = new pg.Client({ connectionString: location.config.databaseUrl });
          await client.connect();
          for (const sql of downgrade) await client.query(sql);
          await client.end();
        }
        const upgraded = await location.open();
        assert.deepEqual(await upgraded.getKey(old.id), old);
        const budgeted = await upgraded.updateKey(old.id, { costLimit: { limit: 5000, windowMs: 60_000 } }, T0 + 1);
        assert.deepEqual(budgeted, { ...old, costLimit: { limit: 5000, windowMs: 60_000 }, updatedAt: T0 + 1 });
      } finally {
        await location.cleanup();
      }
    });

    test('updateKey changes only the fields given; an unknown id is undefined', async () => {
      await withStore(kind, async (store) => {
        const original = key('key_u000000000000000', { owner: 'acme', scopes: ['a'], rateLimit: { limit: 1, windowMs: 1000 } });
        await store.insertKey(original);
        const renamed = await store.updateKey(original.id, { name: 'renamed', scopes: ['a', 'b'] }, T0 + 5);
        assert.deepEqual(renamed, { ...original, name: 'renamed', scopes: ['a', 'b'], updatedAt: T0 + 5 });
        const cleared = await store.updateKey(original.id, { owner: null, rateLimit: null, allowedIps: ['10.0.0.0/8'], expiresAt: T0 + HOUR }, T0 + 6);
        assert.deepEqual(cleared, { ...original, name: 'renamed', scopes: ['a', 'b'], owner: null, rateLimit: null, allowedIps: ['10.0.0.0/8'], expiresAt: T0 + HOUR, updatedAt: T0 + 6 });
        const budgeted = await store.updateKey(original.id, { costLimit: { limit: 5000, windowMs: 60_000 } }, T0 + 7);
        assert.deepEqual(budgeted?.costLimit, { limit: 5000, windowMs: 60_000 });
        assert.deepEqual((await store.updateKey(original.id, { costLimit: null }, T0 + 8))?.costLimit, null);
        const trusted = await store.updateKey(original.id, { trustedDocumentsOnly: true }, T0 + 9);
        assert.equal(trusted?.trustedDocumentsOnly, true);
        assert.equal((await store.getKey(original.id))?.trustedDocumentsOnly, true);
        assert.equal((await store.updateKey(original.id, { trustedDocumentsOnly: false }, T0 + 10))?.trustedDocumentsOnly, false);
        assert.equal(await store.updateKey('key_missing', { name: 'x' }, T0), undefined);
      });
    });

    test('rotateKey adds the new secret first and ends older ones at the grace end, never later than they already end', async () => {
      await withStore(kind, async (store) => {
        const original = key('key_r000000000000000', { secrets: [secret('ocw_live_FIRST000', 'first')] });
        await store.insertKey(original);
        const once = await store.rotateKey(original.id, secret('ocw_live_SECOND00', 'second', T0 + 10), T0 + 10 + HOUR, T0 + 10);
        assert.deepEqual(once?.secrets.map((s) => [s.digest, s.validUntil]), [['second', null], ['first', T0 + 10 + HOUR]]);
        // A second rotation with a longer grace does not extend the first secret; a shorter one ends both.
        const twice = await store.rotateKey(original.id, secret('ocw_live_THIRD000', 'third', T0 + 20), T0 + 20 + 2 * HOUR, T0 + 20);
        assert.deepEqual(twice?.secrets.map((s) => [s.digest, s.validUntil]), [['third', null], ['second', T0 + 20 + 2 * HOUR], ['first', T0 + 10 + HOUR]]);
        const thrice = await store.rotateKey(original.id, secret('ocw_live_FOURTH00', 'fourth', T0 + 30), T0 + 30, T0 + 30);
        assert.deepEqual(thrice?.secrets.map((s) => [s.digest, s.validUntil]), [['fourth', null], ['third', T0 + 30], ['second', T0 + 30], ['first', T0 + 30]]);
        assert.equal(thrice?.updatedAt, T0 + 30);
        assert.equal((await store.findByPrefix('ocw_live_SECOND00'))[0]?.secret.validUntil, T0 + 30);
        assert.equal(await store.rotateKey('key_missing', secret('ocw_live_X0000000', 'x'), T0, T0), undefined);
      });
    });

    test('revokeKey records the first revocation time and keeps it', async () => {
      await withStore(kind, async (store) => {
        await store.insertKey(key('key_v000000000000000'));
        assert.equal((await store.revokeKey('key_v000000000000000', T0 + 1))?.revokedAt, T0 + 1);
        assert.equal((await store.revokeKey('key_v000000000000000', T0 + 2))?.revokedAt, T0 + 1);
        assert.equal(await store.revokeKey('key_missing', T0), undefined);
      });
    });

    test('the change log counts every change of a key and names the keys changed, for another store object too', async () => {
      await withStore(kind, async (store, reopen) => {
        const other = await reopen();
        await store.insertKey(key('key_c100000000000000'));
        await store.insertKey(key('key_c200000000000000'));
        const start = await other.changeVersion();
        assert.equal(start, 0, 'a new key is not a change: nobody can have it cached');
        assert.deepEqual(await other.changesSince(start), { version: start, keyIds: [], reset: false });
        await store.revokeKey('key_c100000000000000', T0);
        await store.updateKey('key_c200000000000000', { name: 'x' }, T0);
        await store.rotateKey('key_c200000000000000', secret('ocw_live_ROT00000', 'rot'), T0, T0);
        await store.addUsage([{ keyId: 'key_c100000000000000', day: '2030-01-15', requests: 1, errors: 0, lastUsedAt: T0 }]);
        const batch = await other.changesSince(start);
        assert.equal(batch.version, start + 3, 'three changes; usage is not a change');
        assert.equal(batch.reset, false);
        assert.deepEqual([...batch.keyIds].sort(), ['key_c100000000000000', 'key_c200000000000000']);
        assert.deepEqual(await other.changesSince(start + 2), { version: start + 3, keyIds: ['key_c200000000000000'], reset: false });
        // A version the log cannot vouch for (a replaced database): start over.
        assert.equal((await other.changesSince(start + 50)).reset, true);
      });
    });

    test('usage adds up per key and day; lastUsedAt only moves forward', async () => {
      await withStore(kind, async (store) => {
        await store.insertKey(key('key_s000000000000000'));
        await store.addUsage([
          { keyId: 'key_s000000000000000', day: '2030-01-14', requests: 3, errors: 1, lastUsedAt: T0 - 20 * HOUR },
          { keyId: 'key_s000000000000000', day: '2030-01-15', requests: 2, errors: 0, lastUsedAt: T0 },
        ]);
        await store.addUsage([{ keyId: 'key_s000000000000000', day: '2030-01-15', requests: 5, errors: 2, lastUsedAt: T0 - HOUR }]);
        assert.deepEqual(await store.usageOf('key_s000000000000000', '2030-01-01'), [
          { day: '2030-01-14', requests: 3, errors: 1 },
          { day: '2030-01-15', requests: 7, errors: 2 },
        ]);
        assert.deepEqual(await store.usageOf('key_s000000000000000', '2030-01-15'), [{ day: '2030-01-15', requests: 7, errors: 2 }]);
        assert.equal((await store.getKey('key_s000000000000000'))?.lastUsedAt, T0);
        assert.deepEqual(await store.usageOf('key_other', '2030-01-01'), []);
      });
    });

    test('ping answers while open', async () => {
      await withStore(kind, async (store) => {
        await store.ping();
      });
    });
  });
}

test('a PostgreSQL store that cannot be reached is STORE_UNAVAILABLE, naming the host but not the password', async () => {
  await assert.rejects(openStore({ dataDir: '/unused', databaseUrl: 'postgres://app:s3cret-pw@127.0.0.1:1/test' }), (error: unknown) => {
    assert.ok(isGatewayError(error));
    assert.equal(error.code, 'STORE_UNAVAILABLE');
    assert.equal(error.httpStatus, 503);
    assert.match(error.message, /^The PostgreSQL key store at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/test could not be opened: /);
    assert.doesNotMatch(error.message, /s3cret-pw/);
    return true;
  });
});

test('an embedded store whose data directory is a file is STORE_UNAVAILABLE, naming the path', async () => {
  const dir = await tempDir();
  const notADir = join(dir.path, 'file');
  await writeFile(notADir, 'x');
  try {
    await assert.rejects(openStore({ dataDir: notADir }), (error: unknown) => {
      assert.ok(isGatewayError(error));
      assert.equal(error.code, 'STORE_UNAVAILABLE');
      assert.ok(error.message.startsWith(`The embedded key store at ${join(notADir, 'openclaw.db')} could not be opened: `), error.message);
      return true;
    });
  } finally {
    await dir.remove();
  }
});
