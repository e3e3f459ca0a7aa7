/**
 * Partial failure: a backend that errors, is slow or is down nulls only its own fields; the
 * rest of the data comes back, with errors carrying `path`, `extensions.code` and the source's
 * name. Both engines give the same data. Their errors differ as docs/errors.md says: the plan
 * engine (the default) reports a failed request to a source once, at the first place it would
 * have filled, list indices included; the reference engine reports a failed batched entity
 * call once per item, at each item's field.
 * Each test uses its own demo so that a closed backend cannot leak into another.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { EngineName } from '../../gateway/src/config/types.js';
import { startDemoGateway, type DemoGateway, type GraphQLBody } from '../support/demo-gateway.js';

const QUERY = '{ topProducts(first: 2) { upc name inStock reviews { id } } }';

function errorsByPath(body: GraphQLBody) {
  return Object.fromEntries((body.errors ?? []).map((error) => [error.path?.join('.'), error.extensions]));
}

async function withDemo(engine: EngineName, run: (demo: DemoGateway) => Promise<void>, config: Parameters<typeof startDemoGateway>[0] = {}): Promise<void> {
  const demo = await startDemoGateway({ ...config, engine });
  try {
    await run(demo);
  } finally {
    await demo.close();
  }
}

for (const engine of ['plan', 'reference'] as const) {
  /** The expected errors by path: the plan engine's or the reference engine's. */
  const per = <T>(expected: { plan: T; reference: T }): T => expected[engine];

  describe(`${engine} engine`, () => {
    test('gRPC backend down: only inventory fields are null, with UPSTREAM_UNAVAILABLE naming inventory', () => withDemo(engine, async (demo) => {
      await demo.subgraphs.inventory.close();
      const { status, body } = await demo.query(QUERY);
      assert.equal(status, 200);
      assert.deepEqual(body.data, {
        topProducts: [
          { upc: '1', name: 'Table', inStock: null, reviews: [{ id: '1' }, { id: '2' }, { id: '3' }, { id: '4' }] },
          { upc: '2', name: 'Couch', inStock: null, reviews: [{ id: '5' }, { id: '6' }, { id: '7' }, { id: '8' }] },
        ],
      });
      const expected = { code: 'UPSTREAM_UNAVAILABLE', source: 'inventory', grpcStatus: 'UNAVAILABLE' };
      assert.deepEqual(errorsByPath(body), per({
        plan: { 'topProducts.0': expected },
        reference: { 'topProducts.0.inStock': expected, 'topProducts.1.inStock': expected },
      }));
    }));

    test('Federation backend answering errors: only Product.reviews is null, with the source named', () => withDemo(engine, async (demo) => {
      demo.subgraphs.reviews.failWith('error');
      const { body } = await demo.query(QUERY);
      assert.deepEqual(body.data, {
        topProducts: [
          { upc: '1', name: 'Table', inStock: true, reviews: null },
          { upc: '2', name: 'Couch', inStock: false, reviews: null },
        ],
      });
      const expected = { code: 'UPSTREAM_ERROR', source: 'reviews', upstreamCode: 'INTERNAL_SERVER_ERROR' };
      assert.deepEqual(errorsByPath(body), per({
        plan: { 'topProducts.0': expected },
        reference: { 'topProducts.0.reviews': expected, 'topProducts.1.reviews': expected },
      }));
      assert.equal(body.errors?.[0]?.message, 'Source "reviews" failed to resolve this field (INTERNAL_SERVER_ERROR).');
    }));

    test('slow backend: UPSTREAM_TIMEOUT after the source timeout, the rest of the data arrives', () => withDemo(engine, async (demo) => {
      demo.subgraphs.inventory.failWith('slow');
      const started = Date.now();
      const { body } = await demo.query('{ product(upc: "1") { name inStock } }');
      assert.ok(Date.now() - started < 1900, 'the gateway did not wait for the slow backend');
      assert.deepEqual(body.data, { product: { name: 'Table', inStock: null } });
      assert.deepEqual(body.errors?.map((error) => [error.path?.join('.'), error.extensions?.code, error.extensions?.source]), [
        [per({ plan: 'product', reference: 'product.inStock' }), 'UPSTREAM_TIMEOUT', 'inventory'],
      ]);
    }, { sources: { inventory: { timeoutMs: 300 } } }));

    test('REST 404 for a root field: null with NOT_FOUND, the source and the status; other root fields unaffected', () => withDemo(engine, async (demo) => {
      const { body } = await demo.query('{ product(upc: "404") { name } me { name } }');
      assert.deepEqual(body.data, { product: null, me: { name: 'Uri Goldshtein' } });
      assert.equal(body.errors?.length, 1);
      assert.deepEqual(body.errors?.[0]?.path, ['product']);
      assert.deepEqual(body.errors?.[0]?.extensions, { code: 'NOT_FOUND', source: 'products', status: 404 });
    }));

    test('REST backend down: the products it completes are null, the reviews around them come back', () => withDemo(engine, async (demo) => {
      await demo.subgraphs.products.close();
      const { body } = await demo.query('{ reviews(first: 2) { id product { upc name } } }');
      // Product.name is non-null: its null takes the product with it, not the review.
      assert.deepEqual(body.data, { reviews: [{ id: '1', product: null }, { id: '2', product: null }] });
      const expected = { code: 'UPSTREAM_UNAVAILABLE', source: 'products' };
      assert.deepEqual(errorsByPath(body), per({
        plan: { 'reviews.0.product': expected },
        reference: { 'reviews.0.product.name': expected, 'reviews.1.product.name': expected },
      }));
    }));

    test('REST backend down behind a batch lookup: only User.orders is null', () => withDemo(engine, async (demo) => {
      const partner = { 'x-api-key': (await demo.createKey({ name: 'partner', scopes: ['orders:read'] })).key };
      await demo.subgraphs.orders.close();
      const { body } = await demo.query('{ users { username orders { id } } }', undefined, partner);
      const users = body.data?.users as Array<{ username: string; orders: unknown }>;
      assert.equal(users.length, 6);
      assert.ok(users.every((user) => typeof user.username === 'string' && user.orders === null));
      const expected = { code: 'UPSTREAM_UNAVAILABLE', source: 'orders' };
      assert.deepEqual(errorsByPath(body), per({
        plan: { 'users.0': expected },
        reference: Object.fromEntries(users.map((_user, index) => [`users.${index}.orders`, expected])),
      }));
    }));

    test('plain GraphQL backend down: users fail as a whole, products still come back', () => withDemo(engine, async (demo) => {
      await demo.subgraphs.accounts.close();
      const { body } = await demo.query('{ users { name } topProducts(first: 1) { name } }');
      assert.deepEqual(body.data, null, 'users is non-null in the graph, so its failure nulls the data (GraphQL null propagation)');
      const partial = await demo.query('{ me { name } topProducts(first: 1) { name } }');
      assert.deepEqual(partial.body.data, { me: null, topProducts: [{ name: 'Table' }] });
      assert.equal(partial.body.errors?.[0]?.extensions?.code, 'UPSTREAM_UNAVAILABLE');
      assert.equal(partial.body.errors?.[0]?.extensions?.source, 'accounts');
      assert.deepEqual(partial.body.errors?.[0]?.path, ['me']);
    }));

    test('plain GraphQL backend down behind its lookup: only the authors are null', () => withDemo(engine, async (demo) => {
      await demo.subgraphs.accounts.close();
      const { body } = await demo.query('{ reviews(first: 2) { id author { name } } }');
      assert.deepEqual(body.data, { reviews: [{ id: '1', author: null }, { id: '2', author: null }] });
      const expected = { code: 'UPSTREAM_UNAVAILABLE', source: 'accounts' };
      assert.deepEqual(errorsByPath(body), per({
        plan: { 'reviews.0.author': expected },
        reference: { 'reviews.0.author.name': expected, 'reviews.1.author.name': expected },
      }));
    }));
  });
}
