/**
 * A GraphQL or Federation source without an `sdl:` file: the gateway reads the schema from the
 * running subgraph at start-up (introspection, or `_service { sdl }` for federation) and the
 * graph works the same.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveConfig, startGateway } from '../../../gateway/src/index.js';
import { startAccounts, startReviews } from '../../../subgraphs/index.js';
import { tempDirs } from '../../support/cli.js';
import { postGraphQL } from '../../support/demo-gateway.js';

const temp = tempDirs('openclaw-sdl-');
after(() => temp.removeAll());

test('introspection and _service { sdl } replace the sdl files', async () => {
  const accounts = await startAccounts();
  const reviews = await startReviews();
  const dir = await temp.make();
  try {
    await mkdir(join(dir, 'schema'));
    await writeFile(join(dir, 'schema', 'accounts.graphql'), `extend schema @source(name: "accounts", kind: GRAPHQL, url: "${accounts.url}")
type Query { usersByIds(ids: [ID!]!): [User]! @lookup(key: "id") @internal }
`);
    await writeFile(join(dir, 'schema', 'reviews.graphql'), `extend schema @source(name: "reviews", kind: FEDERATION, url: "${reviews.url}")\n`);
    const gateway = await startGateway(resolveConfig({ server: { port: 0 }, logging: { level: 'silent' } }, { rootDir: dir }));
    try {
      assert.deepEqual(accounts.calls.map((call) => call.operation), ['query __schema'], 'accounts was introspected once');
      assert.deepEqual(reviews.calls.map((call) => call.operation), ['query _service'], 'reviews was asked for its SDL once');
      const { body } = await postGraphQL(gateway.url, { query: '{ user(id: "2") { name reviews { id author { username } } } }' });
      assert.deepEqual(body, {
        data: { user: { name: 'Dotan Simha', reviews: [{ id: '2', author: { username: 'dotansimha' } }, { id: '8', author: { username: 'dotansimha' } }] } },
      });
    } finally {
      await gateway.close();
    }
  } finally {
    await accounts.close();
    await reviews.close();
  }
});

test('a subgraph that cannot be reached at start-up stops it with UPSTREAM_UNAVAILABLE naming it and the fix', async () => {
  const dir = await temp.make();
  await mkdir(join(dir, 'schema'));
  await writeFile(join(dir, 'schema', 'gone.graphql'), 'extend schema @source(name: "gone", kind: FEDERATION, url: "http://127.0.0.1:9/graphql")\n');
  await assert.rejects(startGateway(resolveConfig({ server: { port: 0 }, logging: { level: 'silent' } }, { rootDir: dir })), {
    code: 'UPSTREAM_UNAVAILABLE',
    message: 'Source "gone" is unreachable (ECONNREFUSED), so its schema cannot be read at start-up: start it first, or give its SDL with @source(sdl: "...").',
  });
});
