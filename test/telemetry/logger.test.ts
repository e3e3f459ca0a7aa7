// Logs: JSON lines for machines, one readable line per record on a terminal, `auto` choosing by
// the destination, levels filtered, fixed fields on every record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, formatText, type LogDestination } from '../../gateway/src/telemetry/logger.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function collector(isTTY?: boolean): LogDestination & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line: string) => lines.push(line), ...(isTTY === undefined ? {} : { isTTY }) };
}

test('json: one JSON object per line with time, level, msg and the fields', () => {
  const out = collector(true);
  createLogger({ level: 'info', format: 'json', destination: out, fields: { worker: 2 } }).warn('upstream slow', { source: 'products', ms: 812 });
  assert.equal(out.lines.length, 1);
  assert.ok(out.lines[0]?.endsWith('\n'));
  const record = JSON.parse(out.lines[0] ?? '') as Record<string, unknown>;
  assert.match(String(record.time), ISO);
  assert.deepEqual({ ...record, time: 'T' }, { time: 'T', level: 'warn', msg: 'upstream slow', worker: 2, source: 'products', ms: 812 });
});

test('text: time, level, message, then key=value; quoted only when needed; a stack on indented lines', () => {
  const time = new Date('2025-01-02T03:04:05.678Z');
  assert.equal(
    formatText(time, 'info', 'gateway listening', { port: 4000, host: '0.0.0.0', sources: ['a', 'b'], note: 'two words', skipped: undefined }, false),
    '2025-01-02T03:04:05.678Z INFO  gateway listening port=4000 host=0.0.0.0 sources=["a","b"] note="two words"\n',
  );
  assert.equal(
    formatText(time, 'error', 'request failed', { requestId: 'r1', stack: 'Error: boom\n    at f (x.ts:1:1)' }, false),
    '2025-01-02T03:04:05.678Z ERROR request failed requestId=r1\n  stack:\n    Error: boom\n        at f (x.ts:1:1)\n',
  );
  assert.equal(formatText(time, 'warn', 'careful', {}, true), '2025-01-02T03:04:05.678Z \u001b[33mWARN \u001b[0m careful\n');
});

test('auto: text on a terminal, JSON anywhere else; colour only on a terminal', () => {
  const terminal = collector(true);
  createLogger({ level: 'info', format: 'auto', destination: terminal, color: false }).info('hello', { a: 1 });
  assert.match(terminal.lines[0] ?? '', /^\S+Z INFO {2}hello a=1\n$/);

  const pipe = collector();
  createLogger({ level: 'info', destination: pipe }).info('hello', { a: 1 });
  assert.deepEqual(Object.keys(JSON.parse(pipe.lines[0] ?? '') as object), ['time', 'level', 'msg', 'a']);

  const forced = collector(false);
  createLogger({ level: 'info', format: 'text', destination: forced }).error('x');
  assert.doesNotMatch(forced.lines[0] ?? '', /\u001b/);
});

test('records below the level are dropped; silent drops everything', () => {
  const out = collector();
  const logger = createLogger({ level: 'warn', format: 'json', destination: out });
  logger.debug('d');
  logger.info('i');
  logger.warn('w');
  logger.error('e');
  assert.deepEqual(out.lines.map((line) => (JSON.parse(line) as { level: string }).level), ['warn', 'error']);
  const none = collector();
  createLogger({ level: 'silent', destination: none }).error('e');
  assert.deepEqual(none.lines, []);
});

test('the short form createLogger(level, write) writes JSON lines to write', () => {
  const lines: string[] = [];
  createLogger('debug', (line) => lines.push(line)).debug('d', { k: 'v' });
  assert.equal((JSON.parse(lines[0] ?? '') as { msg: string; k: string }).k, 'v');
});
