// The real `openclaw` bin, spawned: tsx registration, exit codes, and `start` serving until
// SIGTERM.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openclaw, spawnStart, tempDirs, writeHelloProject } from '../support/cli.js';

const temp = tempDirs('openclaw-bin-');
after(() => temp.removeAll());
const tempDir = () => temp.make();

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
  await writeHelloProject(dir);
  await writeFile(join(dir, 'openclaw.config.ts'), "export default { logging: { level: 'error' } };\n");

  const started = await spawnStart(['--port', '0'], dir);
  try {
    const response = await fetch(started.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    assert.deepEqual(await response.json(), { data: { __typename: 'Query' } });
  } finally {
    assert.equal(await started.stop(), 0, started.stderr());
  }
});
