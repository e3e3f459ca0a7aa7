// loadConfig: finding and importing a real openclaw.config.ts, --config paths, and the checks
// that the files the config points to exist.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig, type LoadConfigOptions } from '../../gateway/src/config/index.js';
import { isGatewayError } from '../../gateway/src/errors/index.js';

const CONFIG_MODULE = pathToFileURL(join(import.meta.dirname, '../../gateway/src/config/index.ts')).href;
const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** A fresh temp folder holding `files` (path -> content); folders named with a trailing `/`. */
async function project(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'openclaw-config-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    if (name.endsWith('/')) await mkdir(join(dir, name), { recursive: true });
    else {
      await mkdir(join(dir, name, '..'), { recursive: true });
      await writeFile(join(dir, name), content);
    }
  }
  return dir;
}

async function loadError(options: LoadConfigOptions): Promise<string> {
  try {
    await loadConfig({ env: {}, ...options });
  } catch (error) {
    assert.ok(isGatewayError(error), `expected a GatewayError, got ${String(error)}`);
    assert.equal(error.code, 'CONFIG_INVALID');
    return error.message;
  }
  assert.fail('expected loadConfig to fail');
}

test('loads openclaw.config.ts from cwd: a typed TypeScript file using defineConfig', async () => {
  const dir = await project({
    'graph/': '',
    'openclaw.config.ts': [
      `import { defineConfig } from ${JSON.stringify(CONFIG_MODULE)};`,
      'const port: number = 5000;',
      "export default defineConfig({ schema: 'graph', server: { port }, sources: { accounts: { url: 'http://localhost:4001/graphql' } } });",
    ].join('\n'),
  });
  const config = await loadConfig({ cwd: dir, env: {} });
  assert.equal(config.configFile, join(dir, 'openclaw.config.ts'));
  assert.equal(config.rootDir, dir);
  assert.deepEqual(config.schema, [join(dir, 'graph')]);
  assert.equal(config.server.port, 5000);
  assert.equal(config.sources.accounts?.url, 'http://localhost:4001/graphql');
});

test('--config is relative to cwd; its paths are relative to its own folder; env applies over it', async () => {
  const dir = await project({
    'deploy/schema/': '',
    'deploy/gateway.config.ts': "export const config = { logging: { level: 'debug' as const } };",
  });
  const config = await loadConfig({ cwd: dir, file: 'deploy/gateway.config.ts', env: { PORT: '9000' } });
  assert.equal(config.rootDir, join(dir, 'deploy'));
  assert.deepEqual(config.schema, [join(dir, 'deploy', 'schema')]);
  assert.equal(config.logging.level, 'debug');
  assert.equal(config.server.port, 9000);
});

test('a module config with "type": "module" and a JSON config load too', async () => {
  const dir = await project({
    'package.json': '{ "type": "module" }',
    'schema/': '',
    'openclaw.config.ts': 'export default { server: { host: "0.0.0.0" } };',
    'other.json': '{ "server": { "port": 1234 } }',
  });
  assert.equal((await loadConfig({ cwd: dir, env: {} })).server.host, '0.0.0.0');
  assert.equal((await loadConfig({ cwd: dir, file: 'other.json', env: {} })).server.port, 1234);
});

test('without a config file every default applies, relative to cwd', async () => {
  const dir = await project({ 'schema/': '' });
  const config = await loadConfig({ cwd: dir, env: {}, overrides: { port: 0 } });
  assert.equal(config.configFile, undefined);
  assert.equal(config.rootDir, dir);
  assert.deepEqual(config.schema, [join(dir, 'schema')]);
  assert.equal(config.server.port, 0);
});

test('a --config file that does not exist is an error naming the path', async () => {
  const dir = await project({});
  assert.equal(await loadError({ cwd: dir, file: 'missing.config.ts' }), `Config file not found: ${join(dir, 'missing.config.ts')}`);
  assert.equal(await loadError({ cwd: dir, file: '.' }), `Config file ${dir} is a directory, not a file.`);
});

test('a config with bad values fails with the validation message', async () => {
  const dir = await project({ 'openclaw.config.ts': "export default { server: { port: 'abc' } };" });
  assert.equal(
    await loadError({ cwd: dir }),
    'Invalid config: "server.port" must be an integer from 0 to 65535; received "abc" (string).',
  );
});

test('a config file that does not load, or exports nothing, is a CONFIG_INVALID error', async () => {
  const dir = await project({
    'broken.config.ts': 'export default { server: { port: 1 ;',
    'throws.config.ts': "throw new Error('boom');",
    'empty.config.ts': 'export const other = 1;',
  });
  const broken = await loadError({ cwd: dir, file: 'broken.config.ts' });
  assert.ok(broken.startsWith(`Could not load config file ${join(dir, 'broken.config.ts')}: `), broken);
  assert.equal(broken, `Could not load config file ${join(dir, 'broken.config.ts')}: ParseError: Unexpected token, expected "," at ${join(dir, 'broken.config.ts')}:1:35`);
  assert.equal(await loadError({ cwd: dir, file: 'throws.config.ts' }), `Could not load config file ${join(dir, 'throws.config.ts')}: boom`);
  assert.equal(
    await loadError({ cwd: dir, file: 'empty.config.ts' }),
    `Config file ${join(dir, 'empty.config.ts')} exports no config; write "export default defineConfig({ ... })" or "export const config = defineConfig({ ... })".`,
  );
});

test('schema paths that do not exist are named, with where relative paths resolve', async () => {
  const bare = await project({});
  assert.equal(
    await loadError({ cwd: bare }),
    `Invalid config: "schema" must name existing schema files or folders; "${join(bare, 'schema')}" does not exist ` +
      `(no openclaw.config.ts was found in ${bare}, so paths resolve against the working directory).`,
  );
  const withFile = await project({ 'openclaw.config.ts': "export default { schema: ['a', 'b'] };", 'a/': '' });
  assert.equal(
    await loadError({ cwd: withFile }),
    `Invalid config: "schema" must name existing schema files or folders; "${join(withFile, 'b')}" does not exist ` +
      `(relative paths resolve against ${withFile}, the config file's folder).`,
  );
  assert.equal(
    await loadError({ cwd: withFile, env: { OPENCLAW_SCHEMA: 'nope' } }),
    `Invalid environment: OPENCLAW_SCHEMA must name existing schema files or folders; "${join(withFile, 'nope')}" does not exist.`,
  );
});

test('a supergraph that does not exist is named by the layer that set it; schema is then not checked', async () => {
  const dir = await project({ 'openclaw.config.ts': "export default { supergraph: 'sg.graphql' };", 'real.graphql': 'type Query { a: Int }' });
  assert.equal(
    await loadError({ cwd: dir }),
    `Invalid config: "supergraph" must name an existing supergraph SDL file; "${join(dir, 'sg.graphql')}" does not exist ` +
      `(relative paths resolve against ${dir}, the config file's folder).`,
  );
  assert.equal(
    await loadError({ cwd: dir, overrides: { supergraph: 'cli.graphql' } }),
    `Invalid command-line option: --supergraph must name an existing supergraph SDL file; "${join(dir, 'cli.graphql')}" does not exist.`,
  );
  assert.equal(
    await loadError({ cwd: dir, env: { OPENCLAW_SUPERGRAPH: '.' } }),
    `Invalid environment: OPENCLAW_SUPERGRAPH must name an existing supergraph SDL file; "${dir}" is a directory, not a file.`,
  );
  const config = await loadConfig({ cwd: dir, env: {}, overrides: { supergraph: 'real.graphql' } });
  assert.equal(config.supergraph, join(dir, 'real.graphql'));
});
