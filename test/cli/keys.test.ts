/**
 * `openclaw keys`: every subcommand in-process (output, --json, exit codes, messages), then the
 * real bin in its own process while a "gateway" (the same services a gateway builds, with a
 * warm cache) has the store open: its keys work there, and its revocations reach it within a
 * second, over the embedded file, PostgreSQL, and PostgreSQL with Redis.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { createApiKeyServices } from '../../gateway/src/auth/api-keys/index.js';
import { main } from '../../gateway/src/cli/main.js';
import { isGatewayError } from '../../gateway/src/errors/index.js';
import { BIN, cleanEnv } from '../support/cli.js';
import { freshRedisPrefix, freshStoreLocation, keySettings, TEST_REDIS_URL, tempDir, type StoreKind } from '../support/stores.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  // Each cleanup runs even if an earlier one fails: the services are shared with other runs.
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error(error));
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A fresh project folder (no schema: `keys` does not need one) with its own data dir. */
async function project(): Promise<{ dir: string; run(argv: string[]): Promise<Run> }> {
  const dir = await tempDir();
  cleanups.push(() => dir.remove());
  return {
    dir: dir.path,
    async run(argv) {
      let stdout = '';
      let stderr = '';
      const code = await main(['keys', ...argv], {
        stdout: { write: (chunk: string) => (stdout += chunk) },
        stderr: { write: (chunk: string) => (stderr += chunk) },
        env: {},
        cwd: dir.path,
      });
      return { code, stdout, stderr };
    },
  };
}

function parse<T = Record<string, unknown>>(run: Run): T {
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as T;
}

test('keys create prints the key once; --json gives the record with id and key', async () => {
  const { run, dir } = await project();
  const human = await run(['create', '--name', 'Partner A', '--scopes', 'catalog:read', '--rate-limit', '100/min']);
  assert.equal(human.code, 0, human.stderr);
  const key = /^ {2}(ocw_live_[0-9A-Za-z]{38})$/m.exec(human.stdout)?.[1];
  assert.ok(key, human.stdout);
  assert.match(human.stdout, /^This is the only time the key is shown: store it now\./m);
  assert.match(human.stdout, /^rate limit {3}100\/min$/m);
  assert.match(human.stdout, /^cost limit {3}\(none\)$/m);

  const created = parse<{ id: string; key: string; name: string; scopes: string[]; rateLimit: unknown; allowedIps: string[]; environment: string; expiresAt: string; status: string; owner: string }>(
    await run(['create', '--name', 'Partner B', '--owner', 'partner-b', '--scopes', 'catalog:read, orders:read', '--rate-limit', '500/min',
      '--allow-ip', '203.0.113.0/24', '--allow-ip', '2001:db8::/32', '--expires-in', '30d', '--test', '--json']),
  );
  assert.match(created.id, /^key_[0-9A-Za-z]{16}$/);
  assert.match(created.key, /^ocw_test_[0-9A-Za-z]{38}$/);
  assert.equal(created.owner, 'partner-b');
  assert.deepEqual(created.scopes, ['catalog:read', 'orders:read']);
  assert.deepEqual(created.rateLimit, { limit: 500, windowMs: 60_000, text: '500/min' });
  assert.deepEqual(created.allowedIps, ['203.0.113.0/24', '2001:db8::/32']);
  assert.equal(created.status, 'active');
  assert.ok(Date.parse(created.expiresAt) - Date.now() > 29 * 86_400_000);

  // Nothing shows the key again.
  const listed = await run(['list', '--json']);
  assert.ok(!listed.stdout.includes(created.key) && !listed.stdout.includes(key));
  const shown = await run(['show', created.id]);
  assert.ok(!shown.stdout.includes(created.key.slice(17)));
  assert.match(shown.stdout, /^usage {8}0 requests, 0 errors since \d{4}-\d\d-\d\d$/m);
  // Without a config, the embedded store lives in .openclaw/ in the working directory.
  assert.ok((await stat(join(dir, '.openclaw', 'openclaw.db'))).isFile());
});

test('keys list searches by name, owner, prefix and status; show, update, rotate and revoke', async () => {
  const { run } = await project();
  const a = parse<{ id: string; prefix: string }>(await run(['create', '--name', 'Partner A', '--owner', 'acme', '--json']));
  const b = parse<{ id: string; prefix: string; key: string }>(await run(['create', '--name', 'Partner B', '--owner', 'bolt', '--json']));
  const ids = (r: Run) => parse<Array<{ id: string }>>(r).map((record) => record.id);
  assert.deepEqual(ids(await run(['list', '--json'])), [b.id, a.id]);
  assert.deepEqual(ids(await run(['list', '--name', 'partner a', '--json'])), [a.id]);
  assert.deepEqual(ids(await run(['list', '--owner', 'bolt', '--json'])), [b.id]);
  assert.deepEqual(ids(await run(['list', '--prefix', b.prefix.slice(0, 13), '--json'])), [b.id]);
  assert.deepEqual(ids(await run(['list', '--limit', '1', '--json'])), [b.id]);
  const table = await run(['list', '--owner', 'acme']);
  assert.match(table.stdout, /^ID +NAME +OWNER +PREFIX +STATUS +SCOPES +RATE LIMIT +EXPIRES +LAST USED$/m);
  assert.match(table.stdout, new RegExp(`^${a.id} +Partner A +acme +${a.prefix} +active +- +- +never +never$`, 'm'));
  assert.equal((await run(['list', '--owner', 'nobody'])).stdout, 'No API keys match.\n');

  const updated = parse<{ scopes: string[]; rateLimit: { text: string }; allowedIps: string[]; owner: string | null }>(
    await run(['update', a.id, '--scopes', 'orders:read', '--rate-limit', '10/s', '--allow-ip', '10.0.0.0/8', '--no-owner', '--json']),
  );
  assert.deepEqual([updated.scopes, updated.rateLimit.text, updated.allowedIps, updated.owner], [['orders:read'], '10/s', ['10.0.0.0/8'], null]);
  const cleared = parse<{ rateLimit: unknown; allowedIps: string[] }>(await run(['update', a.id, '--rate-limit', 'none', '--allow-any-ip', '--json']));
  assert.deepEqual([cleared.rateLimit, cleared.allowedIps], [null, []]);
  const budgeted = parse<{ costLimit: unknown }>(await run(['update', a.id, '--cost-limit', '5000/min', '--json']));
  assert.deepEqual(budgeted.costLimit, { limit: 5000, windowMs: 60_000, text: '5000/min' });
  assert.match((await run(['show', a.id])).stdout, /^cost limit {3}5000\/min$/m);
  assert.equal(parse<{ costLimit: unknown }>(await run(['update', a.id, '--cost-limit', 'none', '--json'])).costLimit, null);
  const withBudget = parse<{ costLimit: unknown; rateLimit: unknown }>(await run(['create', '--name', 'Budget', '--rate-limit', '600/min', '--cost-limit', '5000/min', '--json']));
  assert.deepEqual([withBudget.rateLimit, withBudget.costLimit], [{ limit: 600, windowMs: 60_000, text: '600/min' }, { limit: 5000, windowMs: 60_000, text: '5000/min' }]);
  const badBudget = await run(['update', a.id, '--cost-limit', 'lots']);
  assert.equal(badBudget.code, 2, badBudget.stderr);
  assert.match(badBudget.stderr, /Invalid rate limit "lots": expected <count>\/<window>/);
  const trusted = parse<{ trustedDocumentsOnly: boolean }>(await run(['update', a.id, '--trusted-documents-only', '--json']));
  assert.equal(trusted.trustedDocumentsOnly, true);
  assert.match((await run(['show', a.id])).stdout, /^documents +trusted only \(persistedDocuments\.manifest\)$/m);
  const anyDocument = parse<{ trustedDocumentsOnly: boolean }>(await run(['update', a.id, '--allow-any-document', '--json']));
  assert.equal(anyDocument.trustedDocumentsOnly, false);
  const both = await run(['update', a.id, '--trusted-documents-only', '--allow-any-document']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--trusted-documents-only and --allow-any-document cannot be used together/);
  const createdTrusted = parse<{ trustedDocumentsOnly: boolean }>(await run(['create', '--name', 'mobile', '--trusted-documents-only', '--json']));
  assert.equal(createdTrusted.trustedDocumentsOnly, true);

  const rotated = parse<{ id: string; key: string; prefix: string; replaced: Array<{ prefix: string; endsAt: string }> }>(
    await run(['rotate', b.id, '--grace', '1h', '--json']),
  );
  assert.equal(rotated.id, b.id);
  assert.notEqual(rotated.key, b.key);
  assert.equal(rotated.prefix, rotated.key.slice(0, 17));
  assert.equal(rotated.replaced[0]?.prefix, b.prefix);
  assert.ok(Math.abs(Date.parse(rotated.replaced[0]?.endsAt ?? '') - (Date.now() + 3_600_000)) < 60_000);

  const revoked = await run(['revoke', b.id]);
  assert.match(revoked.stdout, new RegExp(`^Revoked API key ${b.id} \\(Partner B\\) at \\d{4}-.*Z\\.$`, 'm'));
  assert.deepEqual(ids(await run(['list', '--status', 'revoked', '--json'])), [b.id]);
  const shown = parse<{ status: string; usage: { requests: number; days: unknown[] } }>(await run(['show', b.id, '--days', '7', '--json']));
  assert.equal(shown.status, 'revoked');
  assert.deepEqual(shown.usage.days, []);
});

test('run-time errors exit 1 with error[CODE]; bad usage exits 2 naming the problem and the help', async () => {
  const { run } = await project();
  const { id } = parse<{ id: string }>(await run(['create', '--name', 'x', '--json']));
  assert.deepEqual(await run(['show', 'key_nope']), { code: 1, stdout: '', stderr: 'error[NOT_FOUND]: No API key has the id "key_nope".\n' });
  const json = await run(['revoke', 'key_nope', '--json']);
  assert.equal(json.code, 1);
  assert.deepEqual(JSON.parse(json.stdout), { ok: false, error: { code: 'NOT_FOUND', message: 'No API key has the id "key_nope".' } });
  const badIp = await run(['create', '--name', 'x', '--allow-ip', '10.0.0.256']);
  assert.equal(badIp.code, 1);
  assert.match(badIp.stderr, /^error\[BAD_USER_INPUT\]: allowed IPs: "10\.0\.0\.256" is not an IPv4 or IPv6 address or CIDR/);
  await run(['revoke', id]);
  assert.match((await run(['rotate', id])).stderr, /^error\[BAD_USER_INPUT\]: API key key_\w+ is revoked; only an active key can be rotated/);

  const usage: Array<[string[], string]> = [
    [['create'], 'error: missing --name (what the key is for). Run openclaw keys create --help'],
    [['create', '--name', 'x', '--rate-limit', 'fast'], 'error: Invalid rate limit "fast": expected <count>/<window>, such as "100/min", "10/s", "5000/h" or "100/30s". Run openclaw keys create --help'],
    [['update', id, '--rate-limit', '1/366d'], 'error: Invalid rate limit "1/366d": the window must be from 1 ms to 365 days. Run openclaw keys update --help'],
    [['create', '--name', 'x', '--expires-in', '0'], 'error: invalid value for --expires-in: "0" (expected a duration like "30d", "24h", "90m", "2s" (units ms, s, m, h, d, w)). Run openclaw keys create --help'],
    [['create', '--name', 'x', '--expire-in', '2d'], 'error: unknown option "--expire-in" (did you mean "--expires-in"?). Run openclaw keys create --help'],
    [['create', '--name', 'x', 'extra'], 'error: unexpected argument "extra" (openclaw keys create takes options only). Run openclaw keys create --help'],
    [['rotate', id, '--grace', 'soon'], 'error: invalid value for --grace: "soon" (expected a duration like "30d", "24h", "90m", "2s" or "0" (units ms, s, m, h, d, w)). Run openclaw keys rotate --help'],
    [['show'], 'error: missing the key id (openclaw keys show ID). Run openclaw keys show --help'],
    [['show', 'a', 'b'], 'error: unexpected argument "b" (openclaw keys show takes one key id). Run openclaw keys show --help'],
    [['show', id, '--days', '0'], 'error: invalid value for --days: "0" (expected an integer from 1 to 366). Run openclaw keys show --help'],
    [['list', '--status', 'gone'], 'error: invalid value for --status: "gone" (expected active, expired or revoked). Run openclaw keys list --help'],
    [['update', id], 'error: nothing to change: give at least one option. Run openclaw keys update --help'],
    [['update', id, '--owner', 'o', '--no-owner'], 'error: --owner and --no-owner cannot be used together. Run openclaw keys update --help'],
    [['revok', id], 'error: unknown keys command "revok" (did you mean "revoke"?). Run openclaw keys --help'],
  ];
  for (const [argv, line] of usage) assert.deepEqual(await run(argv), { code: 2, stdout: '', stderr: `${line}\n` }, argv.join(' '));
});

test('keys --help lists the commands; each has help with its options and examples; openclaw help keys', async () => {
  const { run } = await project();
  const top = await run(['--help']);
  assert.equal(top.code, 0);
  for (const word of ['create', 'list', 'show', 'update', 'rotate', 'revoke', 'Examples:', 'Exit codes:']) assert.ok(top.stdout.includes(word), word);
  const expected: Record<string, string[]> = {
    create: ['--name NAME', '--scopes A,B', '--owner OWNER', '--rate-limit RATE', '--allow-ip CIDR', '--expires-in TIME', '--trusted-documents-only', '--test', '--json', '-c, --config FILE'],
    list: ['--name TEXT', '--owner OWNER', '--prefix PREFIX', '--status STATUS', '--limit N', '--json'],
    show: ['--days N', '--json'],
    update: ['--no-owner', '--allow-any-ip', '--no-expiry', '--rate-limit RATE', '--trusted-documents-only', '--allow-any-document'],
    rotate: ['--grace TIME', 'Default: apiKeys.rotationGraceMs from the config, else 24h.'],
    revoke: ['--json'],
  };
  for (const [name, flags] of Object.entries(expected)) {
    const help = await run([name, '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, new RegExp(`^Usage: openclaw keys ${name} `, 'm'));
    for (const flag of [...flags, 'Examples:']) assert.ok(help.stdout.includes(flag), `${name}: ${flag}`);
  }
  let stdout = '';
  await main(['help', 'keys'], { stdout: { write: (chunk: string) => (stdout += chunk) }, stderr: { write: () => true }, env: {} });
  assert.equal(stdout, top.stdout);
  let topHelp = '';
  await main(['--help'], { stdout: { write: (chunk: string) => (topHelp += chunk) }, stderr: { write: () => true }, env: {} });
  assert.match(topHelp, /^ {2}keys {4}Manage API keys/m);
});

test('keys reads the store from the config file (store.dataDir)', async () => {
  const { run, dir } = await project();
  await writeFile(join(dir, 'openclaw.config.ts'), "export default { store: { dataDir: 'state' } };\n");
  const { id } = parse<{ id: string }>(await run(['create', '--name', 'from config', '--json']));
  const location = { config: { dataDir: join(dir, 'state') } };
  const { openStore } = await import('../../gateway/src/store/index.js');
  const store = await openStore(location.config);
  try {
    assert.equal((await store.getKey(id))?.name, 'from config');
  } finally {
    await store.close();
  }
});

/** Runs the real bin (`openclaw keys ...`) in its own process with `env` added. */
async function bin(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, 'keys', ...argv], { cwd, env: { ...cleanEnv(), ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as Run;
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const WHILE_RUNNING: Array<[string, StoreKind, boolean]> = [
  ['the embedded file', 'embedded', false],
  ['PostgreSQL', 'postgres', false],
  ['PostgreSQL with Redis (store checked only every 60 s)', 'postgres', true],
];

for (const [title, kind, redis] of WHILE_RUNNING) {
  test(`the CLI works while a gateway runs on ${title}: its new keys work there, its revocations reach it within a second`, async () => {
    const location = await freshStoreLocation(kind);
    const prefix = freshRedisPrefix();
    cleanups.push(() => location.cleanup(), () => prefix.cleanup());
    const settings = keySettings(location, {
      changePollMs: 50,
      hashSecret: 'cli-and-gateway-share-this-secret-0123456789',
      ...(redis ? { redisUrl: TEST_REDIS_URL, redisPrefix: prefix.prefix } : {}),
    });
    const gateway = await createApiKeyServices(settings, { store: await location.open(), ...(redis ? { backstopPollMs: 60_000 } : {}) });
    cleanups.push(() => gateway.close());
    const env: NodeJS.ProcessEnv = {
      OPENCLAW_DATA_DIR: location.config.dataDir,
      OPENCLAW_API_KEY_SECRET: settings.apiKeys.hashSecret,
      ...(location.config.databaseUrl === undefined ? {} : { OPENCLAW_DATABASE_URL: location.config.databaseUrl }),
    };
    const cwd = location.config.dataDir;
    // With Redis, the CLI is told the prefix through a config file (there is no variable for it).
    if (redis) {
      await writeFile(join(cwd, 'openclaw.config.ts'), `export default { store: { redisUrl: ${JSON.stringify(TEST_REDIS_URL)}, redisPrefix: ${JSON.stringify(prefix.prefix)} } };\n`);
    }

    const created = await bin(['create', '--name', 'from the CLI', '--scopes', 'orders:read', '--json'], cwd, env);
    assert.equal(created.code, 0, created.stderr);
    const { id, key } = JSON.parse(created.stdout) as { id: string; key: string };
    const principal = await gateway.verifier.verify(key, undefined, Date.now());
    assert.deepEqual([principal.keyId, [...principal.scopes]], [id, ['orders:read']]);

    const revoked = await bin(['revoke', id], cwd, env);
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.equal(revoked.stderr, '', 'no warning: the change was announced');
    const start = performance.now();
    for (;;) {
      try {
        await gateway.verifier.verify(key, undefined, Date.now());
      } catch (error) {
        assert.ok(isGatewayError(error));
        assert.equal(error.details.reason, 'revoked');
        break;
      }
      assert.ok(performance.now() - start < 1000, 'refused within one second');
      await sleep(10);
    }
  });
}

test('with Redis configured but down, the CLI still saves the change and warns that gateways see it at their next store check', async () => {
  const dir = await tempDir();
  cleanups.push(() => dir.remove());
  let stdout = '';
  let stderr = '';
  const code = await main(['keys', 'create', '--name', 'while redis is down', '--json'], {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: { OPENCLAW_REDIS_URL: 'redis://:pw-not-shown@127.0.0.1:1' },
    cwd: dir.path,
  });
  assert.equal(code, 0, stderr);
  assert.match(JSON.parse(stdout).id as string, /^key_/);
  assert.match(stderr, /^warning: Redis could not be reached; gateways will see the change at their next store check \(within 10 s\) \(Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 could not be reached: /);
  assert.doesNotMatch(stderr, /pw-not-shown/);
});
