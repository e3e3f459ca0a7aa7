/**
 * The admin API on a listener of its own (`admin.port`, `admin.host`) and the throttling of
 * failed admin authentications, over real listeners on port 0: with `admin.port: 0` the
 * started gateway exposes the admin URL it bound, the admin API answers there and no longer on
 * the public port; after `admin.failuresPerMinute` failures from one address every request from
 * it gets 429 RATE_LIMITED with Retry-After (the right token included), other addresses are
 * not affected, and a successful request costs nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startDemoGateway, type DemoGateway } from '../support/demo-gateway.js';
import { ADMIN_TOKEN, LOOPBACK_PROXIES } from '../support/api-keys-e2e.js';

const LIST = '{ apiKeys { id } }';

async function adminCall(url: string, token: string | undefined, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers },
    body: JSON.stringify({ query: LIST }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
  return { status: response.status, headers: response.headers, body, code: body.errors?.[0]?.extensions?.code };
}

describe('admin.port: 0 — the admin API on a listener of its own', () => {
  let demo: DemoGateway;
  before(async () => {
    demo = await startDemoGateway({ admin: { token: ADMIN_TOKEN, port: 0 } });
  });
  after(() => demo.close());

  test('the started gateway exposes the admin URL it bound, on another port, and the API answers there', async () => {
    const adminUrl = demo.gateway.adminUrl;
    assert.ok(adminUrl !== undefined, 'adminUrl is set');
    const url = new URL(adminUrl);
    assert.equal(url.hostname, '127.0.0.1');
    assert.equal(url.pathname, '/admin/graphql');
    assert.notEqual(Number(url.port), 0);
    assert.notEqual(Number(url.port), demo.gateway.port);
    const answer = await adminCall(adminUrl, ADMIN_TOKEN);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.data, { apiKeys: [] });
  });

  test('the public port no longer serves /admin/graphql; the admin listener serves nothing else', async () => {
    const publicAdmin = await adminCall(`${demo.origin}/admin/graphql`, ADMIN_TOKEN);
    assert.equal(publicAdmin.status, 404);
    assert.equal(publicAdmin.code, 'NOT_FOUND');
    const adminOrigin = new URL(demo.gateway.adminUrl ?? '').origin;
    for (const path of ['/graphql', '/healthz', '/']) {
      const response = await fetch(`${adminOrigin}${path}`);
      assert.equal(response.status, 404, path);
    }
    const { status } = await demo.query('{ product(upc: "1") { name } }');
    assert.equal(status, 200, 'the public port still serves GraphQL');
  });
});

test('without admin.port the admin API stays on the public port and no admin URL is exposed', async () => {
  const demo = await startDemoGateway({ admin: { token: ADMIN_TOKEN } });
  try {
    assert.equal(demo.gateway.adminUrl, undefined);
    assert.equal((await adminCall(`${demo.origin}/admin/graphql`, ADMIN_TOKEN)).status, 200);
  } finally {
    await demo.close();
  }
});

test('an admin port that is taken is refused at start-up naming admin.port', async () => {
  const first = await startDemoGateway({ admin: { token: ADMIN_TOKEN, port: 0 } });
  try {
    const taken = Number(new URL(first.gateway.adminUrl ?? '').port);
    await assert.rejects(startDemoGateway({ admin: { token: ADMIN_TOKEN, port: taken } }), (error: Error) => {
      assert.match(error.message, new RegExp(`Cannot listen on 127\\.0\\.0\\.1:${taken} \\(admin\\.port\\): EADDRINUSE`));
      return true;
    });
  } finally {
    await first.close();
  }
});

for (const listener of ['public port', 'admin listener'] as const) {
  describe(`failed admin authentications are throttled per client address (${listener})`, () => {
    let demo: DemoGateway;
    let url: string;
    before(async () => {
      demo = await startDemoGateway({
        server: { trustedProxies: LOOPBACK_PROXIES },
        admin: { token: ADMIN_TOKEN, failuresPerMinute: 3, ...(listener === 'admin listener' ? { port: 0 } : {}) },
      });
      url = demo.gateway.adminUrl ?? `${demo.origin}/admin/graphql`;
    });
    after(() => demo.close());

    test('N failures answer 401; then 429 with Retry-After, even with the right token; other addresses go on', async () => {
      const attacker = { 'x-forwarded-for': '203.0.113.7' };
      // Successful requests spend nothing.
      for (let index = 0; index < 5; index += 1) assert.equal((await adminCall(url, ADMIN_TOKEN, attacker)).status, 200);
      assert.equal((await adminCall(url, 'wrong-token-0', attacker)).status, 401);
      assert.equal((await adminCall(url, undefined, attacker)).status, 401, 'no token counts as a failure');
      assert.equal((await adminCall(url, 'wrong-token-2', attacker)).status, 401);
      for (const token of ['wrong-token-3', ADMIN_TOKEN]) {
        const throttled = await adminCall(url, token, attacker);
        assert.equal(throttled.status, 429, token);
        assert.equal(throttled.code, 'RATE_LIMITED');
        const retryAfter = Number(throttled.headers.get('retry-after'));
        assert.ok(retryAfter >= 1 && retryAfter <= 61, `Retry-After ${retryAfter}`);
        assert.match(throttled.body.errors?.[0]?.message ?? '', /Too many failed admin authentications/);
        assert.match(throttled.headers.get('ratelimit-policy') ?? '', /"admin-auth";q=3;w=60/);
      }
      const other = await adminCall(url, ADMIN_TOKEN, { 'x-forwarded-for': '198.51.100.20' });
      assert.equal(other.status, 200, 'another address is not throttled');
    });
  });
}
