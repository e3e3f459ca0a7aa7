/**
 * One endpoint over every protocol: a query that joins the plain GraphQL, Federation, REST
 * and gRPC backends, and a mutation through REST, all through the gateway's HTTP endpoint.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoGateway, type DemoGateway } from '../support/demo-gateway.js';

describe('the unified graph', () => {
  let demo: DemoGateway;
  /** A partner's key that may read and place orders (the demo graph protects them). */
  let partner: Record<string, string>;
  before(async () => {
    demo = await startDemoGateway();
    partner = { 'x-api-key': (await demo.createKey({ name: 'partner', scopes: ['orders:read', 'orders:write'] })).key };
  });
  after(async () => {
    await demo.close();
  });

  test('one query joins accounts (GraphQL), reviews (Federation), products (REST) and inventory (gRPC)', async () => {
    const { status, body } = await demo.query(`{
      product(upc: "5") {
        upc name price weight
        inStock quantity
        reviews { id author { id name username } }
      }
    }`);
    assert.equal(status, 200);
    assert.equal(body.errors, undefined);
    assert.deepEqual(body.data, {
      product: {
        upc: '5', name: 'TV', price: 1299, weight: 1000,
        inStock: true, quantity: 50,
        reviews: [],
      },
    });
    const withReviews = await demo.query('{ product(upc: "2") { name inStock quantity reviews { id author { name username } } } }');
    assert.deepEqual(withReviews.body, {
      data: {
        product: {
          name: 'Couch', inStock: false, quantity: 0,
          reviews: [
            { id: '5', author: { name: 'Gil Gardosh', username: 'gilgardosh' } },
            { id: '6', author: { name: 'Laurin Quast', username: 'laurin' } },
            { id: '7', author: { name: 'Uri Goldshtein', username: 'urigo' } },
            { id: '8', author: { name: 'Dotan Simha', username: 'dotansimha' } },
          ],
        },
      },
    });
  });

  test('entities are completed in both directions: a user from accounts gets reviews and orders, a review gets its product', async () => {
    const { body } = await demo.query('{ user(id: "3") { name reviews { id product { upc name inStock } } orders { id } } }', undefined, partner);
    assert.deepEqual(body, {
      data: {
        user: {
          name: 'Kamil Kisiela',
          reviews: [{ id: '3', product: { upc: '1', name: 'Table', inStock: true } }, { id: '9', product: { upc: '3', name: 'Glass', inStock: false } }],
          orders: [],
        },
      },
    });
  });

  test('a mutation places an order through REST, and the order is read back through the graph', async () => {
    const placed = await demo.query(
      'mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { id quantity status product { upc name price inStock } } }',
      { input: { userId: '2', upc: '6', quantity: 3 } },
      partner,
    );
    assert.equal(placed.body.errors, undefined);
    const order = placed.body.data?.placeOrder as { id: string };
    assert.deepEqual(placed.body.data, {
      placeOrder: { id: order.id, quantity: 3, status: 'PLACED', product: { upc: '6', name: 'Lamp', price: 6999, inStock: true } },
    });
    const listed = await demo.query('{ users { id orders { id quantity product { name } } } orders(userId: "2") { id } }', undefined, partner);
    const users = listed.body.data?.users as Array<{ id: string; orders: unknown[] }>;
    assert.deepEqual(users.find((user) => user.id === '2')?.orders, [{ id: order.id, quantity: 3, product: { name: 'Lamp' } }]);
    assert.deepEqual(listed.body.data?.orders, [{ id: order.id }]);
  });

  test('a REST 400 becomes BAD_USER_INPUT naming the source and the status; nothing is written', async () => {
    const { body } = await demo.query('mutation { placeOrder(input: { userId: "1", upc: "1", quantity: 1000 }) { id } }', undefined, partner);
    assert.deepEqual(body.data, { placeOrder: null });
    assert.equal(body.errors?.length, 1);
    assert.deepEqual(body.errors?.[0]?.extensions, { code: 'BAD_USER_INPUT', source: 'orders', status: 400 });
    assert.deepEqual(body.errors?.[0]?.path, ['placeOrder']);
    const after = await demo.query('{ orders(userId: "1") { id } }', undefined, partner);
    assert.deepEqual(after.body.data, { orders: [] });
  });

  test('internal lookups and federation plumbing are not part of the public graph', async () => {
    const { body } = await demo.query('{ __schema { queryType { fields { name } } types { name } } }');
    const schema = (body.data as { __schema: { queryType: { fields: Array<{ name: string }> }; types: Array<{ name: string }> } }).__schema;
    assert.deepEqual(schema.queryType.fields.map((field) => field.name).sort(), ['me', 'orders', 'product', 'reviews', 'topProducts', 'user', 'users']);
    const typeNames = schema.types.map((type) => type.name);
    for (const hidden of ['_Any', '_Entity', '_Service', 'OpenClawJSON']) assert.ok(!typeNames.includes(hidden), `${hidden} is hidden`);
    const refused = await demo.query('{ productsByUpc(upcs: ["1"]) { name } }');
    assert.equal(refused.status, 400);
    assert.equal(refused.body.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
  });
});
