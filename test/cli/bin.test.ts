// The real `openclaw` bin, spawned: tsx registration, exit codes, and `start` serving until
// SIGTERM.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const BIN = join(import.meta.dirname, '../../gateway/bin/openclaw.js');
const dirs: string[] = [];
after(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

/** The parent's environment without the variables that would change the config. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'PORT' && !name.startsWith('OPENCLAW_')));
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'openclaw-bin-'));
  dirs.push(dir);
  return dir;
}

async function openclaw(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd, env: cleanEnv() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

test('the bin prints help and the version', async () => {
  const dir = await tempDir();
  const help = await openclaw(['--help'], dir);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^Usage: openclaw <command> \[options\]$/m);
  assert.match((await openclaw(['--version'], dir)).stdout, /^\d+\.\d+\.\d+\n$/);
});

test('the bin exits 2 on an unknown flag and 1 on a missing schema folder, without a stack trace', async () => {
  const dir = await tempDir();
  assert.deepEqual(await openclaw(['start', '--prot', '80'], dir), {
    code: 2,
    stdout: '',
    stderr: 'error: unknown option "--prot" (did you mean "--port"?). Run openclaw start --help\n',
  });
  const check = await openclaw(['check'], dir);
  assert.equal(check.code, 1);
  assert.equal(check.stdout, '');
  assert.match(check.stderr, /^error\[CONFIG_INVALID\]: Invalid config: "schema" must name existing schema files or folders; ".*" does not exist/);
  assert.doesNotMatch(check.stderr, /^\s+at /m);
});

test('start serves the graph, prints where, and closes with exit 0 on SIGTERM', async () => {
  const dir = await tempDir();
  await mkdir(join(dir, 'schema'));
  await mkdir(join(dir, 'sdl'));
  await writeFile(
    join(dir, 'schema', 'hello.graphql'),
    'extend schema @source(name: "hello", kind: GRAPHQL, url: "http://127.0.0.1:9/graphql", sdl: "../sdl/hello.graphql")\n',
  );
  await writeFile(join(dir, 'sdl', 'hello.graphql'), 'type Query { hello: String }\n');
  await writeFile(join(dir, 'openclaw.config.ts'), "export default { logging: { level: 'error' } };\n");

  const child = spawn(process.execPath, [BIN, 'start', '--port', '0'], { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = once(child, 'exit');
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const ready = /^OpenClaw Gateway ready at (http:\/\/127\.0\.0\.1:\d+\/graphql) \(GraphiQL: open it in a browser\)$/m.exec(stdout);
        if (ready?.[1]) resolve(ready[1]);
      });
      child.once('exit', (code) => reject(new Error(`start exited with ${code}: ${stderr}`)));
    });
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    assert.deepEqual(await response.json(), { data: { __typename: 'Query' } });
  } finally {
    child.kill('SIGTERM');
  }
  const [code] = await exited;
  assert.equal(code, 0, stderr);
});
