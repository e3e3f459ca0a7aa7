// The in-memory store with a hand-moved clock: exact times, the "never more than the limit in
// any window" guarantee under random traffic, and idle keys leaving memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemoryRateLimiter, slotMsFor } from '../../../gateway/src/traffic/rate-limit/index.js';
import { decide, emptyLog } from '../../../gateway/src/traffic/rate-limit/sliding-window.js';
import { ManualClock } from './support.js';

test('times are exact: a unit counts from its slot end for one window', async () => {
  const clock = new ManualClock(1_000_000); // a multiple of the 10 ms slot of a 1 s window
  const limiter = new MemoryRateLimiter({ clock: clock.now });
  const policy = { limit: 2, windowMs: 1000 };

  const first = await limiter.consume('k', policy);
  assert.deepEqual([first.remaining, first.reset], [1, 1010]);
  clock.advance(400);
  const second = await limiter.consume('k', policy);
  assert.deepEqual([second.remaining, second.reset], [0, 610], 'reset counts to the oldest unit leaving');
  clock.advance(100);
  const refused = await limiter.consume('k', policy);
  assert.deepEqual([refused.allowed, refused.retryAfterMs, refused.reset], [false, 510, 510]);
  const both = await limiter.consume('k', policy, 2);
  assert.equal(both.retryAfterMs, 910, 'cost 2 waits for the second unit too');
  clock.advance(509);
  assert.equal((await limiter.consume('k', policy)).retryAfterMs, 1, 'still in the window 1 ms before');
  clock.advance(1);
  const back = await limiter.consume('k', policy);
  assert.deepEqual([back.allowed, back.remaining], [true, 0]);
});

test('requests within one slot share it, so a key holds at most 101 slots whatever its limit', () => {
  const log = emptyLog();
  const policy = { limit: 1_000_000, windowMs: 60_000 };
  let now = 0;
  for (let i = 0; i < 6000; i += 1) {
    assert.equal(decide(log, now, policy, 1).allowed, true);
    now += 37;
  }
  assert.ok(log.ends.length <= 101, `slots ${log.ends.length}`);
  assert.ok(log.ends.length >= 100, 'a busy key uses every slot of its window');
});

test('no window of windowMs ever holds more than the limit, and a refusal waits as long as needed and at most one slot more', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 1, max: 5000 }),
      fc.array(fc.record({ gap: fc.integer({ min: 0, max: 700 }), cost: fc.integer({ min: 0, max: 8 }) }), { minLength: 1, maxLength: 120 }),
      (limit, windowMs, requests) => {
        const policy = { limit, windowMs };
        const log = emptyLog();
        const admitted: Array<{ at: number; cost: number }> = [];
        let now = 1_700_000_000_123;
        for (const { gap, cost } of requests) {
          now += gap;
          const spentInWindow = (at: number) => admitted.filter((a) => a.at > at - windowMs).reduce((sum, a) => sum + a.cost, 0);
          const decision = decide(log, now, policy, cost);
          if (decision.allowed) {
            admitted.push({ at: now, cost });
            assert.ok(spentInWindow(now) <= limit, `${spentInWindow(now)} units in the window ending ${now}, limit ${limit}`);
            assert.ok(decision.remaining <= limit - spentInWindow(now));
          } else if (decision.reason === 'limit-reached') {
            // An exact log would admit this request once enough units left the window.
            let needed = spentInWindow(now) + cost - limit;
            let exactAt = now;
            for (const a of admitted.filter((x) => x.at > now - windowMs)) {
              if (needed <= 0) break;
              needed -= a.cost;
              exactAt = a.at + windowMs;
            }
            assert.ok(decision.retryAfterMs >= exactAt - now, 'never sooner than an exact log');
            assert.ok(decision.retryAfterMs <= exactAt - now + slotMsFor(windowMs), 'at most one slot later');
            // Waiting exactly retryAfterMs admits the same request; 1 ms less does not.
            assert.equal(decide(structuredClone(log), now + decision.retryAfterMs - 1, policy, cost).allowed, false);
            assert.equal(decide(structuredClone(log), now + decision.retryAfterMs, policy, cost).allowed, true);
          } else {
            assert.equal(decision.reason, 'cost-over-limit');
            assert.ok(cost > limit);
          }
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('idle keys are swept from memory once their window has passed', async () => {
  const clock = new ManualClock(0);
  const limiter = new MemoryRateLimiter({ clock: clock.now });
  const policy = { limit: 5, windowMs: 1000 };
  for (let i = 0; i < 3000; i += 1) await limiter.consume(`ip-${i}`, policy);
  assert.equal(limiter.size, 3000);
  clock.advance(1011);
  for (let i = 0; i < 3001; i += 1) await limiter.consume('steady', policy, 0);
  await limiter.consume('steady', policy);
  assert.equal(limiter.size, 1);
});

test('a cost-0 call on an unknown key keeps nothing', async () => {
  const limiter = new MemoryRateLimiter({ clock: () => 0 });
  await limiter.consume('peek', { limit: 1, windowMs: 1000 }, 0);
  await limiter.consume('too-big', { limit: 1, windowMs: 1000 }, 2);
  assert.equal(limiter.size, 0);
});
