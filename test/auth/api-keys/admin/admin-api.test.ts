/**
 * The admin API over a real HTTP server on a loopback port: only the admin token gets in; the
 * CLI's operations as GraphQL (create, list, show, update, rotate, revoke, usage), with the
 * same errors; bad HTTP requests get the right status; unexpected errors are masked.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdminApi, createApiKeyServices, type ApiKeyServices } from '../../../../gateway/src/auth/api-keys/index.js';
import type { Logger } from '../../../../gateway/src/telemetry/logger.js';
import { freshStoreLocation, keySettings, type StoreLocation } from '../../../support/stores.js';

const TOKEN = 'admin-token-for-tests-0123456789abcdef';
let location: StoreLocation;
let services: ApiKeyServices;
const logged: string[] = [];
const servers: Server[] = [];

before(async () => {
  location = await freshStoreLocation('embedded');
  services = await createApiKeyServices(keySettings(location), { store: await location.open() });
});
after(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  await services.close();
  await location.cleanup();
});

const logger: Logger = { debug() {}, info() {}, warn() {}, error: (message, fields) => logged.push(`${message} ${JSON.stringify(fields)}`) };

/** Serves an admin API on port 0; returns its URL. */
async function serve(options: { token?: string; service?: ApiKeyServices['service'] } = { token: TOKEN }): Promise<string> {
  const admin = createAdminApi({ service: options.service ?? services.service, ...(options.token === undefined ? {} : { token: options.token }), logger });
  const server = createServer((req, res) => void admin.handle(req, res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/graphql`;
}

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }> };
}

async function post(url: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }): Promise<Answer> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Answer['body'] };
}

const FIELDS = 'id name owner environment prefix scopes rateLimit { limit windowMs text } costLimit { limit windowMs text } allowedIps trustedDocumentsOnly expiresAt status replaced { prefix endsAt }';

test('without the admin token every request is 401 with WWW-Authenticate; a disabled API says how to enable it', async () => {
  const url = await serve();
  const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong-token' }, { authorization: `Basic ${TOKEN}` }, { authorization: `Bearer ${TOKEN}x` }];
  for (const headers of attempts) {
    const answer = await post(url, '{ apiKeys { id } }', undefined, headers);
    assert.equal(answer.status, 401, JSON.stringify(headers));
    assert.equal(answer.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED');
    assert.match(answer.headers.get('www-authenticate') ?? '', /^Bearer realm="openclaw-admin"/);
  }
  assert.equal((await post(url, '{ apiKeys { id } }', undefined, {})).body.errors?.[0]?.message, 'The admin API needs the admin token: send "Authorization: Bearer <token>".');
  const disabled = await post(await serve({}), '{ apiKeys { id } }');
  assert.equal(disabled.status, 401);
  assert.equal(disabled.body.errors?.[0]?.message, 'The admin API is disabled: no admin token is configured (admin.token or OPENCLAW_ADMIN_TOKEN).');
  assert.equal((await post(url, '{ apiKeys { id } }')).status, 200);
});

test('the lifecycle over GraphQL: create (key once), search, show, update, rotate, revoke, usage', async () => {
  const url = await serve();
  const created = await post(
    url,
    `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { ${FIELDS} } } }`,
    { input: { name: 'Partner B', owner: 'partner-b', scopes: ['catalog:read', 'orders:read'], rateLimit: '500/min', costLimit: '5000/min', allowedIps: ['203.0.113.0/24', '2001:db8::/32'], trustedDocumentsOnly: true, expiresIn: '30d' } },
  );
  assert.equal(created.status, 200);
  assert.equal(created.headers.get('cache-control'), 'no-store');
  assert.equal(created.body.errors, undefined);
  const { key, apiKey } = created.body.data?.createApiKey as { key: string; apiKey: Record<string, unknown> };
  assert.match(key, /^ocw_live_/);
  assert.deepEqual({ ...apiKey, id: undefined, expiresAt: undefined }, {
    id: undefined,
    name: 'Partner B',
    owner: 'partner-b',
    environment: 'LIVE',
    prefix: key.slice(0, 17),
    scopes: ['catalog:read', 'orders:read'],
    rateLimit: { limit: 500, windowMs: 60_000, text: '500/min' },
    costLimit: { limit: 5000, windowMs: 60_000, text: '5000/min' },
    allowedIps: ['203.0.113.0/24', '2001:db8::/32'],
    trustedDocumentsOnly: true,
    expiresAt: undefined,
    status: 'ACTIVE',
    replaced: [],
  });
  const id = apiKey.id as string;
  const principal = await services.verifier.verify(key, '203.0.113.5', Date.now());
  assert.equal(principal.keyId, id);
  assert.equal(principal.trustedDocumentsOnly, true, 'the flag reaches the Principal the pipeline reads');

  const searched = await post(url, 'query ($owner: String) { apiKeys(owner: $owner, status: ACTIVE) { id } }', { owner: 'partner-b' });
  assert.deepEqual(searched.body.data?.apiKeys, [{ id }]);
  const shown = await post(url, 'query ($id: ID!) { apiKey(id: $id) { name usage(days: 7) { requests errors days { day } } } missing: apiKey(id: "key_nope") { id } }', { id });
  assert.deepEqual(shown.body.data, { apiKey: { name: 'Partner B', usage: { requests: 0, errors: 0, days: [] } }, missing: null });

  const updated = await post(url, 'mutation ($id: ID!) { updateApiKey(id: $id, input: { owner: null, rateLimit: "10/s", costLimit: "100/s", scopes: ["orders:read"], trustedDocumentsOnly: false }) { owner rateLimit { text } costLimit { text } scopes trustedDocumentsOnly } }', { id });
  assert.deepEqual(updated.body.data?.updateApiKey, { owner: null, rateLimit: { text: '10/s' }, costLimit: { text: '100/s' }, scopes: ['orders:read'], trustedDocumentsOnly: false });

  const rotated = await post(url, 'mutation ($id: ID!) { rotateApiKey(id: $id, grace: "0") { key apiKey { id prefix replaced { prefix } } } }', { id });
  const rotation = rotated.body.data?.rotateApiKey as { key: string; apiKey: { id: string; prefix: string; replaced: Array<{ prefix: string }> } };
  assert.equal(rotation.apiKey.id, id);
  assert.equal(rotation.apiKey.prefix, rotation.key.slice(0, 17));
  assert.deepEqual(rotation.apiKey.replaced, [{ prefix: key.slice(0, 17) }]);
  await assert.rejects(services.verifier.verify(key, '203.0.113.5', Date.now()), /grace period ended/);

  services.usage.recordUsage(id, 'ok');
  services.usage.recordUsage(id, 'error');
  await services.usage.flush();
  const usage = await post(url, 'query ($id: ID!) { apiKeyUsage(id: $id) { keyId requests errors lastUsedAt days { requests errors } } }', { id });
  const counted = usage.body.data?.apiKeyUsage as { requests: number; errors: number; lastUsedAt: string };
  // Two recorded here, plus the refusal of the rotated-out key above (the verifier counts it).
  assert.equal(counted.requests, 3);
  assert.equal(counted.errors, 2);
  assert.match(counted.lastUsedAt, /^\d{4}-\d\d-\d\dT/);

  const revoked = await post(url, 'mutation ($id: ID!) { revokeApiKey(id: $id) { status revokedAt } }', { id });
  assert.equal((revoked.body.data?.revokeApiKey as { status: string }).status, 'REVOKED');
  await assert.rejects(services.verifier.verify(rotation.key, '203.0.113.5', Date.now()), /was revoked/);
});

test('operation errors carry their code and path: NOT_FOUND, BAD_USER_INPUT', async () => {
  const url = await serve();
  const missing = await post(url, 'mutation { revokeApiKey(id: "key_nope") { id } }');
  assert.equal(missing.status, 200);
  assert.deepEqual(missing.body.errors?.map((error) => [error.message, error.extensions?.code, error.path]), [
    ['No API key has the id "key_nope".', 'NOT_FOUND', ['revokeApiKey']],
  ]);
  const badRate = await post(url, 'mutation { createApiKey(input: { name: "x", rateLimit: "lots" }) { key } }');
  assert.equal(badRate.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  assert.equal(badRate.body.errors?.[0]?.message, 'Invalid rate limit "lots": expected <count>/<window>, such as "100/min", "10/s", "5000/h" or "100/30s".');
  const badCost = await post(url, 'mutation { createApiKey(input: { name: "x", costLimit: "0/min" }) { key } }');
  assert.equal(badCost.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
  assert.equal(badCost.body.errors?.[0]?.message, 'Invalid rate limit "0/min": the count must be a whole number from 1 to 1000000000.');
  const badGrace = await post(url, 'mutation { rotateApiKey(id: "key_nope", grace: "later") { key } }');
  assert.match(badGrace.body.errors?.[0]?.message ?? '', /^grace must be a duration like "30d"/);
  const badTime = await post(url, 'mutation { createApiKey(input: { name: "x", expiresAt: "tomorrow" }) { key } }');
  assert.match(badTime.body.errors?.[0]?.message ?? '', /^expiresAt must be an ISO 8601 time/);
});

test('bad HTTP requests: 405 for GET, 415 for other media types, 400 for bad JSON, parse and validation errors', async () => {
  const url = await serve();
  const auth = { authorization: `Bearer ${TOKEN}` };
  const get = await fetch(`${url}?query={apiKeys{id}}`, { headers: auth });
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'POST');
  const text = await fetch(url, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: '{ apiKeys { id } }' });
  assert.equal(text.status, 415);
  const json = await fetch(url, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{nope' });
  assert.equal(json.status, 400);
  assert.deepEqual(await json.json(), { errors: [{ message: 'The request body is not valid JSON.', extensions: { code: 'BAD_REQUEST' } }] });
  const parsed = await post(url, '{ apiKeys { id }');
  assert.equal(parsed.status, 400);
  assert.equal(parsed.body.errors?.[0]?.extensions?.code, 'GRAPHQL_PARSE_FAILED');
  const invalid = await post(url, '{ apiKeys { secret } }');
  assert.equal(invalid.status, 400);
  assert.equal(invalid.body.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
  assert.match(invalid.body.errors?.[0]?.message ?? '', /Cannot query field "secret" on type "ApiKey"/);
  const big = await fetch(url, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ apiKeys { id } }${' '.repeat(1_100_000)}` }) });
  assert.equal(big.status, 413);
});

test('an unexpected error is masked for the client and logged', async () => {
  const other = await freshStoreLocation('embedded');
  const broken = await createApiKeyServices(keySettings(other), { store: await other.open() });
  try {
    const url = await serve({ token: TOKEN, service: broken.service });
    await broken.store.close();
    const answer = await post(url, '{ apiKeys { id } }');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.errors, [{ message: 'Unexpected error in the admin API; the gateway log has the details.', path: ['apiKeys'], extensions: { code: 'INTERNAL_SERVER_ERROR' } }]);
    assert.ok(logged.some((line) => line.startsWith('Admin API error') && line.includes('not open')), logged.join('\n'));
  } finally {
    await broken.close();
    await other.cleanup();
  }
});
