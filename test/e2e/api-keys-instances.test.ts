/**
 * Two gateway instances behind one load balancer must behave as one (ARCHITECTURE.md,
 * "Scale-out"), through HTTP:
 *
 * - a key revoked on one (admin API) or by the CLI is refused by the other within one second:
 *   through Redis pub/sub, or without Redis by each instance's check of the store;
 * - with Redis, a key limited to N per window, sent 4N concurrent requests spread over both,
 *   is admitted exactly N times; the refusals get 429 with `Retry-After` and the `RateLimit`
 *   headers, and spend nothing: once the admitted requests leave the window, the full quota
 *   is back, however many refusals came meanwhile.
 *
 * The delays measured are printed as test diagnostics.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { main } from '../../gateway/src/cli/main.js';
import { startGateway, type RunningGateway } from '../../gateway/src/index.js';
import { ADMIN_TOKEN, LOOPBACK_PROXIES, admin, call, captureLogger, createKeyOver, within, type Call } from '../support/api-keys-e2e.js';
import { startDemoGateway, type DemoGateway } from '../support/demo-gateway.js';
import { freshRedisPrefix, freshStoreLocation, TEST_REDIS_URL, type StoreKind, type StoreLocation } from '../support/stores.js';

const QUERY = '{ __typename }';

const SETUPS: Array<{ title: string; kind: StoreKind; redis: boolean }> = [
  { title: 'the embedded store and Redis', kind: 'embedded', redis: true },
  { title: 'PostgreSQL and Redis', kind: 'postgres', redis: true },
  { title: 'the embedded store without Redis (each instance checks the store every 500 ms)', kind: 'embedded', redis: false },
];

/** The remaining count `r` of a `RateLimit` header. */
function remainingOf(response: Call): number {
  return Number(/^"key";r=(\d+);t=\d+$/.exec(response.headers.get('ratelimit') ?? '')?.[1] ?? Number.NaN);
}

/** A 429 as the rate limit answers it: the code, `Retry-After`, both `RateLimit` headers. */
function assertLimited(response: Call, policy: string, maxRetrySeconds: number): void {
  assert.equal(response.status, 429, response.raw);
  assert.equal(response.body.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
  const retryAfter = Number(response.headers.get('retry-after'));
  assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= maxRetrySeconds, `Retry-After ${response.headers.get('retry-after')}`);
  assert.equal(response.body.errors?.[0]?.extensions?.retryAfterSeconds, retryAfter);
  assert.equal(response.headers.get('ratelimit-policy'), policy);
  assert.equal(remainingOf(response), 0);
}

for (const setup of SETUPS) {
  describe(`two gateway instances on ${setup.title}`, () => {
    let location: StoreLocation;
    let demo: DemoGateway;
    let second: RunningGateway;
    let urls: [string, string];
    const cleanups: Array<() => Promise<void>> = [];

    before(async () => {
      location = await freshStoreLocation(setup.kind);
      const redis = freshRedisPrefix();
      cleanups.push(() => location.cleanup(), () => redis.cleanup());
      const logger = captureLogger();
      demo = await startDemoGateway(
        {
          server: { trustedProxies: LOOPBACK_PROXIES },
          store: { ...location.config, ...(setup.redis ? { redisUrl: TEST_REDIS_URL, redisPrefix: redis.prefix } : {}) },
          admin: { token: ADMIN_TOKEN },
        },
        { logger },
      );
      cleanups.push(() => demo.close());
      second = await startGateway(demo.config, { logger });
      cleanups.push(() => second.close());
      urls = [demo.gateway.url, second.url];
    });

    after(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
    });

    test('a key revoked on one instance, or by the CLI, is refused by the other within one second; other keys go on', async (t) => {
      const bystander = await createKeyOver(demo.origin, { name: 'bystander' });
      const delays: number[] = [];
      for (let round = 0; round < 5; round += 1) {
        const key = await createKeyOver(demo.origin, { name: `revoked ${round}` });
        // Both instances have the key cached, as they would after its first requests.
        for (const url of urls) for (let i = 0; i < 2; i += 1) assert.equal((await call(url, QUERY, key.key)).status, 200);
        const byCli = round % 2 === 1;
        if (byCli) {
          let out = '';
          const env = { OPENCLAW_DATA_DIR: location.config.dataDir, ...(location.config.databaseUrl ? { OPENCLAW_DATABASE_URL: location.config.databaseUrl } : {}) };
          // The CLI reads the Redis settings from the project's config, as the gateways do.
          const redis = demo.config.store.redisUrl === undefined ? [] : ['--config', await writeRedisConfig(location, demo.config.store.redisUrl, demo.config.store.redisPrefix)];
          const code = await main(['keys', 'revoke', key.id, ...redis], { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (out += s) }, env, cwd: location.config.dataDir });
          assert.equal(code, 0, out);
        } else {
          await admin(demo.origin, 'mutation ($id: ID!) { revokeApiKey(id: $id) { status } }', { id: key.id });
        }
        // The instance whose admin API revoked the key refuses it at once; the other one (and
        // both, after the CLI) within a second.
        const [delay, own] = await Promise.all([
          within(1000, async () => (await call(urls[1], QUERY, key.key)).status === 401),
          byCli ? within(1000, async () => (await call(urls[0], QUERY, key.key)).status === 401) : call(urls[0], QUERY, key.key).then((response) => {
            assert.equal(response.status, 401, 'refused at once by the instance that revoked it');
            return 0;
          }),
        ]);
        delays.push(delay, own);
        for (const url of urls) assert.equal((await call(url, QUERY, key.key)).body.errors?.[0]?.extensions?.reason, 'revoked');
        for (const url of urls) assert.equal((await call(url, QUERY, bystander.key)).status, 200);
        t.diagnostic(`${setup.title}: revoked by ${byCli ? 'the CLI, refused by the first instance after ' + own.toFixed(0) + ' ms and' : 'the admin API of the first instance, refused'} by the second after ${delay.toFixed(0)} ms`);
      }
      t.diagnostic(`${setup.title}: revocation to refusal, max ${Math.max(...delays).toFixed(0)} ms over ${delays.length / 2} keys and both instances`);
    });

    if (!setup.redis) return;

    test('a key limited to N per window, sent 4N concurrent requests over both instances, is admitted exactly N times; refusals get 429 with Retry-After and RateLimit headers', async () => {
      const n = 20;
      const key = await createKeyOver(demo.origin, { name: 'exact N', rateLimit: `${n}/min` });
      const responses = await Promise.all(Array.from({ length: 4 * n }, (_, i) => call(urls[i % 2] as string, QUERY, key.key)));
      const admitted = responses.filter((response) => response.status === 200);
      const refused = responses.filter((response) => response.status !== 200);
      assert.equal(admitted.length, n, 'exactly N admitted');
      // Each admission left a different count: N decisions made one at a time, across both.
      assert.deepEqual(admitted.map(remainingOf).sort((x, y) => x - y), Array.from({ length: n }, (_, i) => i));
      for (const response of admitted) assert.equal(response.headers.get('ratelimit-policy'), `"key";q=${n};w=60`);
      assert.equal(refused.length, 3 * n);
      for (const response of refused) assertLimited(response, `"key";q=${n};w=60`, 61);
      assert.ok(new Set(refused.map((response) => response.headers.get('x-request-id'))).size === 3 * n);
      // Both instances took part in admitting and refusing.
      assert.ok([0, 1].every((parity) => responses.some((response, i) => i % 2 === parity && response.status === 200)));
    });

    test('refused requests spend nothing: after the admitted ones leave the window the whole quota is back, whatever was refused meanwhile', async () => {
      const n = 5;
      const windowMs = 3000;
      const key = await createKeyOver(demo.origin, { name: 'backs off', rateLimit: `${n}/3s` });
      const burst = (count: number) => Promise.all(Array.from({ length: count }, (_, i) => call(urls[i % 2] as string, QUERY, key.key)));

      const first = await burst(4 * n);
      const lastAdmitted = performance.now();
      assert.equal(first.filter((response) => response.status === 200).length, n);
      // Half a window later, a client that does not back off: every request refused.
      await sleep(500);
      const hammering = performance.now();
      const refusedBurst = await burst(4 * n);
      for (const response of refusedBurst) assertLimited(response, `"key";q=${n};w=3`, 4);
      // Once the first burst's admissions have left the window (one 30 ms slot after it), the
      // whole quota is back. Had the refusals counted (as Tyk counts them), the second burst
      // would fill the window until `hammering + window`, later than now.
      await sleep(Math.max(0, lastAdmitted + windowMs + 30 + 150 - performance.now()));
      assert.ok(performance.now() < hammering + windowMs, 'still inside the window of the refused burst');
      const back = await burst(n + 1);
      assert.equal(back.filter((response) => response.status === 200).length, n, 'the whole quota, and no more');
    });
  });
}

/** A config file in `location`'s folder giving the CLI the gateways' Redis settings. */
async function writeRedisConfig(location: StoreLocation, redisUrl: string, redisPrefix: string): Promise<string> {
  const file = join(location.config.dataDir, 'cli.config.ts');
  await writeFile(file, `export default { store: { redisUrl: ${JSON.stringify(redisUrl)}, redisPrefix: ${JSON.stringify(redisPrefix)} } };\n`);
  return file;
}
