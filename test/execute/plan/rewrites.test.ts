/** Fetch rewrites: a value set or a key renamed at a path, only on objects whose type the path names. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyRewrites, prepareRewrites } from '../../../gateway/src/execute/plan/rewrites.js';
import { typeRelationsOf } from '../../../gateway/src/execute/plan/type-relations.js';

const relations = typeRelationsOf('interface Account { id: ID } type Admin implements Account { id: ID } type Guest implements Account { id: ID } type Query { a: Account }');

test('a ValueSetter sets __typename on objects of the named types only', () => {
  const rewrites = prepareRewrites([{ ValueSetter: { path: [{ TypenameEquals: ['Admin'] }, { Key: '__typename' }], setValueTo: 'Account' } }]);
  const values = [{ __typename: 'Admin', id: '1' }, { __typename: 'Guest', id: '2' }];
  applyRewrites(values, rewrites, relations);
  assert.deepEqual(values, [{ __typename: 'Account', id: '1' }, { __typename: 'Guest', id: '2' }]);
});

test('a KeyRenamer renames a nested key, through lists, and leaves absent keys alone', () => {
  const rewrites = prepareRewrites([{ KeyRenamer: { path: [{ Key: 'comments' }, { Key: '_internal_alias' }], renameKeyTo: 'author' } }]);
  const value = { comments: [{ _internal_alias: 'a1', id: 'c1' }, { id: 'c2' }] };
  applyRewrites(value, rewrites, relations);
  assert.deepEqual(value, { comments: [{ id: 'c1', author: 'a1' }, { id: 'c2' }] });
});

test('a rewrite kind the engine does not know is refused when the plan is prepared', () => {
  assert.throws(() => prepareRewrites([{ Unknown: {} } as never]), /Unknown fetch rewrite/);
});
