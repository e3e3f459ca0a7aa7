/** The soak's verdict: flat after warm-up, or growing. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { soakVerdict } from '../../bench/workloads/soak.js';

const series = (rss: (seconds: number) => number) =>
  Array.from({ length: 21 }, (_, index) => ({ seconds: index * 30, rss: rss(index * 30), rps: 100, failed: 0 }));

test('memory that rises during warm-up and then holds is flat', () => {
  const verdict = soakVerdict(series((t) => (t < 120 ? 150 + t : 300 + ((t / 30) % 2) * 3)), 120);
  assert.match(verdict, /^\*\*flat\*\*/);
});

test('memory that keeps rising after warm-up is growing', () => {
  // 2 MB a minute over 8 minutes after warm-up: 16 MB, above the 15 MB (5 % of ~300) allowed.
  const verdict = soakVerdict(series((t) => 280 + (2 * t) / 60), 120);
  assert.match(verdict, /^\*\*growing\*\*/);
});

test('too few samples after warm-up give no verdict', () => {
  const points = [0, 30, 60].map((seconds) => ({ seconds, rss: 200, rps: 1, failed: 0 }));
  assert.match(soakVerdict(points, 60), /too few samples/);
});
