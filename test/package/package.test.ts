/**
 * The package as users get it: `npm pack` the gateway (its prepack builds dist/), install the
 * tarball into an empty folder, and there, on plain Node (no tsx, no TypeScript), run the CLI
 * under both names, `check` a tiny project whose `openclaw.config.ts` the small loader reads,
 * `start --supergraph` against the benchmark's real subgraphs, a program that imports
 * `defineConfig` and `startGateway`, the CLI in a folder with no install at all, and `tsc`
 * with strict options over a consumer file against the packed declarations.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { benchQuery, benchSupergraphSdl, startBenchSubgraphs } from '../../subgraphs/bench/server.js';
import { cleanEnv, tempDirs, waitFor, writeHelloProject } from '../support/cli.js';
import { postGraphQL, REPO_ROOT } from '../support/demo-gateway.js';

const run = promisify(execFile);
const GATEWAY_DIR = join(REPO_ROOT, 'gateway');
const temp = tempDirs('openclaw-package-');

interface Packed {
  filename: string;
  files: Array<{ path: string }>;
}

/** Runs `file args` in `cwd` with a clean environment (no NODE_OPTIONS, no OPENCLAW_*). */
async function exec(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, env: cleanEnv(env), maxBuffer: 32 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

const TYPED_CONFIG = [
  "import { defineConfig } from 'openclaw-gateway';",
  '',
  "const level: 'error' | 'warn' = 'error';",
  'export default defineConfig({ logging: { level } });',
  '',
].join('\n');

describe('the packed openclaw-gateway', () => {
  let packed: Packed;
  let app: string;
  let bin: (name: string) => string;

  before(async () => {
    const out = await temp.make();
    // --json keeps stdout to the file list; the prepack build writes on stderr.
    const pack = await exec('npm', ['pack', '--json', '--pack-destination', out], GATEWAY_DIR);
    assert.equal(pack.code, 0, pack.stderr);
    [packed] = JSON.parse(pack.stdout) as [Packed];
    app = await temp.make();
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    // From the tarball, reusing the workspace's npm cache. Install scripts are skipped: the one
    // that matters, better-sqlite3's native build, takes minutes here; its binary for this Node
    // is copied from the workspace below instead, as a prebuilt download would provide it.
    const install = await exec(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', join(out, packed.filename)],
      app,
    );
    assert.equal(install.code, 0, install.stderr);
    const binary = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    if ((await exists(join(REPO_ROOT, binary))) && !(await exists(join(app, binary)))) {
      await mkdir(join(app, 'node_modules/better-sqlite3/build/Release'), { recursive: true });
      await copyFile(join(REPO_ROOT, binary), join(app, binary));
    }
    bin = (name) => join(app, 'node_modules', '.bin', name);
  });

  after(() => temp.removeAll());

  test('the tarball holds the compiled package, its declarations and license, and no source', async () => {
    const paths = packed.files.map((file) => file.path);
    for (const path of ['package.json', 'README.md', 'LICENSE', 'bin/openclaw.js', 'dist/index.js', 'dist/index.d.ts', 'dist/cli/main.js']) {
      assert.ok(paths.includes(path), path);
    }
    assert.deepEqual(paths.filter((path) => !/^(bin|dist)\/|^(package\.json|README\.md|LICENSE)$/.test(path)), []);
    assert.deepEqual(paths.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts')), []);
    const manifest = JSON.parse(await readFile(join(app, 'node_modules/openclaw-gateway/package.json'), 'utf8')) as {
      license: string;
      exports: Record<string, Record<string, string>>;
      dependencies: Record<string, string>;
    };
    assert.equal(manifest.license, 'MIT');
    assert.deepEqual(manifest.exports['.'], { 'openclaw-source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' });
    // No TypeScript toolchain comes along: jiti is the only loader, for the user's config.
    assert.ok('jiti' in manifest.dependencies);
    const installed = await readdir(join(app, 'node_modules'));
    assert.deepEqual(installed.filter((name) => ['tsx', 'typescript', 'esbuild', 'ts-node', '@swc'].includes(name)), []);
  });

  test('the CLI runs on plain Node under both names', async () => {
    const help = await exec(process.execPath, [bin('openclaw'), '--help'], app);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: openclaw <command> \[options\]$/m);
    const version = await exec(process.execPath, [bin('openclaw-gateway'), '--version'], app);
    assert.deepEqual(version, { code: 0, stdout: '0.1.0\n', stderr: '' });
    assert.equal((await exec(process.execPath, [bin('openclaw'), 'start', '--prot', '1'], app)).code, 2);
  });

  test('check on a tiny project: the TypeScript config is loaded by the small loader', async () => {
    const project = join(app, 'hello');
    await mkdir(project);
    await writeHelloProject(project);
    await writeFile(join(project, 'openclaw.config.ts'), TYPED_CONFIG);
    const check = await exec(process.execPath, [bin('openclaw'), 'check', '--json'], project);
    assert.equal(check.code, 0, check.stderr);
    const summary = JSON.parse(check.stdout) as { ok: boolean; sources: Array<{ name: string }>; sdl: string };
    assert.deepEqual([summary.ok, summary.sources.map((source) => source.name)], [true, ['hello']]);
    assert.match(summary.sdl, /type Query \{\n {2}hello: String\n\}/);
    // A bad value in that config is named, as in the workspace.
    await writeFile(join(project, 'openclaw.config.ts'), "import { defineConfig } from 'openclaw-gateway';\nexport default defineConfig({ server: { port: -1 } });\n");
    const bad = await exec(process.execPath, [bin('openclaw'), 'check'], project);
    assert.equal(bad.stderr, 'error[CONFIG_INVALID]: Invalid config: "server.port" must be an integer from 0 to 65535; received -1 (number).\n');
  });

  test('openclaw start --supergraph FILE serves the benchmark supergraph against its real subgraphs', async () => {
    const subgraphs = await startBenchSubgraphs();
    const dir = join(app, 'federation');
    await mkdir(dir);
    await writeFile(join(dir, 'supergraph.graphql'), benchSupergraphSdl(subgraphs.url));
    const child = spawn(process.execPath, [bin('openclaw'), 'start', '--supergraph', 'supergraph.graphql', '--port', '0'], {
      cwd: dir,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      const [, url] = await Promise.race([
        waitFor(() => stdout, /^OpenClaw Gateway ready at (\S+) /m),
        exited.then(() => assert.fail(`start exited: ${stderr}`)),
      ]);
      const { body } = await postGraphQL(url ?? '', benchQuery());
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      const products = body.data?.topProducts as Array<{ name: string; inStock: boolean }>;
      assert.deepEqual(products.map((product) => [product.name, product.inStock]), [['Table', true], ['Couch', false], ['Glass', false], ['Chair', false], ['TV', true]]);
      // stderr is not a terminal: the logs are JSON lines.
      assert.match(stderr, /^\{"time":"[^"]+","level":"info","msg":"gateway listening"/m);
    } finally {
      child.kill('SIGTERM');
      const [code] = await exited;
      assert.equal(code, 0, stderr);
      await subgraphs.close();
    }
  });

  test('a program imports defineConfig and startGateway; loadConfig reads its openclaw.config.ts', async () => {
    const dir = join(app, 'embed');
    await mkdir(dir);
    await writeHelloProject(dir);
    await writeFile(join(dir, 'openclaw.config.ts'), TYPED_CONFIG);
    await writeFile(
      join(dir, 'main.mjs'),
      [
        "import { defineConfig, loadConfig, startGateway } from 'openclaw-gateway';",
        "if (typeof defineConfig !== 'function') throw new Error('defineConfig is not exported');",
        'const config = await loadConfig({ overrides: { port: 0 } });',
        'const gateway = await startGateway(config);',
        "const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });",
        'console.log(JSON.stringify({ level: config.logging.level, body: await response.json() }));',
        'await gateway.close();',
        '',
      ].join('\n'),
    );
    const result = await exec(process.execPath, ['main.mjs'], dir);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { level: 'error', body: { data: { __typename: 'Query' } } });
  });

  test('outside any install (npx openclaw-gateway): a config importing openclaw-gateway gets the running gateway', async () => {
    const dir = await temp.make();
    await writeHelloProject(dir);
    await writeFile(join(dir, 'openclaw.config.ts'), TYPED_CONFIG);
    const check = await exec(process.execPath, [bin('openclaw-gateway'), 'check'], dir);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /hello: String/);
  });

  test('a consumer with strict, exactOptionalPropertyTypes and noUncheckedIndexedAccess type-checks against the declarations alone', async () => {
    const dir = join(app, 'typed');
    await mkdir(dir);
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          // As most projects set it. What matters is that the program reads our declarations and
          // never our source: a .ts file is checked whatever skipLibCheck says (with the source
          // exported, the consumer's stricter options failed on our own code).
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
          typeRoots: [join(REPO_ROOT, 'node_modules/@types')],
        },
        files: ['consumer.ts'],
      }),
    );
    await writeFile(
      join(dir, 'consumer.ts'),
      [
        "import { defineConfig, loadConfig, startGateway, type OpenClawConfig, type RunningGateway } from 'openclaw-gateway';",
        '',
        "export const config: OpenClawConfig = defineConfig({ server: { port: 0, host: '0.0.0.0' }, logging: { level: 'warn', format: 'json' } });",
        'export async function serve(): Promise<string> {',
        '  const gateway: RunningGateway = await startGateway(await loadConfig({ overrides: { port: 0 } }));',
        '  const port: number = gateway.port;',
        '  await gateway.close();',
        '  return `${gateway.url} ${port}`;',
        '}',
        '// @ts-expect-error a key the config does not take',
        'defineConfig({ server: { prot: 1 } });',
        '',
      ].join('\n'),
    );
    const tsc = await exec(process.execPath, [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json', '--listFiles'], dir);
    const lines = tsc.stdout.split('\n').filter(Boolean);
    assert.deepEqual([tsc.code, lines.filter((line) => !line.startsWith('/'))], [0, []], tsc.stdout);
    const ours = lines.filter((file) => file.includes('/node_modules/openclaw-gateway/'));
    assert.ok(ours.length > 0 && ours.every((file) => file.endsWith('.d.ts')), ours.join('\n'));
  });
});
