// What a client of the limiter relies on, run against both stores: the in-memory store with a
// hand-moved clock, and two Redis-backed limiters on separate connections (two gateway
// instances) sharing the real Redis. Redis tests let real time pass, so their windows are
// short and their waits are the limiter's own retry-after.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRateLimiter, slotMsFor, type Decision, type RateLimiter, type RatePolicy } from '../../../gateway/src/traffic/rate-limit/index.js';
import { adminConnection, ManualClock, randomPrefix, REDIS_URL, removeKeys, sleep } from './support.js';

interface Harness {
  /** Two limiters standing for two gateway instances (the memory store: one, shared). */
  first: RateLimiter;
  second: RateLimiter;
  /** Lets `ms` pass: the memory store's clock moves; with Redis, real time passes. */
  wait(ms: number): Promise<void>;
  /** The time the waits above move (ms). */
  now(): number;
  close(): Promise<void>;
}

const stores: Record<'memory' | 'redis', () => Promise<Harness>> = {
  async memory() {
    const clock = new ManualClock();
    const limiter = createRateLimiter({ clock: clock.now });
    assert.equal(limiter.store, 'memory');
    return {
      first: limiter,
      second: limiter,
      wait: async (ms) => clock.advance(ms),
      now: clock.now,
      close: () => limiter.close(),
    };
  },
  async redis() {
    const prefix = randomPrefix();
    const first = createRateLimiter({ redisUrl: REDIS_URL, keyPrefix: prefix });
    const second = createRateLimiter({ redisUrl: REDIS_URL, keyPrefix: prefix });
    assert.equal(first.store, 'redis');
    const admin: Redis = adminConnection();
    return {
      first,
      second,
      wait: sleep,
      now: Date.now,
      async close() {
        await Promise.all([first.close(), second.close()]);
        await removeKeys(admin, prefix);
        await admin.quit();
      },
    };
  },
};

const MINUTE: RatePolicy = { limit: 5, windowMs: 60_000 };

function freshKey(): string {
  return `client-${randomBytes(4).toString('hex')}`;
}

function countAllowed(decisions: Decision[]): number {
  return decisions.filter((decision) => decision.allowed).length;
}

for (const [store, start] of Object.entries(stores)) {
  describe(`rate limiter, ${store} store`, () => {
    let h: Harness;
    before(async () => {
      h = await start();
    });
    after(async () => {
      await h.close();
    });

    test('admits the limit, counting remaining down, then refuses with when to come back', async () => {
      const key = freshKey();
      const admitted: Decision[] = [];
      for (let i = 0; i < 5; i += 1) admitted.push(await h.first.consume(key, MINUTE));
      assert.deepEqual(admitted.map((d) => [d.allowed, d.remaining]), [[true, 4], [true, 3], [true, 2], [true, 1], [true, 0]]);
      for (const d of admitted) {
        assert.equal(d.retryAfterMs, 0);
        assert.ok(d.reset > 0 && d.reset <= 60_000 + slotMsFor(60_000), `reset ${d.reset}`);
      }

      const refused = await h.first.consume(key, MINUTE);
      assert.equal(refused.allowed, false);
      assert.equal(refused.reason, 'limit-reached');
      assert.equal(refused.remaining, 0);
      assert.equal(refused.limit, 5);
      assert.equal(refused.windowMs, 60_000);
      // The first unit leaves about a minute after it was spent; not before, and not much later.
      assert.ok(refused.retryAfterMs > 55_000 && refused.retryAfterMs <= 60_000 + slotMsFor(60_000), `retryAfterMs ${refused.retryAfterMs}`);
      assert.ok(refused.retryAfterMs >= refused.reset);
    });

    test('two instances, 4N concurrent requests for one key: exactly N admitted', async () => {
      const key = freshKey();
      const policy = { limit: 25, windowMs: 60_000 };
      const decisions = await Promise.all(
        Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? h.first : h.second).consume(key, policy)),
      );
      assert.equal(countAllowed(decisions), 25);
      const remainders = decisions.filter((d) => d.allowed).map((d) => d.remaining).sort((a, b) => a - b);
      assert.deepEqual(remainders, Array.from({ length: 25 }, (_, i) => i), 'each admission saw the one before it');
      assert.ok(decisions.filter((d) => !d.allowed).every((d) => d.remaining === 0 && d.reason === 'limit-reached'));
    });

    test('a refused request consumes nothing', async () => {
      const key = freshKey();
      const policy = { limit: 10, windowMs: 60_000 };
      assert.equal((await h.first.consume(key, policy, 8)).remaining, 2);
      for (let i = 0; i < 20; i += 1) {
        const refused = await (i % 2 === 0 ? h.first : h.second).consume(key, policy, 5);
        assert.equal(refused.allowed, false);
        assert.equal(refused.remaining, 2, 'refusals leave the remainder alone');
      }
      const last = await h.second.consume(key, policy, 2);
      assert.equal(last.allowed, true);
      assert.equal(last.remaining, 0);
    });

    test('a client refused again and again still recovers when its window allows', async () => {
      const key = freshKey();
      const policy = { limit: 3, windowMs: 600 };
      const spent = await Promise.all([1, 2, 3].map(() => h.first.consume(key, policy)));
      assert.equal(countAllowed(spent), 3);
      // When will all three units be back? Ask with cost 3, then keep knocking until then:
      // a limiter that counted refusals would push that moment out with every knock.
      const probe = await h.first.consume(key, policy, 3);
      const askedAt = h.now(); // retryAfterMs counts from a moment no later than this one
      assert.equal(probe.allowed, false);
      assert.ok(probe.retryAfterMs <= 600 + slotMsFor(600), `retryAfterMs ${probe.retryAfterMs}`);
      let knocks = 0;
      while (h.now() - askedAt + 150 < probe.retryAfterMs) {
        assert.equal((await (knocks % 2 === 0 ? h.second : h.first).consume(key, policy)).allowed, false);
        knocks += 1;
        await h.wait(100);
      }
      assert.ok(knocks >= 3, `knocked ${knocks} times`);
      await h.wait(Math.max(0, probe.retryAfterMs - (h.now() - askedAt)));
      const back = await h.second.consume(key, policy, 3);
      assert.equal(back.allowed, true, 'the whole limit is back once the window has passed');
      assert.equal(back.remaining, 0);
    });

    test('units come back as they leave the window, not all at once', async () => {
      const key = freshKey();
      const policy = { limit: 4, windowMs: 1000 };
      assert.equal((await h.first.consume(key, policy, 2)).allowed, true);
      await h.wait(500);
      assert.equal((await h.second.consume(key, policy, 2)).allowed, true);
      const refused = await h.first.consume(key, policy);
      assert.equal(refused.allowed, false);
      // The first two units leave about 500 ms from now; the last two about 500 ms later.
      assert.ok(refused.retryAfterMs <= 500 + slotMsFor(1000), `retryAfterMs ${refused.retryAfterMs}`);
      assert.ok(refused.retryAfterMs >= refused.reset);
      await h.wait(refused.retryAfterMs);
      const partly = await h.second.consume(key, policy, 2);
      assert.equal(partly.allowed, true, 'the first two units are back');
      assert.equal(partly.remaining, 0);
      assert.equal((await h.first.consume(key, policy)).allowed, false, 'the last two are still in the window');
    });

    test('cost weighting: a request of cost c spends c units, and is refused when c do not fit', async () => {
      const key = freshKey();
      const policy = { limit: 10, windowMs: 60_000 };
      assert.deepEqual(
        [await h.first.consume(key, policy, 4), await h.second.consume(key, policy, 4)].map((d) => [d.allowed, d.remaining, d.cost]),
        [[true, 6, 4], [true, 2, 4]],
      );
      const tooMuch = await h.first.consume(key, policy, 4);
      assert.deepEqual([tooMuch.allowed, tooMuch.remaining, tooMuch.reason], [false, 2, 'limit-reached']);
      const fits = await h.second.consume(key, policy, 2);
      assert.deepEqual([fits.allowed, fits.remaining], [true, 0]);
    });

    test('a cost over the whole limit is refused for good, and consumes nothing', async () => {
      const key = freshKey();
      const policy = { limit: 10, windowMs: 60_000 };
      const refused = await h.first.consume(key, policy, 11);
      assert.equal(refused.allowed, false);
      assert.equal(refused.reason, 'cost-over-limit');
      assert.equal(refused.retryAfterMs, Number.POSITIVE_INFINITY);
      assert.equal(refused.remaining, 10);
      const whole = await h.second.consume(key, policy, 10);
      assert.deepEqual([whole.allowed, whole.remaining], [true, 0]);
    });

    test('cost 0 reports the state without spending', async () => {
      const key = freshKey();
      const policy = { limit: 3, windowMs: 60_000 };
      const fresh = await h.first.consume(key, policy, 0);
      assert.deepEqual([fresh.allowed, fresh.remaining, fresh.reset], [true, 3, 60_000]);
      await h.first.consume(key, policy, 3);
      const peek = await h.second.consume(key, policy, 0);
      assert.deepEqual([peek.allowed, peek.remaining], [true, 0]);
      assert.equal((await h.first.consume(key, policy)).allowed, false);
    });

    test('keys are limited independently', async () => {
      const [a, b] = [freshKey(), freshKey()];
      const policy = { limit: 1, windowMs: 60_000 };
      assert.equal((await h.first.consume(a, policy)).allowed, true);
      assert.equal((await h.first.consume(a, policy)).allowed, false);
      assert.equal((await h.second.consume(b, policy)).allowed, true);
    });

    test('bad arguments are refused, naming the argument and the value', async () => {
      await assert.rejects(h.first.consume('', MINUTE), { name: 'TypeError', message: 'Rate limiter: key must be a non-empty string; received "".' });
      await assert.rejects(h.first.consume('k', { limit: 0, windowMs: 1000 }), {
        name: 'TypeError',
        message: 'Rate limiter: policy.limit must be a whole number from 1 to 1000000000; received 0 (number).',
      });
      await assert.rejects(h.first.consume('k', { limit: 1, windowMs: 1.5 }), /policy\.windowMs must be a whole number of milliseconds .*received 1\.5 \(number\)/);
      await assert.rejects(h.first.consume('k', MINUTE, -1), /cost must be a whole number from 0 to 1000000000; received -1 \(number\)/);
      await assert.rejects(h.first.consume('k', MINUTE, 0.5), /cost must be a whole number .*received 0\.5 \(number\)/);
    });
  });
}
