// The real `openclaw` bin, spawned as `npx openclaw` runs it: both bin names, exit codes,
// `start` serving until SIGTERM with its --host/--log-level flags and log formats, and
// `start --workers` running one gateway per worker process on one port.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openclaw, spawnStart, tempDirs, waitFor, writeHelloProject, type StartedCli } from '../support/cli.js';
import { postGraphQL, REPO_ROOT } from '../support/demo-gateway.js';

const temp = tempDirs('openclaw-bin-');
after(() => temp.removeAll());
const tempDir = () => temp.make();

async function helloProject(config = "export default { logging: { level: 'error' } };\n"): Promise<string> {
  const dir = await tempDir();
  await writeHelloProject(dir);
  await writeFile(join(dir, 'openclaw.config.ts'), config);
  return dir;
}

async function typename(url: string): Promise<unknown> {
  return (await postGraphQL(url, { query: '{ __typename }' })).body;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('the package ships the command under both names, openclaw and openclaw-gateway', async () => {
  const manifest = JSON.parse(await readFile(join(REPO_ROOT, 'gateway/package.json'), 'utf8')) as { name: string; bin: Record<string, string> };
  assert.deepEqual(manifest.bin, { openclaw: 'bin/openclaw.js', [manifest.name]: 'bin/openclaw.js' });
  // Through npx, as the README writes it, from this repository's root.
  const byPackageName = await openclaw(['--version'], REPO_ROOT, { command: ['npx', '--no-install', 'openclaw-gateway'] });
  assert.equal(byPackageName.code, 0, byPackageName.stderr);
  assert.match(byPackageName.stdout, /^\d+\.\d+\.\d+\n$/);
});

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

test('start serves the graph, prints where, and closes with exit 0 on SIGTERM; --log-level beats the file', async () => {
  const dir = await helloProject();
  const started = await spawnStart(['--port', '0', '--log-level', 'info'], dir);
  try {
    assert.deepEqual(await typename(started.url), { data: { __typename: 'Query' } });
    // stderr is a pipe, so logs are JSON lines; the file says "error", the flag "info".
    const listening = await waitFor(started.stderr, /^\{.*"msg":"gateway listening".*\}$/m);
    assert.equal((JSON.parse(listening[0]) as { level: string }).level, 'info');
  } finally {
    assert.equal(await started.stop(), 0, started.stderr());
  }
  assert.match(started.stdout(), /Received SIGTERM; closing the gateway\.\n$/);
});

test('start --host 0.0.0.0 listens on every interface; OPENCLAW_LOG_FORMAT=text writes readable lines', async () => {
  const dir = await helloProject("export default { logging: { level: 'info' } };\n");
  const started = await spawnStart(['--port', '0', '--host', '0.0.0.0'], dir, { OPENCLAW_LOG_FORMAT: 'text' });
  try {
    // The ready line shows a loopback address a browser can open; the socket is bound to 0.0.0.0.
    assert.match(started.url, /^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    assert.deepEqual(await typename(started.url), { data: { __typename: 'Query' } });
    await waitFor(started.stderr, /^\S+Z INFO {2}gateway listening port=\d+ sources=\["hello"\]$/m);
    assert.doesNotMatch(started.stderr(), /^\{/m);
  } finally {
    assert.equal(await started.stop(), 0, started.stderr());
  }
  assert.deepEqual(await openclaw(['start', '--log-level', 'loud'], dir), {
    code: 2,
    stdout: '',
    stderr: 'error: invalid value for --log-level: "loud" (expected one of debug, info, warn, error, silent). Run openclaw start --help\n',
  });
});

test('start --workers 2: two gateways on one port, a dead worker replaced, all closed on SIGTERM', async () => {
  const dir = await helloProject("export default { logging: { level: 'info' } };\n");
  let started: StartedCli | undefined;
  try {
    started = await spawnStart(['--port', '0', '--workers', '2'], dir);
    const cli = started;
    const [, first, second] = /^Started 2 workers \(pids (\d+), (\d+)\), each a full gateway on the same port\.$/m.exec(cli.stdout()) ?? [];
    const pids = [Number(first), Number(second)];
    assert.ok(pids.every((pid) => pid > 0 && pid !== cli.pid), cli.stdout());
    // Each worker composed and listens itself: two records, two worker ids, one port.
    await waitFor(cli.stderr, /"gateway listening"[^]*"gateway listening"/);
    const listening = cli.stderr().split('\n').filter((line) => line.includes('"gateway listening"')).map((line) => JSON.parse(line) as { worker: number; port: number });
    assert.deepEqual(listening.map((record) => record.worker).sort(), [1, 2]);
    assert.equal(new Set(listening.map((record) => record.port)).size, 1);
    for (let i = 0; i < 4; i += 1) assert.deepEqual(await typename(cli.url), { data: { __typename: 'Query' } });

    process.kill(pids[0] ?? 0, 'SIGKILL');
    await waitFor(cli.stderr, /"msg":"replacement worker ready","worker":3/);
    assert.deepEqual(await typename(cli.url), { data: { __typename: 'Query' } });
    const replacement = Number(/"replacement worker ready","worker":3,"pid":(\d+)/.exec(cli.stderr())?.[1]);

    assert.equal(await cli.stop(), 0, cli.stderr());
    started = undefined;
    assert.match(cli.stdout(), /Received SIGTERM; closing 2 workers\.\n$/);
    assert.deepEqual([pids[1] ?? 0, replacement].filter(isAlive), [], 'no worker outlives the primary');
  } finally {
    await started?.stop();
  }
});

test('start --workers: a config error is reported once, by the primary, before any worker starts', async () => {
  const dir = await helloProject("export default { server: { port: 'x' } };\n");
  const { code, stdout, stderr } = await openclaw(['start', '--workers', '3'], dir);
  assert.equal(code, 1);
  assert.equal(stdout, '');
  assert.equal(stderr, 'error[CONFIG_INVALID]: Invalid config: "server.port" must be an integer from 0 to 65535; received "x" (string).\n');
  assert.equal((await openclaw(['start', '--workers', 'many'], dir)).stderr, 'error: invalid value for --workers: "many" (expected a positive integer or "auto"). Run openclaw start --help\n');
});
