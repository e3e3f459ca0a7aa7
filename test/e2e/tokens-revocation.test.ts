/**
 * Token revocation across gateway instances, through HTTP: two gateways share the real Redis
 * (a fresh key prefix, deleted after). A token revoked by jti through one instance's admin API,
 * or through `openclaw tokens revoke` (the real bin, in its own process), is refused by both
 * within a second; an instance started afterwards loads the revocation; an opaque token one
 * instance finds inactive is refused by the other too. The delays measured are printed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { startGateway, type RunningGateway } from '../../gateway/src/index.js';
import { openclaw } from '../support/cli.js';
import { postGraphQL, startDemoGateway, type DemoGateway, type JsonResponse } from '../support/demo-gateway.js';
import { startOidcProvider, type TestOidcProvider } from '../support/oidc.js';
import { freshRedisPrefix, TEST_REDIS_URL } from '../support/stores.js';
import { authFor } from '../support/token-gateway.js';

const ADMIN_TOKEN = 'admin-token-for-the-revocation-tests-0123456789';
const QUERY = { query: '{ orders(userId: "1") { id } }' };

describe('revocation shared by two gateways through Redis', () => {
  let provider: TestOidcProvider;
  let redis: ReturnType<typeof freshRedisPrefix>;
  let demo: DemoGateway;
  let second: RunningGateway;
  const extra: RunningGateway[] = [];
  let configDir: string;

  before(async () => {
    provider = await startOidcProvider();
    redis = freshRedisPrefix();
    demo = await startDemoGateway({
      auth: authFor(provider),
      store: { redisUrl: TEST_REDIS_URL, redisPrefix: redis.prefix },
      admin: { token: ADMIN_TOKEN },
    });
    // A second instance of the same deployment: same config, its own port.
    second = await startGateway(demo.config);
    // Where `openclaw tokens revoke` finds the deployment's Redis.
    configDir = await mkdtemp(join(tmpdir(), 'openclaw-tokens-cli-'));
    await writeFile(join(configDir, 'openclaw.config.json'), JSON.stringify({ store: { redisUrl: TEST_REDIS_URL, redisPrefix: redis.prefix } }));
  });
  after(async () => {
    // Each cleanup runs even when an earlier one fails: Redis is shared with other runs.
    const cleanups = [...extra.map((gateway) => () => gateway.close()), () => second?.close(), () => demo?.close(), () => provider?.close(), () => redis?.cleanup(), () => rm(configDir, { recursive: true, force: true })];
    for (const cleanup of cleanups) await cleanup()?.catch((error: unknown) => console.error(error));
  });

  const instances = (): string[] => [demo.gateway.url, second.url];
  const ask = (url: string, token: string): Promise<JsonResponse> => postGraphQL(url, QUERY, { authorization: `Bearer ${token}` });

  async function assertAccepted(url: string, token: string): Promise<void> {
    const { status, body } = await ask(url, token);
    assert.equal(status, 200, JSON.stringify(body));
    assert.deepEqual(body.data, { orders: [] });
  }

  /** Milliseconds from `start` until `url` refuses `token` as revoked (polled back to back), at most 2 s. */
  async function refusedAfter(url: string, token: string, start: number, reason = 'revoked'): Promise<number> {
    while (performance.now() - start < 2000) {
      const { status, headers, body } = await ask(url, token);
      if (status === 401) {
        assert.equal(body.errors?.[0]?.extensions?.reason, reason);
        assert.match(headers.get('www-authenticate') ?? '', /error="invalid_token"/);
        return performance.now() - start;
      }
    }
    assert.fail(`${url} still accepted the token 2 s after the revocation`);
  }

  async function adminRevoke(url: string, variables: Record<string, unknown>): Promise<JsonResponse> {
    const response = await fetch(new URL('/admin/graphql', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({
        query: 'mutation($jti: String!, $at: String, $in: String) { revokeToken(jti: $jti, expiresAt: $at, expiresIn: $in) { jti expiresAt reach } }',
        variables,
      }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as JsonResponse['body'] };
  }

  test('revoked through one instance\'s admin API: refused by both within a second', async (t) => {
    const token = await provider.clientCredentialsToken({ scope: 'orders:read' });
    const { jti, exp } = decodeJwt(token);
    assert.equal(typeof jti, 'string', 'the provider gives its JWTs a jti');
    for (const url of instances()) await assertAccepted(url, token);

    const start = performance.now();
    const answer = await adminRevoke(demo.gateway.url, { jti, at: new Date(Number(exp) * 1000).toISOString() });
    const answered = performance.now();
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.deepEqual(answer.body.data, { revokeToken: { jti, expiresAt: new Date(Number(exp) * 1000).toISOString(), reach: 'EVERY_INSTANCE' } });
    // Polled at once, so the figures are upper bounds: one query round trip each.
    const there = await refusedAfter(second.url, token, answered);
    const here = await refusedAfter(demo.gateway.url, token, answered);
    t.diagnostic(`admin API revocation: answered in ${(answered - start).toFixed(1)} ms; then refused by the other instance within ${there.toFixed(1)} ms, by the same within ${here.toFixed(1)} ms`);
    assert.ok(answered - start + there < 1000, `refused by the other instance ${answered - start + there} ms after the call`);

    // Another token of the same client is not affected.
    await assertAccepted(second.url, await provider.clientCredentialsToken({ scope: 'orders:read' }));
  });

  test('revoked with `openclaw tokens revoke` (the real bin): refused by both instances within a second of its exit', async (t) => {
    const token = await provider.clientCredentialsToken({ scope: 'orders:read' });
    const { jti, exp } = decodeJwt(token);
    for (const url of instances()) await assertAccepted(url, token);

    const run = await openclaw(['tokens', 'revoke', '--expires-at', String(exp), '--json', '--config', 'openclaw.config.json', '--', String(jti)], configDir);
    const exited = performance.now();
    assert.equal(run.code, 0, run.stderr);
    const printed = JSON.parse(run.stdout) as { ok: boolean; jti: string; expiresAt: string; instancesNotified: number };
    assert.deepEqual(printed, { ok: true, jti, expiresAt: new Date(Number(exp) * 1000).toISOString(), instancesNotified: 2 });
    const delays = [];
    for (const url of instances()) delays.push(await refusedAfter(url, token, exited));
    t.diagnostic(`CLI revocation: refused by the two instances ${delays.map((ms) => `${ms.toFixed(1)} ms`).join(' and ')} after the command exited`);
    for (const ms of delays) assert.ok(ms < 1000, `refused ${ms} ms after the CLI exited`);
  });

  test('an instance started after a revocation loads it and refuses the token from its first request', async () => {
    const token = await provider.clientCredentialsToken({ scope: 'orders:read' });
    const { jti } = decodeJwt(token);
    const answer = await adminRevoke(second.url, { jti, in: '10m' });
    assert.equal(answer.body.errors, undefined, JSON.stringify(answer.body.errors));
    const third = await startGateway(demo.config);
    extra.push(third);
    const { status, body } = await ask(third.url, token);
    assert.equal(status, 401);
    assert.equal(body.errors?.[0]?.extensions?.reason, 'revoked');
  });

  test('an opaque token one instance finds inactive is refused by the other, which had it cached as active', async (t) => {
    const token = await provider.opaqueToken({ scope: 'orders:read' });
    await assertAccepted(second.url, token); // cached there as active for 60 s
    await provider.revoke(token);
    const start = performance.now();
    const first = await ask(demo.gateway.url, token); // asks the provider: inactive
    assert.equal(first.status, 401);
    assert.equal(first.body.errors?.[0]?.extensions?.reason, 'inactive');
    const there = await refusedAfter(second.url, token, start);
    t.diagnostic(`inactive opaque token: refused by the other instance after ${there.toFixed(1)} ms`);
    assert.ok(there < 1000);
  });

  test('the admin API checks its input: BAD_USER_INPUT naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string, RegExp]> = [
      [{ jti: 'abc' }, 'expiresAt', /Give exactly one of expiresAt/],
      [{ jti: 'abc', at: '2030-01-01T00:00:00Z', in: '1h' }, 'expiresIn', /Give exactly one/],
      [{ jti: 'abc', at: '2001-01-01T00:00:00Z' }, 'expiresAt', /not in the future/],
      [{ jti: 'abc', at: String(Date.now()) }, 'expiresAt', /milliseconds\?/],
      [{ jti: 'abc', at: 'tomorrow' }, 'expiresAt', /ISO 8601 time/],
      [{ jti: 'abc', in: 'soon' }, 'expiresIn', /duration like "1h"/],
      [{ jti: '', in: '1h' }, 'jti', /jti must be the token's "jti" claim/],
      [{ jti: 'a b', in: '1h' }, 'jti', /visible ASCII/],
    ];
    for (const [variables, field, message] of cases) {
      const { status, body } = await adminRevoke(demo.gateway.url, variables);
      assert.equal(status, 200);
      assert.equal(body.data, null);
      assert.deepEqual(body.errors?.[0]?.extensions, { code: 'BAD_USER_INPUT', field }, JSON.stringify(variables));
      assert.match(body.errors?.[0]?.message ?? '', message);
    }
    const refused = await fetch(new URL('/admin/graphql', demo.gateway.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-the-admin-token-0123456789-0123456789' },
      body: JSON.stringify({ query: 'mutation { revokeToken(jti: "x", expiresIn: "1h") { jti } }' }),
    });
    assert.equal(refused.status, 401, 'only the admin may revoke');
  });
});

describe('revocation without Redis', () => {
  let provider: TestOidcProvider;
  let demo: DemoGateway;

  before(async () => {
    provider = await startOidcProvider();
    demo = await startDemoGateway({ auth: authFor(provider), admin: { token: ADMIN_TOKEN } });
  });
  after(async () => {
    await demo?.close();
    await provider?.close();
  });

  test('the admin API revokes on its own instance and says so', async () => {
    const token = await provider.clientCredentialsToken({ scope: 'orders:read' });
    const { jti } = decodeJwt(token);
    const response = await fetch(new URL('/admin/graphql', demo.gateway.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ query: `mutation { revokeToken(jti: "${String(jti)}", expiresIn: "5m") { reach } }` }),
    });
    assert.deepEqual(await response.json(), { data: { revokeToken: { reach: 'THIS_INSTANCE' } } });
    const { status, body } = await demo.query(QUERY.query, undefined, { authorization: `Bearer ${token}` });
    assert.equal(status, 401);
    assert.equal(body.errors?.[0]?.extensions?.reason, 'revoked');
  });
});
