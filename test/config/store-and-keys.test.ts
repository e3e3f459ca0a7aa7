// The store, apiKeys and admin sections: defaults, environment variables, and messages about
// bad secrets that never repeat the secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { resolveConfig, type OpenClawConfig } from '../../gateway/src/config/index.js';
import { isGatewayError } from '../../gateway/src/errors/index.js';

const ROOT = resolve('/srv/app');
const CWD = resolve('/home/op');
const SECRET = 'k'.repeat(40);

function messageFor(input: unknown, env: NodeJS.ProcessEnv = {}): string {
  try {
    resolveConfig(input, { rootDir: ROOT, cwd: CWD, env });
  } catch (error) {
    assert.ok(isGatewayError(error));
    assert.equal(error.code, 'CONFIG_INVALID');
    return error.message;
  }
  assert.fail('expected a CONFIG_INVALID error');
}

test('defaults: embedded store in .openclaw beside the config, 24 h rotation grace, no secret, no admin token', () => {
  const config = resolveConfig({}, { rootDir: ROOT });
  assert.deepEqual(config.store, { dataDir: resolve(ROOT, '.openclaw'), redisPrefix: 'openclaw:' });
  assert.deepEqual(config.apiKeys, { rotationGraceMs: 86_400_000, cacheSize: 10_000, changePollMs: 500, unknownKeyCacheSize: 10_000, unknownKeysPerMinute: 60 });
  assert.deepEqual(config.admin, { host: '127.0.0.1', failuresPerMinute: 10 });
});

test('file values are kept; dataDir resolves against the config folder', () => {
  const input: OpenClawConfig = {
    store: { databaseUrl: 'postgres://u:p@db:5432/app', redisUrl: 'redis://cache:6379', dataDir: 'state', redisPrefix: 'shop:' },
    apiKeys: { hashSecret: SECRET, rotationGraceMs: 0, cacheSize: 0, changePollMs: 100, unknownKeyCacheSize: 5, unknownKeysPerMinute: 0 },
    admin: { token: SECRET, port: 0, host: '::1', failuresPerMinute: 3 },
  };
  const config = resolveConfig(input, { rootDir: ROOT });
  assert.deepEqual(config.store, { databaseUrl: 'postgres://u:p@db:5432/app', redisUrl: 'redis://cache:6379', dataDir: resolve(ROOT, 'state'), redisPrefix: 'shop:' });
  assert.deepEqual(config.apiKeys, { hashSecret: SECRET, rotationGraceMs: 0, cacheSize: 0, changePollMs: 100, unknownKeyCacheSize: 5, unknownKeysPerMinute: 0 });
  assert.deepEqual(config.admin, { token: SECRET, port: 0, host: '::1', failuresPerMinute: 3 });
});

test('environment variables set the store and key settings, over the file; OPENCLAW_DATA_DIR resolves against the cwd', () => {
  const config = resolveConfig(
    { store: { dataDir: 'from-file', redisUrl: 'redis://file:6379' } },
    {
      rootDir: ROOT,
      cwd: CWD,
      env: {
        OPENCLAW_DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/test',
        OPENCLAW_REDIS_URL: 'rediss://env:6380',
        OPENCLAW_DATA_DIR: 'data',
        OPENCLAW_API_KEY_SECRET: SECRET,
        OPENCLAW_ADMIN_TOKEN: `${SECRET}x`,
      },
    },
  );
  assert.equal(config.store.databaseUrl, 'postgresql://postgres@127.0.0.1:5432/test');
  assert.equal(config.store.redisUrl, 'rediss://env:6380');
  assert.equal(config.store.dataDir, resolve(CWD, 'data'));
  assert.equal(config.apiKeys.hashSecret, SECRET);
  assert.equal(config.admin.token, `${SECRET}x`);
});

test('OPENCLAW_ADMIN_PORT and OPENCLAW_ADMIN_HOST put the admin API on its own listener, over the file; a bad one is named', () => {
  const config = resolveConfig({ admin: { port: 9000 } }, { rootDir: ROOT, env: { OPENCLAW_ADMIN_PORT: '0', OPENCLAW_ADMIN_HOST: '10.0.0.5' } });
  assert.deepEqual(config.admin, { port: 0, host: '10.0.0.5', failuresPerMinute: 10 });
  try {
    resolveConfig({}, { rootDir: ROOT, env: { OPENCLAW_ADMIN_PORT: '70000' } });
    assert.fail('accepted');
  } catch (error) {
    assert.match(String((error as Error).message), /OPENCLAW_ADMIN_PORT must be an integer from 0 to 65535; received "70000"/);
  }
});

test('bad values are named with the expected shape', () => {
  assert.equal(
    messageFor({ store: { redisUrl: 'http://cache:6379' } }),
    'Invalid config: "store.redisUrl" must be a Redis URL (e.g. "redis://localhost:6379"); received "http://cache:6379" (string).',
  );
  assert.equal(
    messageFor({ apiKeys: { changePollMs: 5 } }),
    'Invalid config: "apiKeys.changePollMs" must be an integer from 10 to 60000 (milliseconds); received 5 (number).',
  );
  assert.equal(
    messageFor({ apiKeys: { rotationGraceMs: -1 } }),
    'Invalid config: "apiKeys.rotationGraceMs" must be an integer >= 0 (milliseconds; 0 ends a rotated key at once); received -1 (number).',
  );
  assert.match(messageFor({ apiKeys: { hashSecrit: SECRET } }), /unknown key "apiKeys\.hashSecrit" \(did you mean "apiKeys\.hashSecret"\?\)/);
  assert.equal(
    messageFor({ apiKeys: { unknownKeysPerMinute: -1 } }),
    'Invalid config: "apiKeys.unknownKeysPerMinute" must be an integer from 0 to 1000000000 (per minute; 0 turns the limit off); received -1 (number).',
  );
  assert.equal(
    messageFor({ admin: { failuresPerMinute: 2.5 } }),
    'Invalid config: "admin.failuresPerMinute" must be an integer from 0 to 1000000000 (per minute; 0 turns the limit off); received 2.5 (number).',
  );
});

test('a bad secret or URL is described, never repeated: lengths, and URLs without their password', () => {
  const short = 'hunter2-is-not-long';
  const fileMessage = messageFor({ apiKeys: { hashSecret: short }, admin: { token: short }, store: { databaseUrl: 'mysql://app:s3cr3t@db/app' } });
  assert.doesNotMatch(fileMessage, /hunter2|s3cr3t/);
  assert.match(fileMessage, /"apiKeys\.hashSecret" must be a string of at least 32 characters .*; received a string of 19 characters \(hidden\)\./);
  assert.match(fileMessage, /"admin\.token" must be a string of at least 32 characters .*; received a string of 19 characters \(hidden\)\./);
  assert.match(fileMessage, /"store\.databaseUrl" must be a PostgreSQL URL .*; received "mysql:\/\/app:\*\*\*@db\/app" \(string, secrets hidden\)\./);

  const envMessage = messageFor({}, { OPENCLAW_API_KEY_SECRET: short, OPENCLAW_REDIS_URL: 'redis//:pw@x', OPENCLAW_DATABASE_URL: 'postgres://u:pw@h/db?password=pw2&sslmode=x:' });
  assert.doesNotMatch(envMessage, /hunter2|pw@|pw2/);
  assert.match(envMessage, /OPENCLAW_API_KEY_SECRET must be a string of at least 32 characters .*; received a string of 19 characters \(hidden\)\./);
  assert.match(envMessage, /OPENCLAW_REDIS_URL must be a Redis URL .*; received a string of 12 characters \(hidden\)\./);
});
