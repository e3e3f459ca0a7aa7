import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authorIdOf } from '../../subgraphs/reviews/resolvers.js';
import { startReviews } from '../../subgraphs/reviews/server.js';
import type { RunningSubgraph } from '../../subgraphs/support/running.js';
import { keysOf, postGraphQL } from './helpers.js';

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on User { id reviews { id } }
    ... on Product { upc reviews { id author { id } } }
    ... on Review { id body product { upc } author { id } }
  }
}`;

describe('reviews backend (Apollo Federation 2 subgraph)', () => {
  let reviews: RunningSubgraph;
  before(async () => {
    reviews = await startReviews();
  });
  after(() => reviews.close());

  it('publishes its federation SDL through _service', async () => {
    const { body } = await postGraphQL(reviews.url, '{ _service { sdl } }');
    const sdl = (body as { data: { _service: { sdl: string } } }).data._service.sdl;
    assert.match(sdl, /@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.3", import: \["@key"\]\)/);
    assert.deepEqual(keysOf(sdl), { Review: ['id'], User: ['id'], Product: ['upc'] });
  });

  it('credits review N to user ((N - 1) mod 6) + 1', () => {
    const authors = ['1', '6', '7', '11'].map((id) => authorIdOf({ id, body: '', upc: '1' }));
    assert.deepEqual(authors, ['1', '6', '1', '5']);
  });

  it('lists the first reviews, 20 by default', async () => {
    const { body } = await postGraphQL(reviews.url, '{ few: reviews(first: 2) { id author { id } product { upc } } all: reviews { id } }');
    const data = (body as { data: { few: unknown; all: { id: string }[] } }).data;
    assert.deepEqual(data.few, [
      { id: '1', author: { id: '1' }, product: { upc: '1' } },
      { id: '2', author: { id: '2' }, product: { upc: '1' } },
    ]);
    assert.deepEqual(
      data.all.map((review) => review.id),
      ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11'],
    );
  });

  it('resolves User, Product and Review references through _entities, null for an unknown review', async () => {
    const { body } = await postGraphQL(reviews.url, ENTITIES, {
      representations: [
        { __typename: 'User', id: '2' },
        { __typename: 'Product', upc: '4' },
        { __typename: 'Review', id: '9' },
        { __typename: 'Review', id: '99' },
        { __typename: 'Product', upc: '8' },
      ],
    });
    const nine = 'Ut enim ad minima veniam, quis nostrum exercitationem ullam corporis suscipit laboriosam, nisi ut aliquid ex ea commodi consequatur? Quis autem';
    assert.deepEqual(body, {
      data: {
        _entities: [
          { __typename: 'User', id: '2', reviews: [{ id: '2' }, { id: '8' }] },
          { __typename: 'Product', upc: '4', reviews: [{ id: '10', author: { id: '4' } }, { id: '11', author: { id: '5' } }] },
          { __typename: 'Review', id: '9', body: nine, product: { upc: '3' }, author: { id: '3' } },
          null,
          { __typename: 'Product', upc: '8', reviews: [] },
        ],
      },
    });
    assert.equal(reviews.calls.at(-1)?.operation, 'query _entities');
  });

  it("answers GraphQL errors in failWith('error') mode, then recovers", async () => {
    reviews.failWith('error');
    const failed = await postGraphQL(reviews.url, '{ _service { sdl } }');
    assert.deepEqual((failed.body as { errors: { extensions: unknown }[] }).errors[0]?.extensions, {
      code: 'INTERNAL_SERVER_ERROR',
    });
    reviews.failWith(null);
    const { body } = await postGraphQL(reviews.url, '{ reviews(first: 1) { id } }');
    assert.deepEqual(body, { data: { reviews: [{ id: '1' }] } });
  });
});
