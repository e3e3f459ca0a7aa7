/** Merging answers into the response tree: objects key by key, lists item by item, `__typename` kept concrete. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeInto } from '../../../gateway/src/execute/plan/merge.js';
import { typeRelationsOf } from '../../../gateway/src/execute/plan/type-relations.js';

const relations = typeRelationsOf('interface Account { id: ID } type Admin implements Account { id: ID } type Query { a: Account }');

test('objects merge key by key and lists item by item, in place', () => {
  const target = { __typename: 'Admin', id: '1', reviews: [{ id: 'r1' }, { id: 'r2' }], profile: { a: 1 } };
  const reviews = target.reviews;
  mergeInto(target, { name: 'Ada', reviews: [{ body: 'x' }, { body: 'y' }], profile: { b: 2 } }, relations);
  assert.deepEqual(target, { __typename: 'Admin', id: '1', reviews: [{ id: 'r1', body: 'x' }, { id: 'r2', body: 'y' }], profile: { a: 1, b: 2 }, name: 'Ada' });
  assert.equal(target.reviews, reviews, 'the list is merged into, not replaced');
});

test('an interface\'s name never replaces a concrete __typename; a concrete one replaces an interface\'s', () => {
  const concrete: Record<string, unknown> = { __typename: 'Admin', id: '1' };
  mergeInto(concrete, { __typename: 'Account', lastSeen: 'today' }, relations);
  assert.deepEqual(concrete, { __typename: 'Admin', id: '1', lastSeen: 'today' });
  const abstract: Record<string, unknown> = { __typename: 'Account', id: '1' };
  mergeInto(abstract, { __typename: 'Admin' }, relations);
  assert.equal(abstract.__typename, 'Admin');
});
