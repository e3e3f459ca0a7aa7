// When `openclaw start` stops: the first signal stops it, a second forces the exit; a worker
// asked to stop by its primary still treats the terminal's Ctrl-C as a first signal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listenForShutdown } from '../../gateway/src/cli/signals.js';

function listen() {
  const lines: string[] = [];
  let forced = 0;
  const listener = listenForShutdown({ write: (line: string) => lines.push(line) }, () => (forced += 1));
  return { listener, lines, forced: () => forced };
}

test('the first signal resolves with its name; a second writes a line and forces the exit', async () => {
  const { listener, lines, forced } = listen();
  try {
    process.emit('SIGTERM', 'SIGTERM');
    assert.equal(await listener.received, 'SIGTERM');
    assert.equal(forced(), 0);
    process.emit('SIGINT', 'SIGINT');
    assert.equal(forced(), 1);
    assert.deepEqual(lines, ['Received SIGINT again; exiting without waiting for the gateway to close.\n']);
  } finally {
    listener.dispose();
  }
});

test('a stop asked for by the primary is not a signal: one Ctrl-C after it does not force the exit', async () => {
  const { listener, forced } = listen();
  try {
    listener.stop('primary');
    process.emit('SIGINT', 'SIGINT');
    assert.equal(await listener.received, 'primary');
    assert.equal(forced(), 0);
    process.emit('SIGINT', 'SIGINT');
    assert.equal(forced(), 1);
  } finally {
    listener.dispose();
  }
  assert.equal(process.listenerCount('SIGINT'), 0, 'dispose removes the handlers');
});
