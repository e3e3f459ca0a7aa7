/**
 * The lifecycle as an operator drives it, on both stores: create (the key once), search by
 * name, owner and prefix, show, update, rotate (default grace, only active keys), revoke,
 * usage per day; and a clear BAD_USER_INPUT or NOT_FOUND for every bad request.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createApiKeyServices, type ApiKeyServices } from '../../../gateway/src/auth/api-keys/index.js';
import { isGatewayError } from '../../../gateway/src/errors/index.js';
import { freshStoreLocation, keySettings, STORE_KINDS, type StoreKind } from '../../support/stores.js';

const T0 = Date.UTC(2030, 0, 15, 12, 0, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  // Each cleanup runs even if an earlier one fails: the services are shared with other runs.
  for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error(error));
});

async function setup(kind: StoreKind, rotationGraceMs = DAY): Promise<{ services: ApiKeyServices; clock: { now: number } }> {
  const location = await freshStoreLocation(kind);
  const clock = { now: T0 };
  const services = await createApiKeyServices(keySettings(location, { rotationGraceMs }), { store: await location.open(), clock: () => clock.now });
  cleanups.push(async () => {
    await services.close();
    await location.cleanup();
  });
  return { services, clock };
}

async function failure(promise: Promise<unknown>, code: string): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isGatewayError(error), String(error));
    assert.equal(error.code, code);
    return error.message;
  }
  assert.fail(`expected ${code}`);
}

for (const kind of STORE_KINDS) {
  describe(`key lifecycle on the ${kind} store`, () => {
    test('create returns the key once; the record carries the grant and no secret', async () => {
      const { services } = await setup(kind);
      const issued = await services.service.create({
        name: '  Partner B  ',
        owner: 'partner-b',
        scopes: ['catalog:read', 'orders:read', 'catalog:read'],
        rateLimit: { limit: 500, windowMs: MINUTE },
        costLimit: { limit: 5000, windowMs: MINUTE },
        allowedIps: ['203.0.113.7/24', '2001:DB8::/32', '203.0.113.0/24'],
        trustedDocumentsOnly: true,
        expiresInMs: 30 * DAY,
        environment: 'test',
      });
      assert.match(issued.key, /^ocw_test_/);
      assert.deepEqual(issued.record, {
        id: issued.record.id,
        name: 'Partner B',
        owner: 'partner-b',
        environment: 'test',
        prefix: issued.key.slice(0, 17),
        scopes: ['catalog:read', 'orders:read'],
        rateLimit: { limit: 500, windowMs: MINUTE },
        costLimit: { limit: 5000, windowMs: MINUTE },
        allowedIps: ['203.0.113.0/24', '2001:db8::/32'],
        trustedDocumentsOnly: true,
        expiresAt: T0 + 30 * DAY,
        createdAt: T0,
        updatedAt: T0,
        lastUsedAt: null,
        revokedAt: null,
        status: 'active',
        replaced: [],
      });
      assert.deepEqual(await services.service.show(issued.record.id), issued.record);
      assert.ok(!JSON.stringify(await services.service.list()).includes(issued.key.slice(17)));
    });

    test('bad input is BAD_USER_INPUT naming the field and the value', async () => {
      const { services } = await setup(kind);
      const cases: Array<[Parameters<ApiKeyServices['service']['create']>[0], RegExp]> = [
        [{ name: '   ' }, /^name must be 1 to 200 printable characters; received "   "\.$/],
        [{ name: 'a', scopes: ['orders read'] }, /^scopes: "orders read" is not a scope; a scope is 1 to 128 letters, digits or _ \. : - \/ \* \(e\.g\. "orders:read"\)\.$/],
        [{ name: 'a', allowedIps: ['10.0.0.300'] }, /^allowed IPs: "10\.0\.0\.300" is not an IPv4 or IPv6 address or CIDR/],
        [{ name: 'a', rateLimit: { limit: 0, windowMs: 1000 } }, /^rate limit must have a whole limit from 1 to 1000000000 and a whole window from 1 ms to 365 days \(31536000000 ms\); received \{"limit":0,"windowMs":1000\}\.$/],
        // What the limiter could not enforce is refused when the key is written, not on each request.
        [{ name: 'a', rateLimit: { limit: 1, windowMs: 366 * 86_400_000 } }, /^rate limit must have a whole limit from 1 to 1000000000 and a whole window/],
        [{ name: 'a', rateLimit: { limit: 2_000_000_000, windowMs: 1000 } }, /^rate limit must have a whole limit from 1 to 1000000000 and a whole window/],
        [{ name: 'a', costLimit: { limit: 0, windowMs: 1000 } }, /^cost limit must have a whole limit from 1 to 1000000000 and a whole window/],
        [{ name: 'a', expiresAt: T0 - 1 }, /^expiry must be a time after now \(2030-01-15T12:00:00\.000Z\); received 2030-01-15T11:59:59\.999Z\.$/],
        [{ name: 'a', expiresInMs: 0 }, /^expires in must be a positive duration/],
      ];
      for (const [input, expected] of cases) assert.match(await failure(services.service.create(input), 'BAD_USER_INPUT'), expected);
      assert.deepEqual(await services.service.list(), [], 'nothing was created');
    });

    test('list searches by name, owner, prefix and status, newest first', async () => {
      const { services, clock } = await setup(kind);
      const a = await services.service.create({ name: 'Partner A', owner: 'acme' });
      clock.now += 1;
      const b = await services.service.create({ name: 'Partner B', owner: 'bolt', expiresInMs: HOUR });
      clock.now += 1;
      const c = await services.service.create({ name: 'internal', owner: 'acme' });
      await services.service.revoke(c.record.id);
      const ids = (list: Array<{ id: string }>) => list.map((record) => record.id);
      assert.deepEqual(ids(await services.service.list()), [c.record.id, b.record.id, a.record.id]);
      assert.deepEqual(ids(await services.service.list({ name: 'partner' })), [b.record.id, a.record.id]);
      assert.deepEqual(ids(await services.service.list({ owner: 'acme' })), [c.record.id, a.record.id]);
      assert.deepEqual(ids(await services.service.list({ prefix: b.record.prefix })), [b.record.id]);
      assert.deepEqual(ids(await services.service.list({ status: 'revoked' })), [c.record.id]);
      clock.now = T0 + 1 + HOUR;
      assert.deepEqual(ids(await services.service.list({ status: 'expired' })), [b.record.id]);
      assert.deepEqual(ids(await services.service.list({ status: 'active' })), [a.record.id]);
      assert.equal((await services.service.show(b.record.id)).status, 'expired');
    });

    test('update changes only what it is given; null clears; a revoked key cannot change', async () => {
      const { services, clock } = await setup(kind);
      const { record } = await services.service.create({ name: 'x', owner: 'o', scopes: ['a'], rateLimit: { limit: 1, windowMs: 1000 }, expiresInMs: DAY });
      clock.now += 5;
      const updated = await services.service.update(record.id, { name: 'y', scopes: ['b'], rateLimit: null, owner: null, expiresAt: null });
      assert.deepEqual(
        { ...updated },
        { ...record, name: 'y', scopes: ['b'], rateLimit: null, owner: null, expiresAt: null, updatedAt: T0 + 5 },
      );
      const extended = await services.service.update(record.id, { expiresInMs: 2 * DAY, allowedIps: ['10.0.0.1'] });
      assert.equal(extended.expiresAt, T0 + 5 + 2 * DAY);
      assert.deepEqual(extended.allowedIps, ['10.0.0.1/32']);
      assert.equal(extended.trustedDocumentsOnly, false, 'absent at creation: any document');
      assert.equal((await services.service.update(record.id, { trustedDocumentsOnly: true })).trustedDocumentsOnly, true);
      await services.service.revoke(record.id);
      assert.equal(
        await failure(services.service.update(record.id, { name: 'z' }), 'BAD_USER_INPUT'),
        `API key ${record.id} is revoked; a revoked key cannot be changed (create a new one).`,
      );
    });

    test('rotate keeps the id and grant, uses the configured default grace, and refuses revoked or expired keys', async () => {
      const { services, clock } = await setup(kind, 2 * HOUR);
      const { key, record } = await services.service.create({ name: 'r', scopes: ['s'], expiresInMs: DAY });
      clock.now += MINUTE;
      const rotated = await services.service.rotate(record.id);
      assert.notEqual(rotated.key, key);
      assert.equal(rotated.record.id, record.id);
      assert.deepEqual(rotated.record.scopes, ['s']);
      assert.equal(rotated.record.expiresAt, T0 + DAY);
      assert.equal(rotated.record.prefix, rotated.key.slice(0, 17));
      assert.deepEqual(rotated.record.replaced, [{ prefix: key.slice(0, 17), createdAt: T0, endsAt: T0 + MINUTE + 2 * HOUR }]);
      assert.match(await failure(services.service.rotate(record.id, { graceMs: -1 }), 'BAD_USER_INPUT'), /^grace must be a duration from 0 to 100 years/);

      clock.now = T0 + DAY;
      assert.equal(
        await failure(services.service.rotate(record.id), 'BAD_USER_INPUT'),
        `API key ${record.id} is expired; only an active key can be rotated (extend its expiry with "keys update --expires-in", or create a new one).`,
      );
      const other = await services.service.create({ name: 'o' });
      await services.service.revoke(other.record.id);
      assert.match(await failure(services.service.rotate(other.record.id), 'BAD_USER_INPUT'), /is revoked; only an active key can be rotated \(create a new one\)\.$/);
    });

    test('revoke is final and idempotent; unknown ids are NOT_FOUND', async () => {
      const { services, clock } = await setup(kind);
      const { record } = await services.service.create({ name: 'c' });
      const first = await services.service.revoke(record.id);
      clock.now += 10;
      const second = await services.service.revoke(record.id);
      assert.equal(first.status, 'revoked');
      assert.equal(second.revokedAt, T0);
      for (const operation of [
        () => services.service.show('key_nope'),
        () => services.service.update('key_nope', { name: 'x' }),
        () => services.service.rotate('key_nope'),
        () => services.service.revoke('key_nope'),
        () => services.service.usage('key_nope'),
      ]) {
        assert.equal(await failure(operation(), 'NOT_FOUND'), 'No API key has the id "key_nope".');
      }
    });

    test('usage: requests and errors per UTC day over the last days, and the last use', async () => {
      const { services, clock } = await setup(kind);
      const { record } = await services.service.create({ name: 'used' });
      services.usage.recordUsage(record.id, 'ok', T0 - 2 * DAY);
      services.usage.recordUsage(record.id, 'ok', T0 - 40 * DAY);
      for (let i = 0; i < 3; i += 1) services.usage.recordUsage(record.id, 'ok', T0 + i);
      services.usage.recordUsage(record.id, 'error', T0 + 5);
      assert.equal(services.usage.pending, 3, 'counters per key and day, waiting in memory');
      await services.usage.flush();
      assert.equal(services.usage.pending, 0);
      const usage = await services.service.usage(record.id);
      assert.deepEqual(usage, {
        keyId: record.id,
        fromDay: '2029-12-17',
        requests: 5,
        errors: 1,
        lastUsedAt: T0 + 5,
        days: [
          { day: '2030-01-13', requests: 1, errors: 0 },
          { day: '2030-01-15', requests: 4, errors: 1 },
        ],
      });
      assert.equal((await services.service.usage(record.id, { days: 1 })).requests, 4);
      assert.equal((await services.service.usage(record.id, { days: 366 })).requests, 6);
      assert.match(await failure(services.service.usage(record.id, { days: 0 }), 'BAD_USER_INPUT'), /^days must be an integer from 1 to 366/);
      assert.equal((await services.service.show(record.id)).lastUsedAt, T0 + 5);
      clock.now += DAY;
      assert.deepEqual((await services.service.usage(record.id, { days: 1 })).days, [], 'a new day starts at zero');
    });
  });
}
