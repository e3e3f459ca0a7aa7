/**
 * CORS (`server.cors`): a browser app on an allowed origin can call the gateway (its preflight
 * is answered, its responses carry the allow-origin and exposed headers); any other origin gets
 * no CORS header, so the browser keeps it out. Without `server.cors` no CORS header is sent.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../../gateway/src/index.js';
import { isGatewayError } from '../../gateway/src/errors/index.js';
import { REPO_ROOT, startDemoGateway, type DemoGateway } from '../support/demo-gateway.js';

const APP = 'https://app.example.com';

const preflight = (url: string, origin: string) =>
  fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' } });

describe('with server.cors', () => {
  let demo: DemoGateway;
  before(async () => {
    demo = await startDemoGateway({ server: { cors: { origins: [APP], credentials: true } } });
  });
  after(async () => {
    await demo.close();
  });

  test('a preflight from an allowed origin is answered 204 with what the browser needs', async () => {
    const response = await preflight(demo.gateway.url, APP);
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), APP);
    assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(response.headers.get('access-control-allow-methods'), 'GET, POST');
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /authorization/);
    assert.match(response.headers.get('access-control-allow-headers') ?? '', /x-api-key/);
    assert.equal(response.headers.get('access-control-max-age'), '600');
    assert.equal(response.headers.get('vary'), 'Origin');
  });

  test('the actual request gets the allow-origin and exposes x-request-id and the rate-limit headers', async () => {
    const { status, headers, body } = await demo.query('{ product(upc: "1") { name } }', undefined, { origin: APP });
    assert.equal(status, 200);
    assert.deepEqual(body.data, { product: { name: 'Table' } });
    assert.equal(headers.get('access-control-allow-origin'), APP);
    assert.deepEqual(headers.get('access-control-expose-headers')?.split(', '), ['x-request-id', 'ratelimit', 'ratelimit-policy', 'retry-after']);
  });

  test('another origin gets no CORS header at all', async () => {
    const response = await preflight(demo.gateway.url, 'https://evil.example.com');
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    assert.equal(response.headers.get('access-control-allow-methods'), null);
    const { headers } = await demo.query('{ product(upc: "1") { name } }', undefined, { origin: 'https://evil.example.com' });
    assert.equal(headers.get('access-control-allow-origin'), null);
  });
});

test('without server.cors, OPTIONS gets 204 and Allow, and no origin is allowed', async () => {
  const demo = await startDemoGateway();
  try {
    const response = await preflight(demo.gateway.url, APP);
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('allow'), 'GET, POST, OPTIONS');
    assert.equal(response.headers.get('access-control-allow-origin'), null);
  } finally {
    await demo.close();
  }
});

test('origins ["*"] answers any origin with *, and cannot be combined with credentials', async () => {
  const demo = await startDemoGateway({ server: { cors: { origins: ['*'] } } });
  try {
    const response = await preflight(demo.gateway.url, 'https://anywhere.example');
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('access-control-allow-credentials'), null);
  } finally {
    await demo.close();
  }
  assert.throws(
    () => resolveConfig({ server: { cors: { origins: ['*'], credentials: true } } }, { rootDir: REPO_ROOT }),
    (error: unknown) => isGatewayError(error) && /cannot allow credentials for any origin/.test(error.message),
  );
  assert.throws(
    () => resolveConfig({ server: { cors: { origins: ['https://app.example.com/path'] } } }, { rootDir: REPO_ROOT }),
    (error: unknown) => isGatewayError(error) && /"server\.cors\.origins\[0\]" must be an origin/.test(error.message),
  );
});
