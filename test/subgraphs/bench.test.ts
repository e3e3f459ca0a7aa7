import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { benchQuery, benchSupergraphSdl, startBenchSubgraphs } from '../../subgraphs/bench/server.js';
import type { BenchSubgraphs } from '../../subgraphs/bench/server.js';
import { keysOf, postGraphQL, requestJson } from './helpers.js';

const ENTITIES = 'query($r: [_Any!]!) { _entities(representations: $r) { ...E } }';

describe('benchmark subgraphs', () => {
  let bench: BenchSubgraphs;
  before(async () => {
    bench = await startBenchSubgraphs();
  });
  after(() => bench.close());

  const sdlOf = async (name: string): Promise<string> => {
    const { body } = await postGraphQL(`${bench.url}/${name}`, '{ _service { sdl } }');
    return (body as { data: { _service: { sdl: string } } }).data._service.sdl;
  };
  const entities = async (name: string, fragment: string, representations: unknown[]): Promise<unknown> => {
    const { body } = await postGraphQL(`${bench.url}/${name}`, `${ENTITIES} fragment E on _Entity { ${fragment} }`, {
      r: representations,
    });
    return body;
  };

  it('serves accounts: User by id', async () => {
    assert.deepEqual(keysOf(await sdlOf('accounts')), { User: ['id'] });
    assert.deepEqual(await entities('accounts', '... on User { id name username birthday }', [{ __typename: 'User', id: '2' }]), {
      data: { _entities: [{ id: '2', name: 'Dotan Simha', username: 'dotansimha', birthday: 1234567890 }] },
    });
    const { body } = await postGraphQL(`${bench.url}/accounts`, '{ me { username } users { id } user(id: "6") { name } }');
    assert.deepEqual(body, {
      data: {
        me: { username: 'urigo' },
        users: ['1', '2', '3', '4', '5', '6'].map((id) => ({ id })),
        user: { name: 'Laurin Quast' },
      },
    });
  });

  it('serves products: topProducts and Product by upc', async () => {
    assert.deepEqual(keysOf(await sdlOf('products')), { Product: ['upc'] });
    assert.deepEqual(await entities('products', '... on Product { upc name price weight }', [{ __typename: 'Product', upc: '3' }]), {
      data: { _entities: [{ upc: '3', name: 'Glass', price: 15, weight: 20 }] },
    });
    const { body } = await postGraphQL(`${bench.url}/products`, '{ five: topProducts { upc } two: topProducts(first: 2) { name } }');
    assert.deepEqual(body, {
      data: { five: ['1', '2', '3', '4', '5'].map((upc) => ({ upc })), two: [{ name: 'Table' }, { name: 'Couch' }] },
    });
  });

  it('serves inventory: inStock and shippingEstimate from the required price and weight', async () => {
    const sdl = await sdlOf('inventory');
    assert.deepEqual(keysOf(sdl), { Product: ['upc'] });
    assert.match(sdl, /shippingEstimate: Int @requires\(fields: "price weight"\)/);
    const products = [
      { __typename: 'Product', upc: '1', price: 899, weight: 100 },
      { __typename: 'Product', upc: '2', price: 1299, weight: 1000 },
      { __typename: 'Product', upc: '3', price: 15, weight: 25 },
    ];
    assert.deepEqual(await entities('inventory', '... on Product { upc inStock shippingEstimate }', products), {
      data: {
        _entities: [
          { upc: '1', inStock: true, shippingEstimate: 50 },
          { upc: '2', inStock: false, shippingEstimate: 0 },
          { upc: '3', inStock: false, shippingEstimate: 12 },
        ],
      },
    });
  });

  it("serves reviews with the benchmark's rules: author is urigo, a user's reviews are the first two", async () => {
    const sdl = await sdlOf('reviews');
    assert.deepEqual(keysOf(sdl), { Review: ['id'], User: ['id'], Product: ['upc'] });
    assert.match(sdl, /author: User @provides\(fields: "username"\)/);
    const body = await entities(
      'reviews',
      '... on User { id reviews { id } } ... on Product { upc reviews { id } } ... on Review { id product { upc } author { id username } }',
      [
        { __typename: 'User', id: '5' },
        { __typename: 'Product', upc: '2' },
        { __typename: 'Review', id: '10' },
      ],
    );
    assert.deepEqual(body, {
      data: {
        _entities: [
          { id: '5', reviews: [{ id: '1' }, { id: '2' }] },
          { upc: '2', reviews: [{ id: '5' }, { id: '6' }, { id: '7' }, { id: '8' }] },
          { id: '10', product: { upc: '4' }, author: { id: '1', username: 'urigo' } },
        ],
      },
    });
  });

  it('records every call with its subgraph, repeated ones included', async () => {
    bench.calls.length = 0;
    await postGraphQL(`${bench.url}/products`, '{ topProducts { upc } }');
    const again = await postGraphQL(`${bench.url}/products`, '{ topProducts { upc } }');
    assert.equal((again.body as { data: { topProducts: unknown[] } }).data.topProducts.length, 5);
    assert.deepEqual(bench.calls, [{ operation: 'products query topProducts' }, { operation: 'products query topProducts' }]);
    assert.equal((await requestJson(`${bench.url}/graphql`)).status, 404);
  });

  it('points the supergraph at the given base URL and ships the benchmark query', () => {
    const sdl = benchSupergraphSdl('http://127.0.0.1:9999/');
    assert.ok(!sdl.includes('0.0.0.0:4200'));
    assert.match(sdl, /ACCOUNTS @join__graph\(name: "accounts", url: "http:\/\/127\.0\.0\.1:9999\/accounts"\)/);
    assert.match(benchQuery().query, /^fragment User on User/);
  });
});
