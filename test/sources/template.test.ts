import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileParams, compileTemplate, compileText, type TemplateScope } from '../../gateway/src/sources/template.js';

const scope: TemplateScope = {
  args: { upc: 'a/b 1', first: 5, upcs: ['1', '2', 'x y'], input: { qty: 2, note: null }, none: null, flag: false },
  parent: { id: 7, tags: ['red', 'blue'], nested: { deep: 'yes' } },
  context: { requestId: 'r1' },
};

test('a lone placeholder yields the raw value: list, object, number, boolean, null', () => {
  assert.deepEqual(compileTemplate('{args.upcs}', 'here').render(scope), ['1', '2', 'x y']);
  assert.deepEqual(compileTemplate('{args.input}', 'here').render(scope), { qty: 2, note: null });
  assert.equal(compileTemplate('{args.first}', 'here').render(scope), 5);
  assert.equal(compileTemplate('{args.flag}', 'here').render(scope), false);
  assert.equal(compileTemplate('{args.none}', 'here').render(scope), null);
  assert.equal(compileTemplate('{args.missing}', 'here').render(scope), undefined);
  assert.deepEqual(compileTemplate('{args}', 'here').render(scope), scope.args);
});

test('text around placeholders interpolates: lists comma-joined, null as empty, objects as JSON', () => {
  assert.equal(compileTemplate('ids={args.upcs};', 'here').render(scope), 'ids=1,2,x y;');
  assert.equal(compileTemplate('[{args.none}]', 'here').render(scope), '[]');
  assert.equal(compileTemplate('in {args.input}', 'here').render(scope), 'in {"qty":2,"note":null}');
  assert.equal(compileTemplate('{parent.id}-{parent.nested.deep}-{context.requestId}', 'here').render(scope), '7-yes-r1');
  assert.equal(compileTemplate('{parent.tags.1}', 'here').render(scope), 'blue');
});

test('objects and lists render recursively; values without placeholders are constants', () => {
  const template = compileTemplate({ order: { upc: '{args.upc}', qty: '{args.input.qty}', fixed: 1 }, list: ['{parent.id}', 'x'], plain: 'no {braces here}' }, 'here');
  assert.deepEqual(template.render(scope), { order: { upc: 'a/b 1', qty: 2, fixed: 1 }, list: [7, 'x'], plain: 'no {braces here}' });
  assert.deepEqual(template.placeholders.map((p) => p.text), ['{args.upc}', '{args.input.qty}', '{parent.id}']);
  const constant = { a: [1, 'b'] };
  assert.equal(compileTemplate(constant, 'here').render(scope), constant);
});

test('braces that are not a placeholder stay literal', () => {
  assert.equal(compileTemplate('{ "a": 1 } {args.first}', 'here').render(scope), '{ "a": 1 } 5');
  assert.equal(compileTemplate('{args.first', 'here').render(scope), '{args.first');
  assert.equal(compileTemplate('{{args.first}}', 'here').render(scope), '{5}');
});

test('an unknown root is a start-up error naming the place and the placeholder', () => {
  assert.throws(() => compileTemplate({ a: 'x {arg.upc}' }, 'schema/p.graphql: Query.p @rest(body:)'), {
    name: 'GatewayError',
    code: 'SCHEMA_INVALID',
    message: 'schema/p.graphql: Query.p @rest(body:): template "x {arg.upc}" uses {arg.upc}, but a placeholder must start with args, parent or context.',
  });
  assert.throws(() => compileText('/products/{upc}', 'here'), { code: 'SCHEMA_INVALID', message: /uses \{upc\}/ });
});

test('a path percent-encodes each interpolated value and keeps list commas', () => {
  const path = compileText('/products/{args.upc}/{args.upcs}', 'here');
  assert.equal(path.render(scope, encodeURIComponent), '/products/a%2Fb%201/1,2,x%20y');
  assert.equal(path.render(scope), '/products/a/b 1/1,2,x y');
  assert.deepEqual(path.placeholders.map((p) => [p.root, p.path]), [['args', ['upc']], ['args', ['upcs']]]);
});

test('a path with a null or missing value is BAD_USER_INPUT, not an empty segment', () => {
  assert.throws(() => compileText('/products/{args.none}', 'here').render(scope, encodeURIComponent), {
    code: 'BAD_USER_INPUT',
    message: 'No value for {args.none}: the argument or field it names is missing or null.',
  });
});

test('params omit null values, comma-join lists, flatten objects and encode each scalar', () => {
  const query = compileParams({ limit: '{args.first}', upc: '{args.upcs}', gone: '{args.none}', missing: '{args.nope}', obj: '{args.input}', text: 'p {args.upc}', n: 3 }, 'here');
  assert.deepEqual(query.render(scope, encodeURIComponent), [
    ['limit', '5'],
    ['upc', '1,2,x%20y'],
    ['obj', 'qty,2,note,'],
    ['text', 'p%20a%2Fb%201'],
    ['n', '3'],
  ]);
  assert.deepEqual(query.render(scope).slice(0, 2), [['limit', '5'], ['upc', '1,2,x y']]);
});

test('params may be a list of [name, value] pairs, for names GraphQL cannot spell', () => {
  const headers = compileParams([['x-tenant', 't-{args.first}'], ['x-gone', '{args.none}']], 'here');
  assert.deepEqual(headers.render(scope), [['x-tenant', 't-5']]);
});

test('params must be an object literal or a list of pairs', () => {
  assert.throws(() => compileParams('{args.input}', 'schema/p.graphql: Query.p @rest(query:)'), {
    code: 'SCHEMA_INVALID',
    message: 'schema/p.graphql: Query.p @rest(query:): expected an object of names to values or a list of [name, value] pairs, received "{args.input}".',
  });
  assert.throws(() => compileParams([['a', 'b', 'c']], 'here'), { code: 'SCHEMA_INVALID' });
});

test('only own properties are read', () => {
  assert.equal(compileTemplate('{args.constructor}', 'here').render(scope), undefined);
  assert.equal(compileTemplate('{parent.tags.length}', 'here').render(scope), 2);
});
