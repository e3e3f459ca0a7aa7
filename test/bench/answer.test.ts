/** The benchmark's correctness gate: a gateway is timed only when it answers exactly the reference. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAnswer, firstDifference } from '../../bench/lib/answer.js';

const expected = { data: { users: [{ id: '1', reviews: [{ body: 'a' }, { body: 'b' }] }] } };

test('the same result passes', () => {
  assert.deepEqual(checkAnswer(200, JSON.stringify(expected), expected), { ok: true, detail: '' });
});

test('a different value fails and names its path, list indices included', () => {
  const wrong = { data: { users: [{ id: '1', reviews: [{ body: 'a' }, { body: 'c' }] }] } };
  const check = checkAnswer(200, JSON.stringify(wrong), expected);
  assert.equal(check.ok, false);
  assert.match(check.detail, /\.data\.users\[0\]\.reviews\[1\]\.body: got "c", expected "b"/);
});

test('a missing list item fails with both lengths', () => {
  assert.equal(firstDifference({ list: [1] }, { list: [1, 2] }), '.list: 1 items, expected 2');
});

test('an answer with errors fails, even when its data is right', () => {
  const check = checkAnswer(200, JSON.stringify({ ...expected, errors: [{ message: 'boom' }] }), expected);
  assert.equal(check.ok, false);
  assert.match(check.detail, /with errors: .*boom/);
});

test('a non-200 status and a body that is not JSON fail', () => {
  assert.equal(checkAnswer(500, JSON.stringify(expected), expected).ok, false);
  const check = checkAnswer(502, '<html>bad gateway</html>', expected);
  assert.equal(check.ok, false);
  assert.match(check.detail, /HTTP 502, not JSON/);
});

test('fields out of selection order pass, with a remark', () => {
  const reordered = { data: { users: [{ reviews: [{ body: 'a' }, { body: 'b' }], id: '1' }] } };
  assert.deepEqual(checkAnswer(200, JSON.stringify(reordered), expected), { ok: true, detail: 'fields not in selection order' });
});
