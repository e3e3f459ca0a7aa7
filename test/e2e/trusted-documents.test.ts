// Trusted documents end to end: a real gateway over the demo backends, manifests in both
// formats on disk, clients that send only ids (documentId, Relay's doc_id / id, Apollo's
// extensions.persistedQuery) over GET and POST, automatic persisted queries with their
// refusals, the safelist globally and for one API key, and two instances sharing APQ
// registrations through the real Redis.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { ERROR_CODES } from '../../gateway/src/errors/index.js';
import { resolveConfig, startGateway, type OpenClawConfig } from '../../gateway/src/index.js';
import { isGatewayError } from '../../gateway/src/errors/index.js';
import { postGraphQL, REPO_ROOT, startDemoGateway, type DemoGateway, type JsonResponse } from '../support/demo-gateway.js';
import { freshRedisPrefix, TEST_REDIS_URL } from '../support/stores.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const TOP = 'query Top { topProducts(first: 2) { upc name } }';
const ONE = 'query One($upc: ID!) { product(upc: $upc) { upc name } }';
const FREE = '{ topProducts(first: 1) { upc } }';
const TOP_DATA = { topProducts: [{ upc: '1', name: 'Table' }, { upc: '2', name: 'Couch' }] };

let dir: string;
let apolloFile: string;
let relayFile: string;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'openclaw-trusted-'));
  apolloFile = join(dir, 'persisted-query-manifest.json');
  relayFile = join(dir, 'relay-persisted.json');
  await writeFile(apolloFile, JSON.stringify({
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: [{ id: sha256(TOP), body: TOP, name: 'Top', type: 'query' }],
  }));
  await writeFile(relayFile, JSON.stringify({ 'relay-one-7f3a': ONE }));
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** GETs the GraphQL endpoint with `params` in the query string (objects as JSON). */
async function get(demo: DemoGateway, params: Record<string, unknown>, headers: Record<string, string> = {}): Promise<JsonResponse> {
  const search = new URLSearchParams(Object.entries(params).map(([name, value]): [string, string] => [name, typeof value === 'string' ? value : JSON.stringify(value)]));
  const response = await fetch(`${demo.gateway.url}?${search}`, { headers: { accept: 'application/graphql-response+json', ...headers } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as JsonResponse['body'] };
}

const post = (demo: DemoGateway, body: unknown, headers: Record<string, string> = {}) => postGraphQL(demo.gateway.url, body, headers);
const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

/** A whole-request refusal with `code`, its documented status, and a message matching `message`. */
function assertRefused(response: JsonResponse, code: keyof typeof ERROR_CODES, message?: RegExp): void {
  assert.equal(response.body.errors?.[0]?.extensions?.code, code, JSON.stringify(response.body));
  assert.equal(response.status, ERROR_CODES[code].status);
  assert.equal(response.body.data, undefined, 'nothing ran');
  if (message !== undefined) assert.match(response.body.errors?.[0]?.message ?? '', message);
}

async function withDemo(config: OpenClawConfig, run: (demo: DemoGateway) => Promise<void>): Promise<void> {
  const demo = await startDemoGateway(config);
  try {
    await run(demo);
  } finally {
    await demo.close();
  }
}

describe('a manifest in each format, clients sending only the id', () => {
  let demo: DemoGateway;
  before(async () => {
    demo = await startDemoGateway({ persistedDocuments: { manifest: [apolloFile, relayFile] } });
  });
  after(async () => {
    await demo.close();
  });

  test('Apollo manifest: documentId, documentId "sha256:<hash>", extensions.persistedQuery, over POST and GET', async () => {
    const hash = sha256(TOP);
    for (const response of [
      await post(demo, { documentId: hash }),
      await post(demo, { documentId: `sha256:${hash}` }),
      await post(demo, { extensions: persisted(hash) }),
      await get(demo, { documentId: hash }),
      await get(demo, { extensions: persisted(hash) }),
    ]) {
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.deepEqual(response.body, { data: TOP_DATA });
    }
  });

  test('Relay manifest: doc_id over POST, id over GET, with variables', async () => {
    const expected = { data: { product: { upc: '1', name: 'Table' } } };
    assert.deepEqual((await post(demo, { doc_id: 'relay-one-7f3a', variables: { upc: '1' } })).body, expected);
    assert.deepEqual((await get(demo, { id: 'relay-one-7f3a', variables: { upc: '1' } })).body, expected);
  });

  test('an unknown id is 404 PERSISTED_QUERY_NOT_FOUND, never cached by a proxy; no backend is called', async () => {
    demo.resetCalls();
    const byId = await post(demo, { documentId: 'nope' });
    assertRefused(byId, 'PERSISTED_QUERY_NOT_FOUND', /persistedDocuments\.manifest has the id "nope"/);
    assert.equal(byId.headers.get('cache-control'), 'private, no-cache, must-revalidate');
    // Apollo's own message, which Apollo clients answer by sending the document with its hash.
    const byHash = await get(demo, { extensions: persisted('0'.repeat(64)) });
    assertRefused(byHash, 'PERSISTED_QUERY_NOT_FOUND', /^PersistedQueryNotFound$/);
    assert.equal(demo.subgraphs.products.calls.length, 0);
  });

  test('free text still runs in mode allow-any; id and text together, or two ids, are 400', async () => {
    assert.deepEqual((await post(demo, { query: FREE })).body, { data: { topProducts: [{ upc: '1' }] } });
    assertRefused(await post(demo, { query: FREE, documentId: sha256(TOP) }), 'BAD_REQUEST', /both a document/);
    assertRefused(await post(demo, { documentId: 'a', doc_id: 'b' }), 'BAD_REQUEST', /"documentId" and "doc_id"/);
    assertRefused(await post(demo, { extensions: { persistedQuery: { version: 2, sha256Hash: sha256(TOP) } } }), 'BAD_REQUEST', /version 1/);
  });
});

describe('automatic persisted queries', () => {
  test('miss, register, hit, mismatch; an invalid document is never registered', async () => {
    await withDemo({ persistedDocuments: { apq: true } }, async (demo) => {
      const hash = sha256(FREE);
      const miss = await post(demo, { extensions: persisted(hash) });
      assertRefused(miss, 'PERSISTED_QUERY_NOT_FOUND', /^PersistedQueryNotFound$/);
      const register = await post(demo, { query: FREE, extensions: persisted(hash) });
      assert.deepEqual(register.body, { data: { topProducts: [{ upc: '1' }] } });
      for (const hit of [await post(demo, { extensions: persisted(hash) }), await get(demo, { extensions: persisted(hash.toUpperCase()) })]) {
        assert.deepEqual(hit.body, { data: { topProducts: [{ upc: '1' }] } });
      }
      assertRefused(await post(demo, { query: TOP, extensions: persisted(hash) }), 'PERSISTED_QUERY_HASH_MISMATCH', /SHA-256 of "query" is "[0-9a-f]{64}"/);

      const invalid = '{ topProducts { colour } }';
      const rejected = await post(demo, { query: invalid, extensions: persisted(sha256(invalid)) });
      assert.equal(rejected.body.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
      assertRefused(await post(demo, { extensions: persisted(sha256(invalid)) }), 'PERSISTED_QUERY_NOT_FOUND');
    });
  });

  test('without a manifest or APQ, a hash is PERSISTED_QUERY_NOT_SUPPORTED (Apollo clients then send documents)', async () => {
    await withDemo({}, async (demo) => {
      assertRefused(await post(demo, { extensions: persisted(sha256(FREE)) }), 'PERSISTED_QUERY_NOT_SUPPORTED', /^PersistedQueryNotSupported$/);
      assertRefused(await post(demo, { documentId: 'x' }), 'PERSISTED_QUERY_NOT_SUPPORTED', /persistedDocuments\.manifest is not set/);
      // Sending the document with its hash still runs it (nothing registered).
      assert.deepEqual((await post(demo, { query: FREE, extensions: persisted(sha256(FREE)) })).body, { data: { topProducts: [{ upc: '1' }] } });
    });
  });

  test('two instances share registrations through Redis', async () => {
    const redis = freshRedisPrefix();
    const config: OpenClawConfig = { persistedDocuments: { apq: true }, store: { redisUrl: TEST_REDIS_URL, redisPrefix: redis.prefix } };
    const first = await startDemoGateway(config);
    const second = await startDemoGateway(config);
    try {
      const query = '{ topProducts(first: 3) { upc } }';
      const hash = sha256(query);
      assertRefused(await post(second, { extensions: persisted(hash) }), 'PERSISTED_QUERY_NOT_FOUND');
      assert.equal((await post(first, { query, extensions: persisted(hash) })).status, 200);
      const shared = await post(second, { extensions: persisted(hash) });
      assert.deepEqual(shared.body, { data: { topProducts: [{ upc: '1' }, { upc: '2' }, { upc: '3' }] } });
    } finally {
      await first.close();
      await second.close();
      await redis.cleanup();
    }
  });
});

describe('the safelist', () => {
  test('mode "safelist" refuses free text that is not in the manifest, before any backend call, and runs manifest documents by id or text', async () => {
    await withDemo({ persistedDocuments: { manifest: apolloFile, mode: 'safelist' } }, async (demo) => {
      demo.resetCalls();
      assertRefused(await post(demo, { query: FREE }), 'TRUSTED_DOCUMENT_REQUIRED', /persistedDocuments\.mode is "safelist"/);
      assertRefused(await get(demo, { query: FREE }), 'TRUSTED_DOCUMENT_REQUIRED');
      assert.equal(demo.subgraphs.products.calls.length, 0, 'refused before any backend call');
      // APQ is off in this mode: a hash of free text is unknown, and registering it is refused.
      assertRefused(await post(demo, { query: FREE, extensions: persisted(sha256(FREE)) }), 'TRUSTED_DOCUMENT_REQUIRED');
      assertRefused(await post(demo, { extensions: persisted(sha256(FREE)) }), 'PERSISTED_QUERY_NOT_FOUND');
      // The manifest's document: by id, or as text, even laid out differently.
      assert.deepEqual((await post(demo, { documentId: sha256(TOP) })).body, { data: TOP_DATA });
      assert.deepEqual((await post(demo, { query: TOP })).body, { data: TOP_DATA });
      assert.deepEqual((await post(demo, { query: 'query Top {\n  topProducts(first: 2) {\n    upc\n    name\n  }\n}\n' })).body, { data: TOP_DATA });
    });
  });

  test('mode "require-id" runs manifest documents by id only', async () => {
    await withDemo({ persistedDocuments: { manifest: apolloFile, mode: 'require-id' } }, async (demo) => {
      assertRefused(await post(demo, { query: TOP }), 'TRUSTED_DOCUMENT_REQUIRED', /persistedDocuments\.mode is "require-id"/);
      assert.deepEqual((await post(demo, { extensions: persisted(sha256(TOP)) })).body, { data: TOP_DATA });
    });
  });

  test('one API key with trustedDocumentsOnly is held to the manifest; another key and anonymous callers are not', async () => {
    await withDemo({ persistedDocuments: { manifest: apolloFile, apq: true } }, async (demo) => {
      const trusted = await demo.createKey({ name: 'mobile app', trustedDocumentsOnly: true });
      const other = await demo.createKey({ name: 'partner' });
      const asTrusted = { 'x-api-key': trusted.key };
      assertRefused(await post(demo, { query: FREE }, asTrusted), 'TRUSTED_DOCUMENT_REQUIRED', /this API key accepts only trusted documents/);
      // Its APQ registration is refused too; a document registered by another caller is not trusted.
      assertRefused(await post(demo, { query: FREE, extensions: persisted(sha256(FREE)) }, asTrusted), 'TRUSTED_DOCUMENT_REQUIRED');
      assert.equal((await post(demo, { query: FREE, extensions: persisted(sha256(FREE)) }, { 'x-api-key': other.key })).status, 200);
      assertRefused(await post(demo, { extensions: persisted(sha256(FREE)) }, asTrusted), 'PERSISTED_QUERY_NOT_FOUND');
      assert.deepEqual((await post(demo, { documentId: sha256(TOP) }, asTrusted)).body, { data: TOP_DATA });
      assert.deepEqual((await post(demo, { query: TOP }, asTrusted)).body, { data: TOP_DATA });
      assert.deepEqual((await post(demo, { query: FREE }, { 'x-api-key': other.key })).body, { data: { topProducts: [{ upc: '1' }] } });
      assert.deepEqual((await post(demo, { query: FREE })).body, { data: { topProducts: [{ upc: '1' }] } });
    });
  });
});

describe('configuration', () => {
  test('a mode that needs a manifest, or APQ beside the safelist, is CONFIG_INVALID naming the key', () => {
    const problem = (persistedDocuments: unknown): string => {
      try {
        resolveConfig({ persistedDocuments }, { rootDir: REPO_ROOT });
      } catch (error) {
        assert.ok(isGatewayError(error) && error.code === 'CONFIG_INVALID');
        return error.message;
      }
      return assert.fail('expected CONFIG_INVALID');
    };
    assert.match(problem({ mode: 'safelist' }), /persistedDocuments\.mode.*needs "persistedDocuments\.manifest"/);
    assert.match(problem({ manifest: 'm.json', mode: 'require-id', apq: true }), /persistedDocuments\.apq.*must be false with mode "require-id"/);
    assert.match(problem({ mode: 'strict' }), /persistedDocuments\.mode.*"allow-any", "safelist", "require-id"/);
  });

  test('a malformed manifest stops start-up with CONFIG_INVALID naming the file and the entry', async () => {
    const file = join(dir, 'bad.json');
    await writeFile(file, JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'x' }] }));
    const config = resolveConfig({ schema: 'schema', server: { port: 0 }, logging: { level: 'silent' }, store: { dataDir: join(dir, 'store') }, persistedDocuments: { manifest: file } }, { rootDir: REPO_ROOT });
    await assert.rejects(startGateway(config), (error: unknown) => isGatewayError(error) && error.code === 'CONFIG_INVALID' && /bad\.json operations\[0\] must be/.test(error.message));
  });
});
