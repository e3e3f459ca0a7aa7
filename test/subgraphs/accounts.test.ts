import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startAccounts } from '../../subgraphs/accounts/server.js';
import type { RunningSubgraph } from '../../subgraphs/support/running.js';
import { elapsedMs, postGraphQL, requestJson } from './helpers.js';

describe('accounts backend (plain GraphQL)', () => {
  let accounts: RunningSubgraph;
  before(async () => {
    accounts = await startAccounts();
  });
  after(() => accounts.close());

  it('serves GraphQL at /graphql on loopback', () => {
    assert.match(accounts.url, /^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    assert.equal(accounts.name, 'accounts');
  });

  it('answers me, user and users from the benchmark data', async () => {
    const { status, body } = await postGraphQL(
      accounts.url,
      '{ me { id name username birthday } user(id: "4") { name username } missing: user(id: "42") { id } users { id username } }',
    );
    assert.equal(status, 200);
    assert.deepEqual(body, {
      data: {
        me: { id: '1', name: 'Uri Goldshtein', username: 'urigo', birthday: 1234567890 },
        user: { name: 'Arda Tanrikulu', username: 'ardatan' },
        missing: null,
        users: [
          { id: '1', username: 'urigo' },
          { id: '2', username: 'dotansimha' },
          { id: '3', username: 'kamilkisiela' },
          { id: '4', username: 'ardatan' },
          { id: '5', username: 'gilgardosh' },
          { id: '6', username: 'laurin' },
        ],
      },
    });
  });

  it('answers usersByIds with one entry per id, in request order, null for unknown ids', async () => {
    const { body } = await postGraphQL(accounts.url, 'query Batch($ids: [ID!]!) { usersByIds(ids: $ids) { id name } }', {
      ids: ['3', '99', '1', '3'],
    });
    assert.deepEqual(body, {
      data: {
        usersByIds: [
          { id: '3', name: 'Kamil Kisiela' },
          null,
          { id: '1', name: 'Uri Goldshtein' },
          { id: '3', name: 'Kamil Kisiela' },
        ],
      },
    });
  });

  it('records each request as operation type and root fields, with its variables', async () => {
    accounts.resetCalls();
    await postGraphQL(accounts.url, 'query Batch($ids: [ID!]!) { usersByIds(ids: $ids) { id } }', { ids: ['2'] });
    await postGraphQL(accounts.url, 'fragment F on Query { users { id } } { me { id } ...F }');
    assert.deepEqual(accounts.calls, [
      { operation: 'query usersByIds', detail: { operationName: undefined, variables: { ids: ['2'] } } },
      { operation: 'query me users', detail: { operationName: undefined, variables: undefined } },
    ]);
    accounts.resetCalls();
    assert.deepEqual(accounts.calls, []);
  });

  it('reports validation errors as GraphQL errors', async () => {
    const { status, body } = await postGraphQL(accounts.url, '{ nope }');
    assert.equal(status, 400);
    assert.deepEqual(body, {
      errors: [{ message: 'Cannot query field "nope" on type "Query".', locations: [{ line: 1, column: 3 }] }],
    });
  });

  it("answers GraphQL errors in failWith('error') mode until reset", async () => {
    accounts.failWith('error');
    const failed = await postGraphQL(accounts.url, '{ me { id } }');
    assert.deepEqual(failed.body, {
      data: null,
      errors: [
        { message: "accounts: failure injected by failWith('error')", extensions: { code: 'INTERNAL_SERVER_ERROR' } },
      ],
    });
    accounts.failWith(null);
    const healed = await postGraphQL(accounts.url, '{ me { id } }');
    assert.deepEqual(healed.body, { data: { me: { id: '1' } } });
  });

  it("holds requests back in failWith('slow') mode", async () => {
    accounts.failWith('slow');
    try {
      await assert.rejects(
        postGraphQL(accounts.url, '{ me { id } }', undefined, { signal: AbortSignal.timeout(300) }),
        { name: 'TimeoutError' },
      );
    } finally {
      accounts.failWith(null);
    }
  });

  it('answers 404 outside /graphql', async () => {
    const { status, body } = await requestJson(accounts.url.replace('/graphql', '/other'));
    assert.equal(status, 404);
    assert.deepEqual(body, { error: 'not_found', message: 'accounts serves GraphQL at /graphql only' });
  });

  it('closes promptly although a keep-alive connection is open and a slow request is parked', async () => {
    const other = await startAccounts();
    await postGraphQL(other.url, '{ me { id } }'); // leaves an idle keep-alive socket
    other.failWith('slow');
    const parked = postGraphQL(other.url, '{ me { id } }').catch(() => 'aborted');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const ms = await elapsedMs(() => other.close());
    assert.ok(ms < 1000, `close took ${ms} ms`);
    assert.equal(await parked, 'aborted');
  });
});
