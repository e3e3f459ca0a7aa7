/**
 * API keys end to end, through HTTP, on the demo graph: the marketplace story of issue 14 and
 * every way a key is refused. Two gateway instances share one store and one Redis, as behind a
 * load balancer (which the gateways trust: clients are presented through `X-Forwarded-For`).
 * The whole suite runs on the embedded store and on PostgreSQL.
 *
 * - Partner A reads only the catalogue, at 100/min; partner B reads the catalogue and orders,
 *   at 500/min, only from its IPv4 and IPv6 ranges; partner C's key is revoked on one instance
 *   and refused at once on the other while A and B go on.
 * - A key that is malformed, mistyped (checksum, with no store lookup), unknown, expired,
 *   rotated out or used from outside its allow list is a 401 with `WWW-Authenticate`.
 * - A missing scope or key nulls only the protected field, with FORBIDDEN / UNAUTHENTICATED at
 *   its path; its backend is not called; the rest of the data comes back.
 * - Usage per key shows in the admin API and `keys show`; no key is ever in a log or the store.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateKey } from '../../gateway/src/auth/api-keys/format.js';
import { main } from '../../gateway/src/cli/main.js';
import { startGateway, type RunningGateway } from '../../gateway/src/index.js';
import {
  ADMIN_TOKEN,
  API_KEY_CHALLENGE,
  LOOPBACK_PROXIES,
  admin,
  call,
  captureLogger,
  createKeyOver,
  storeContents,
  withLookupsBroken,
  within,
  type Call,
  type CapturingLogger,
  type IssuedKey,
} from '../support/api-keys-e2e.js';
import { startDemoGateway, type DemoGateway } from '../support/demo-gateway.js';
import { freshRedisPrefix, freshStoreLocation, STORE_KINDS, TEST_REDIS_URL, type StoreLocation } from '../support/stores.js';

const HASH_SECRET = 'e2e-hash-secret-shared-by-both-instances-0123';

const CATALOGUE = '{ topProducts(first: 2) { name price inStock reviews { body author { name } } } }';
const ORDERS = '{ topProducts(first: 1) { name } user(id: "1") { name orders { id quantity } } orders(userId: "1") { id product { name } } }';
const PLACE_ORDER = 'mutation { placeOrder(input: {userId: "1", upc: "2", quantity: 1}) { id status product { name } } }';

/** What a refused key gets: 401, the challenge, UNAUTHENTICATED with `reason`; never the key. */
function assertRefused(response: Call, reason: string, key?: string): void {
  assert.equal(response.status, 401, response.raw);
  assert.equal(response.headers.get('www-authenticate'), API_KEY_CHALLENGE);
  assert.equal(response.body.data, undefined);
  assert.equal(response.body.errors?.length, 1);
  assert.equal(response.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
  assert.equal(response.body.errors?.[0]?.extensions?.reason, reason, response.raw);
  if (key !== undefined) assert.ok(!response.raw.includes(key) && !response.raw.includes(key.slice(17)), 'the key is not in the answer');
}

/** An admitted request that had no error. */
function assertOk(response: Call): void {
  assert.equal(response.status, 200, response.raw);
  assert.equal(response.body.errors, undefined, response.raw);
}

/** `key` with one character of its random part changed: the checksum no longer matches. */
function mistyped(key: string): string {
  const at = 20;
  return key.slice(0, at) + (key[at] === 'a' ? 'b' : 'a') + key.slice(at + 1);
}

for (const kind of STORE_KINDS) {
  describe(`API keys end to end, two instances on the ${kind} store and Redis`, () => {
    let location: StoreLocation;
    let demo: DemoGateway;
    let second: RunningGateway;
    let logs: CapturingLogger;
    /** The two instances' GraphQL URLs: requests alternate between them. */
    let urls: [string, string];
    /** Every key issued in this suite: none may be found in a log or the store. */
    const issued: string[] = [];
    const cleanups: Array<() => Promise<void>> = [];

    const issue = async (input: Record<string, unknown>): Promise<IssuedKey> => {
      const key = await createKeyOver(demo.origin, input);
      issued.push(key.key);
      return key;
    };

    before(async () => {
      location = await freshStoreLocation(kind);
      const redis = freshRedisPrefix();
      cleanups.push(() => location.cleanup(), () => redis.cleanup());
      logs = captureLogger();
      demo = await startDemoGateway(
        {
          server: { trustedProxies: LOOPBACK_PROXIES },
          store: { ...location.config, redisUrl: TEST_REDIS_URL, redisPrefix: redis.prefix },
          apiKeys: { hashSecret: HASH_SECRET },
          admin: { token: ADMIN_TOKEN },
        },
        { logger: logs },
      );
      cleanups.push(() => demo.close());
      second = await startGateway(demo.config, { logger: logs });
      cleanups.push(() => second.close());
      urls = [demo.gateway.url, second.url];
    });

    after(async () => {
      // Each cleanup runs even if an earlier one fails: the services are shared with other runs.
      for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
    });

    test('the marketplace: A reads only the catalogue at 100/min, B catalogue and orders at 500/min from its IPs, C is revoked on one instance and refused on the other at once', async (t) => {
      const a = await issue({ name: 'Partner A', owner: 'partner-a', scopes: ['catalog:read'], rateLimit: '100/min' });
      const b = await issue({ name: 'Partner B', owner: 'partner-b', scopes: ['catalog:read', 'orders:read'], rateLimit: '500/min', allowedIps: ['203.0.113.0/24', '2001:db8:b::/48'] });
      const c = await issue({ name: 'Partner C', owner: 'partner-c', scopes: ['catalog:read', 'orders:read'], rateLimit: '100/min' });
      const shop = await issue({ name: 'The shop', scopes: ['orders:read', 'orders:write'] });
      const aCalls: Call[] = [];
      // What each of A's requests is charged: its root fields (docs/rate-limits.md, "What a request costs").
      const aUnits: number[] = [];
      const asA = async (url: string, query: string) => {
        const response = await call(url, query, a.key);
        aCalls.push(response);
        aUnits.push(query === ORDERS ? 3 : 1);
        return response;
      };

      // The shop places an order, so that there are orders to read.
      const placed = await call(urls[0], PLACE_ORDER, shop.key);
      assertOk(placed);
      const orderId = (placed.body.data?.placeOrder as { id: string }).id;

      // A reads the catalogue on either instance; one limit of 100/min counts on both.
      const first = await asA(urls[0], CATALOGUE);
      assertOk(first);
      assert.equal((first.body.data?.topProducts as unknown[]).length, 2);
      assert.equal(first.headers.get('ratelimit-policy'), '"key";q=100;w=60');
      assert.match(first.headers.get('ratelimit') ?? '', /^"key";r=99;t=\d+$/);
      const onSecond = await asA(urls[1], CATALOGUE);
      assertOk(onSecond);
      assert.match(onSecond.headers.get('ratelimit') ?? '', /^"key";r=98;t=\d+$/, 'the other instance counts against the same limit');

      // A may not read orders: those fields are null with FORBIDDEN at their paths, the orders
      // backend is never asked, and the rest of the data comes back.
      demo.resetCalls();
      const refused = await asA(urls[1], ORDERS);
      assert.equal(refused.status, 200);
      assert.deepEqual(refused.body.data, { topProducts: [{ name: 'Table' }], user: { name: 'Uri Goldshtein', orders: null }, orders: null });
      assert.deepEqual(
        refused.body.errors?.map((error) => [error.path, error.extensions?.code]),
        [[['user', 'orders'], 'FORBIDDEN'], [['orders'], 'FORBIDDEN']],
      );
      assert.match(refused.body.errors?.[0]?.message ?? '', /^Not authorized to read User\.orders: it needs an API key with scope "orders:read"/);
      assert.deepEqual(demo.subgraphs.orders.calls, [], 'no call to the orders backend');
      assert.ok(demo.subgraphs.accounts.calls.length > 0, 'the rest was fetched');
      // ...nor place one.
      const mutation = await asA(urls[0], PLACE_ORDER);
      assert.deepEqual(mutation.body.data, { placeOrder: null });
      assert.deepEqual(mutation.body.errors?.map((error) => [error.path, error.extensions?.code]), [[['placeOrder'], 'FORBIDDEN']]);
      assert.deepEqual(demo.subgraphs.orders.calls, [], 'no order placed');

      // B reads the catalogue and orders from its IPv4 range on one instance and its IPv6
      // range on the other, at 500/min; from anywhere else its key is refused.
      for (const [url, ip] of [[urls[0], '203.0.113.7'], [urls[1], '2001:db8:b::7']] as const) {
        const response = await call(url, ORDERS, b.key, ip);
        assertOk(response);
        assert.deepEqual(response.body.data?.orders, [{ id: orderId, product: { name: 'Couch' } }]);
        assert.deepEqual((response.body.data?.user as { orders: unknown }).orders, [{ id: orderId, quantity: 1 }]);
        assert.equal(response.headers.get('ratelimit-policy'), '"key";q=500;w=60');
      }
      assertRefused(await call(urls[0], ORDERS, b.key, '198.51.100.7'), 'ip_not_allowed', b.key);
      assertRefused(await call(urls[1], ORDERS, b.key), 'ip_not_allowed', b.key);

      // C reads orders on both instances; revoked on the first, it is refused on the second at
      // once (within a second: Redis carries the notice), while A and B go on.
      for (const url of urls) assertOk(await call(url, ORDERS, c.key));
      await admin(demo.origin, 'mutation ($id: ID!) { revokeApiKey(id: $id) { status } }', { id: c.id });
      const delay = await within(1000, async () => (await call(urls[1], CATALOGUE, c.key)).status === 401);
      t.diagnostic(`${kind}: C refused on the second instance ${delay.toFixed(0)} ms after its revocation on the first returned`);
      for (const url of urls) assertRefused(await call(url, CATALOGUE, c.key), 'revoked', c.key);
      assertOk(await asA(urls[1], CATALOGUE));
      assertOk(await call(urls[1], ORDERS, b.key, '203.0.113.8'));

      // A's 100th request in the minute is its last: spread over both instances, the rest of
      // the quota is admitted and the next request is refused with 429 and when to retry.
      const remaining = Number(/r=(\d+)/.exec(aCalls.at(-1)?.headers.get('ratelimit') ?? '')?.[1]);
      assert.equal(remaining, 100 - aUnits.reduce((sum, units) => sum + units, 0), 'ORDERS\'s three root fields counted 3');
      const rest = await Promise.all(Array.from({ length: remaining }, (_, i) => asA(urls[i % 2] as string, '{ __typename }')));
      assert.deepEqual(rest.map((response) => response.status), rest.map(() => 200));
      const limited = await asA(urls[0], CATALOGUE);
      assert.equal(limited.status, 429, limited.raw);
      assert.equal(limited.body.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
      assert.match(limited.body.errors?.[0]?.message ?? '', /^Rate limit "key" \(100\/min\) reached: retry in \d+ s\.$/);
      const retryAfter = Number(limited.headers.get('retry-after'));
      // A unit counts until its slot's end plus the window (docs/rate-limits.md): at most 60.6 s.
      assert.ok(retryAfter >= 1 && retryAfter <= 61, `Retry-After ${retryAfter}`);
      assert.equal(limited.body.errors?.[0]?.extensions?.retryAfterSeconds, retryAfter);
      assert.equal(limited.headers.get('ratelimit-policy'), '"key";q=100;w=60');
      assert.match(limited.headers.get('ratelimit') ?? '', /^"key";r=0;t=\d+$/);
      assert.equal(aUnits.filter((_, i) => aCalls[i]?.status === 200).reduce((sum, units) => sum + units, 0), 100, 'A was admitted exactly 100 units');
      // B goes on.
      assertOk(await call(urls[1], CATALOGUE, b.key, '2001:db8:b::1'));

      // Usage per key: A's requests and errors, from both instances, in the admin API...
      const expected = { requests: aCalls.length, errors: aCalls.filter((response) => response.status !== 200 || response.body.errors !== undefined).length };
      type Usage = { apiKey: { lastUsedAt: string | null; usage: { requests: number; errors: number; days: Array<{ requests: number; errors: number }> } } };
      let usage: Usage['apiKey'] | undefined;
      await within(5000, async () => {
        usage = (await admin<Usage>(demo.origin, 'query ($id: ID!) { apiKey(id: $id) { lastUsedAt usage { requests errors days { requests errors } } } }', { id: a.id })).apiKey;
        return usage.usage.requests === expected.requests && usage.usage.errors === expected.errors;
      }, 100).catch(() => assert.fail(`A's usage ${JSON.stringify(usage?.usage)}, expected ${JSON.stringify(expected)}`));
      assert.deepEqual(usage?.usage.days, [expected]);
      assert.ok(usage?.lastUsedAt !== null && Date.now() - Date.parse(usage?.lastUsedAt ?? '') < 60_000);
      // ...and in `openclaw keys show`, on the same store.
      let out = '';
      const env = { OPENCLAW_DATA_DIR: location.config.dataDir, OPENCLAW_API_KEY_SECRET: HASH_SECRET, ...(location.config.databaseUrl ? { OPENCLAW_DATABASE_URL: location.config.databaseUrl } : {}) };
      const io = { stdout: { write: (chunk: string) => (out += chunk) }, stderr: { write: (chunk: string) => (out += chunk) }, env, cwd: location.config.dataDir };
      assert.equal(await main(['keys', 'show', a.id], io), 0, out);
      assert.match(out, new RegExp(`^usage +${expected.requests} requests, ${expected.errors} errors since `, 'm'));
      out = '';
      assert.equal(await main(['keys', 'show', c.id, '--json'], io), 0, out);
      const shown = JSON.parse(out) as { status: string; usage: { requests: number; errors: number } };
      assert.equal(shown.status, 'revoked');
      // Its two reads, then its refusals on both instances: each refusal is an error against it.
      assert.ok(shown.usage.errors >= 3 && shown.usage.requests === shown.usage.errors + 2, JSON.stringify(shown.usage));
    });

    test('a mistyped key (bad checksum) is refused without a store lookup; a malformed one too; an unknown one after a lookup', async () => {
      const good = await issue({ name: 'typo victim', scopes: ['orders:read'] });
      const typo = mistyped(good.key);
      const unknown = generateKey('live');
      // While the table key lookups read is gone, a request that looks a key up fails (the
      // gateway logs the failed lookup under its request id); a mistyped and a malformed key
      // are still refused as such, with nothing logged: they were judged without the store.
      const loggedFor = (response: Call) => logs.records.filter((record) => record.fields?.requestId === response.headers.get('x-request-id'));
      await withLookupsBroken(location.config, async () => {
        for (const url of urls) {
          const mistypedCall = await call(url, CATALOGUE, typo);
          assertRefused(mistypedCall, 'checksum', good.key);
          const malformed = await call(url, CATALOGUE, 'ocw_live_short');
          assertRefused(malformed, 'malformed');
          const lookedUp = await call(url, CATALOGUE, unknown);
          assert.equal(lookedUp.status, 500, lookedUp.raw);
          assert.match(JSON.stringify(loggedFor(lookedUp)), /openclaw_api_key_secrets/, 'the lookup failed');
          assert.deepEqual([...loggedFor(mistypedCall), ...loggedFor(malformed)], [], 'no lookup, nothing to log');
        }
      });
      const typoed = await call(urls[0], CATALOGUE, typo);
      assert.equal(typoed.body.errors?.[0]?.message, 'API key checksum does not match: the key was mistyped, truncated or made up.');
      for (const url of urls) {
        const response = await call(url, CATALOGUE, unknown);
        assertRefused(response, 'unknown', unknown);
        assert.equal(response.body.errors?.[0]?.message, 'API key is not known.');
        assertOk(await call(url, CATALOGUE, good.key));
      }
    });

    test('a key expires at its time on both instances, cached or not', async () => {
      const expiring = await issue({ name: 'short-lived', scopes: ['orders:read'], expiresIn: '2s' });
      for (const url of urls) assertOk(await call(url, ORDERS, expiring.key));
      const left = Date.parse(expiring.expiresAt ?? '') - Date.now();
      await sleep(Math.max(0, left) + 20);
      for (const url of urls) {
        const response = await call(url, ORDERS, expiring.key);
        assertRefused(response, 'expired', expiring.key);
        assert.equal(response.body.errors?.[0]?.message, `API key expired at ${expiring.expiresAt}.`);
      }
    });

    test('a rotated key works on both instances during its grace period and is refused after it; the new key works throughout', async () => {
      const rotating = await issue({ name: 'rotating', scopes: ['orders:read'], rateLimit: '50/min' });
      for (const url of urls) assertOk(await call(url, ORDERS, rotating.key));
      type Rotated = { rotateApiKey: { key: string; apiKey: { replaced: Array<{ endsAt: string }> } } };
      const rotated = (await admin<Rotated>(demo.origin, 'mutation ($id: ID!) { rotateApiKey(id: $id, grace: "2s") { key apiKey { replaced { endsAt } } } }', { id: rotating.id })).rotateApiKey;
      issued.push(rotated.key);
      const graceEnd = Date.parse(rotated.apiKey.replaced[0]?.endsAt ?? '');
      // Inside the grace period: both keys, on both instances (the second heard of the rotation).
      for (const url of urls) {
        assertOk(await call(url, ORDERS, rotating.key));
        const fresh = await call(url, ORDERS, rotated.key);
        assertOk(fresh);
        assert.equal(fresh.headers.get('ratelimit-policy'), '"key";q=50;w=60', 'the new key keeps the policy');
      }
      assert.ok(Date.now() < graceEnd, 'still inside the grace period');
      await sleep(Math.max(0, graceEnd - Date.now()) + 20);
      for (const url of urls) {
        const old = await call(url, ORDERS, rotating.key);
        assertRefused(old, 'rotated', rotating.key);
        assert.match(old.body.errors?.[0]?.message ?? '', /^API key was replaced by a rotation and its grace period ended at .*; use the new key\.$/);
        assertOk(await call(url, ORDERS, rotated.key));
      }
      // A rotation with no grace ends the current key at once, on the other instance too.
      const again = (await admin<Rotated>(demo.origin, 'mutation ($id: ID!) { rotateApiKey(id: $id, grace: "0") { key apiKey { replaced { endsAt } } } }', { id: rotating.id })).rotateApiKey;
      issued.push(again.key);
      await within(1000, async () => (await call(urls[1], ORDERS, rotated.key)).status === 401);
      assertRefused(await call(urls[1], ORDERS, rotated.key), 'rotated', rotated.key);
      assertOk(await call(urls[1], ORDERS, again.key));
    });

    test('an IP allow list admits its IPv4 and IPv6 ranges and refuses other addresses with 401', async () => {
      const fenced = await issue({ name: 'fenced', scopes: ['orders:read'], allowedIps: ['203.0.113.0/24', '2001:db8:b::/48'] });
      for (const ip of ['203.0.113.1', '203.0.113.254', '::ffff:203.0.113.9', '2001:db8:b::1', '2001:db8:b:ffff::1']) {
        assertOk(await call(urls[0], ORDERS, fenced.key, ip));
      }
      const cases: Array<[string | undefined, string]> = [
        ['203.0.114.1', '203.0.114.1'],
        ['198.51.100.7', '198.51.100.7'],
        ['2001:db8:c::1', '2001:db8:c::1'],
        ['2001:db9::1', '2001:db9::1'],
        // The load balancer's own address is no client of the list.
        [undefined, '127.0.0.1'],
      ];
      for (const [ip, shown] of cases) {
        const response = await call(urls[1], ORDERS, fenced.key, ip);
        assertRefused(response, 'ip_not_allowed', fenced.key);
        assert.equal(response.body.errors?.[0]?.message, `API key is not allowed from ${shown}.`);
        assert.equal(response.body.errors?.[0]?.extensions?.keyId, fenced.id);
      }
    });

    test('without a key the catalogue is public, a protected field is null with UNAUTHENTICATED, and its backend is not called', async () => {
      demo.resetCalls();
      const response = await call(urls[0], ORDERS, undefined);
      assert.equal(response.status, 200);
      assert.deepEqual(response.body.data, { topProducts: [{ name: 'Table' }], user: { name: 'Uri Goldshtein', orders: null }, orders: null });
      assert.deepEqual(
        response.body.errors?.map((error) => [error.path, error.extensions?.code]),
        [[['user', 'orders'], 'UNAUTHENTICATED'], [['orders'], 'UNAUTHENTICATED']],
      );
      assert.equal(response.headers.get('www-authenticate'), null, 'the request as a whole is not refused');
      assert.deepEqual(demo.subgraphs.orders.calls, []);
      const mutation = await call(urls[1], PLACE_ORDER, undefined);
      assert.deepEqual(mutation.body.data, { placeOrder: null });
      assert.equal(mutation.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
      assert.deepEqual(demo.subgraphs.orders.calls, [], 'no order placed');
      assertOk(await call(urls[1], CATALOGUE, undefined));
    });

    test('no key issued in this suite is in any log line or anywhere in the store', async () => {
      await Promise.all([demo.gateway.close(), second.close()]);
      assert.ok(issued.length >= 8, 'the suite issued its keys');
      assert.ok(logs.records.length > 0, 'the gateways logged');
      const logged = logs.text();
      const stored = await storeContents(location.config);
      for (const key of issued) {
        const secret = key.slice(17);
        assert.ok(!logged.includes(key) && !logged.includes(secret), 'a key in the logs');
        assert.ok(!stored.includes(key) && !stored.includes(secret), 'a key in the store');
        assert.ok(stored.includes(key.slice(0, 17)), 'the store holds the key\'s non-secret prefix (so this read the right data)');
      }
    });
  });
}
