/**
 * Representations: one per distinct entity, as JSON tells values apart (`1` is not `"1"`, a
 * missing field is not null), built from `requires` (a planner alias read from the tree, the
 * field's name sent), with nothing sent for an entity without key fields.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RequiresSelection } from '@graphql-hive/router-query-planner';
import { NOTHING_TO_SEND, prepareRequires, RepresentationSet } from '../../../gateway/src/execute/plan/representations.js';
import { typeRelationsOf } from '../../../gateway/src/execute/plan/type-relations.js';

const relations = typeRelationsOf('type Product { upc: ID } type Query { p: Product }');
const PRODUCT_KEY: RequiresSelection[] = [{ kind: 'InlineFragment', typeCondition: 'Product', selections: [{ kind: 'Field', name: '__typename' }, { kind: 'Field', name: 'upc' }] }];

test('equal entities share one representation; values JSON tells apart do not', () => {
  const set = new RepresentationSet(relations, {});
  const requires = prepareRequires(PRODUCT_KEY);
  const entities = [
    { __typename: 'Product', upc: '1', name: 'a' },
    { __typename: 'Product', upc: '1', name: 'b' },
    { __typename: 'Product', upc: 1 },
    { __typename: 'Product', upc: null },
    { __typename: 'Product' },
  ];
  const indices = entities.map((entity) => set.indexOf(entity, requires, []));
  assert.deepEqual(indices, [0, 0, 1, 2, NOTHING_TO_SEND]);
  assert.deepEqual(set.representations, [{ __typename: 'Product', upc: '1' }, { __typename: 'Product', upc: 1 }, { __typename: 'Product', upc: null }]);
});

test('nested requires (an object key) and a planner alias: read from the alias, sent under the field name', () => {
  const set = new RepresentationSet(relations, {});
  const requires = prepareRequires([{
    kind: 'InlineFragment',
    typeCondition: 'Product',
    selections: [
      { kind: 'Field', name: '__typename' },
      { kind: 'Field', name: '_internal_qp_alias_0', alias: 'dimensions', selections: [{ kind: 'Field', name: 'size' }] },
    ],
  }]);
  const a = set.indexOf({ __typename: 'Product', _internal_qp_alias_0: { size: 2, unit: 'cm' } }, requires, []);
  const b = set.indexOf({ __typename: 'Product', _internal_qp_alias_0: { size: 2, unit: 'in' } }, requires, []);
  assert.equal(a, b, 'fields outside requires do not make entities differ');
  assert.deepEqual(set.representations, [{ __typename: 'Product', dimensions: { size: 2 } }]);
});

test('an entity whose type the requires do not apply to is not sent', () => {
  const set = new RepresentationSet(typeRelationsOf('type Product { upc: ID } type Book { id: ID } type Query { p: Product }'), {});
  assert.equal(set.indexOf({ __typename: 'Book', id: 'b1' }, prepareRequires(PRODUCT_KEY), []), NOTHING_TO_SEND);
});
