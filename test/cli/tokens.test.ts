/**
 * `openclaw tokens revoke` in-process: help, bad usage (exit 2), the refusal to run without
 * Redis (exit 1, pointing at the admin API), Redis unreachable, and a revocation written to
 * the real Redis under the deployment's prefix and announced on its channel. The end-to-end
 * test with two running gateways is test/e2e/tokens-revocation.test.ts.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { main } from '../../gateway/src/cli/main.js';
import { freshRedisPrefix, TEST_REDIS_URL, tempDir } from '../support/stores.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], env: NodeJS.ProcessEnv = {}, cwd?: string): Promise<Run> {
  let dir = cwd;
  if (dir === undefined) {
    const made = await tempDir();
    cleanups.push(() => made.remove());
    dir = made.path;
  }
  let stdout = '';
  let stderr = '';
  const code = await main(['tokens', ...argv], {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env,
    cwd: dir,
  });
  return { code, stdout, stderr };
}

test('tokens --help and tokens revoke --help say what it does, how it reaches gateways, and the options', async () => {
  const top = await run(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /^ {2}revoke {3}Refuse a token, by its jti, on every running gateway until its exp$/m);
  const help = await run(['revoke', '--help']);
  assert.equal(help.code, 0);
  for (const text of ['--expires-at TIME', '--expires-in TIME', '-c, --config FILE', '--json', 'Redis', 'admin API', 'revokeToken', 'Examples:', 'after "--"']) {
    assert.ok(help.stdout.includes(text), text);
  }
  assert.equal((await run([])).code, 2, '`openclaw tokens` alone is bad usage');
  const listed = await main(['--help'], { stdout: { write: (chunk: string) => assert.match(chunk, /^ {2}tokens {2}Revoke a bearer token/m) }, stderr: { write: () => undefined } });
  assert.equal(listed, 0);
});

test('bad usage is one line naming the problem, exit 2', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['revoke', '--expires-in', '1h'], /^error: missing the token's jti \(openclaw tokens revoke JTI --expires-at TIME\)\. Run openclaw tokens revoke --help\n$/],
    [['revoke', 'abc'], /^error: Give exactly one of --expires-at \(the token's exp\) and --expires-in/],
    [['revoke', 'abc', '--expires-in', '1h', '--expires-at', '2030-01-01T00:00:00Z'], /exactly one of --expires-at/],
    [['revoke', 'abc', '--expires-at', '2001-01-01T00:00:00Z'], /--expires-at 2001-01-01T00:00:00\.000Z is not in the future/],
    [['revoke', 'abc', '--expires-at', String(Date.now())], /too large for seconds since the epoch \(milliseconds\?\)/],
    [['revoke', 'abc', '--expires-in', 'soon'], /--expires-in must be a duration like "1h"/],
    [['revoke', 'abc', 'def', '--expires-in', '1h'], /unexpected argument "def" \(openclaw tokens revoke takes one jti\)/],
    [['revoke', '-Xq3v', '--expires-in', '1h'], /unknown option "-X" \(a jti starting with "-" goes after "--"/],
    [['revoke', 'abc', '--expires-in', '1h', '--ttl', '5'], /unknown option "--ttl"/],
    [['revoek'], /unknown tokens command "revoek" \(did you mean "revoke"\?\)/],
  ];
  for (const [argv, expected] of cases) {
    const result = await run(argv);
    assert.equal(result.code, 2, argv.join(' '));
    assert.equal(result.stdout, '');
    assert.match(result.stderr, expected, argv.join(' '));
    assert.equal(result.stderr.split('\n').length, 2, 'one line');
  }
});

test('without Redis it refuses and says to use the admin API of each gateway (exit 1, CONFIG_INVALID)', async () => {
  const text = await run(['revoke', 'abc', '--expires-in', '1h']);
  assert.equal(text.code, 1);
  assert.match(text.stderr, /^error\[CONFIG_INVALID\]: openclaw tokens revoke reaches running gateways through Redis, and none is configured \(store\.redisUrl or OPENCLAW_REDIS_URL\)\./);
  assert.match(text.stderr, /revoke the token on every gateway instance through its admin API \(POST \/admin\/graphql/);
  const json = await run(['revoke', 'abc', '--expires-in', '1h', '--json']);
  assert.equal(json.code, 1);
  assert.equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, 'CONFIG_INVALID');
});

test('Redis configured but unreachable: STORE_UNAVAILABLE, exit 1', async () => {
  const result = await run(['revoke', 'abc', '--expires-in', '1h'], { OPENCLAW_REDIS_URL: 'redis://127.0.0.1:1' });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /^error\[STORE_UNAVAILABLE\]: Redis at redis:\/\/127\.0\.0\.1:1 could not be reached/);
});

test('with Redis: stored under the deployment\'s prefix until the time given, and announced to running gateways', async () => {
  const redis = freshRedisPrefix();
  cleanups.push(() => redis.cleanup());
  const dir = await tempDir();
  cleanups.push(() => dir.remove());
  await writeFile(join(dir.path, 'openclaw.config.json'), JSON.stringify({ store: { redisPrefix: redis.prefix } }));
  const subscriber = new Redis(TEST_REDIS_URL);
  cleanups.push(async () => void subscriber.disconnect());
  const announced: string[] = [];
  subscriber.on('message', (_channel: string, message: string) => announced.push(message));
  await subscriber.subscribe(`${redis.prefix}tokens:revocations`);

  const exp = Math.floor(Date.now() / 1000) + 3600;
  const result = await run(['revoke', '--expires-at', String(exp), '--config', 'openclaw.config.json', '--', '-jti-1'], { OPENCLAW_REDIS_URL: TEST_REDIS_URL }, dir.path);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout, `Revoked token -jti-1 until ${new Date(exp * 1000).toISOString()}.\n1 running gateway instance was notified and refuses it now; instances started later load it from Redis.\n`);

  const reader = new Redis(TEST_REDIS_URL);
  cleanups.push(async () => void reader.disconnect());
  assert.deepEqual(await reader.zrange(`${redis.prefix}tokens:revoked`, '0', '-1', 'WITHSCORES'), ['-jti-1', String(exp)]);
  while (announced.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(announced.map((message) => JSON.parse(message) as unknown), [{ id: '-jti-1', exp }]);

  const json = await run(['revoke', 'jti-2', '--expires-in', '15m', '--json', '-c', 'openclaw.config.json'], { OPENCLAW_REDIS_URL: TEST_REDIS_URL }, dir.path);
  const printed = JSON.parse(json.stdout) as { ok: boolean; jti: string; expiresAt: string; instancesNotified: number };
  assert.equal(printed.ok, true);
  assert.equal(printed.jti, 'jti-2');
  assert.equal(printed.instancesNotified, 1);
  assert.ok(Math.abs(Date.parse(printed.expiresAt) - (Date.now() + 15 * 60_000)) < 5000);
});
