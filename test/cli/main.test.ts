// The CLI in-process: help texts, version, usage errors (exit 2), run-time errors (exit 1) and
// `check` printing the composed SDL.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { main } from '../../gateway/src/cli/main.js';
import { tempDirs, writeHelloProject } from '../support/cli.js';

const temp = tempDirs('openclaw-cli-');
after(() => temp.removeAll());
const tempDir = () => temp.make();

/** A project with one GraphQL source whose SDL is a file, so composing needs no running backend. */
async function helloProject(): Promise<string> {
  const dir = await tempDir();
  await writeHelloProject(dir);
  return dir;
}

async function run(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (chunk: string) => (stdout += chunk) },
    stderr: { write: (chunk: string) => (stderr += chunk) },
    env: options.env ?? {},
    cwd: options.cwd ?? (await tempDir()),
  });
  return { code, stdout, stderr };
}

test('--help lists the commands; each command has help with every flag, its default and an example', async () => {
  const top = await run(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /^Usage: openclaw <command> \[options\]$/m);
  for (const word of ['start', 'check', '--version', 'npx openclaw-gateway start', 'Examples:', 'Exit codes:']) assert.ok(top.stdout.includes(word), word);
  assert.equal((await run(['-h'])).stdout, top.stdout);

  const start = await run(['start', '--help']);
  assert.equal(start.code, 0);
  assert.match(start.stdout, /^Usage: openclaw start \[options\]$/m);
  for (const flag of [
    '-c, --config FILE',
    '-p, --port N',
    '--host HOST',
    'else 127.0.0.1',
    '--log-level LEVEL',
    'debug, info, warn, error, silent',
    '$OPENCLAW_LOG_FORMAT',
    '--supergraph FILE',
    'OPENCLAW_SOURCE_<NAME>_URL does',
    '-w, --workers N|auto',
    'Redis/PostgreSQL',
    '-h, --help',
    'else 4000',
    'Examples:',
    'openclaw start --config',
  ]) {
    assert.ok(start.stdout.includes(flag), flag);
  }
  const check = await run(['check', '-h']);
  assert.equal(check.code, 0);
  assert.match(check.stdout, /^Usage: openclaw check \[options\]$/m);
  for (const flag of ['-c, --config FILE', '--supergraph FILE', '--json', '-h, --help', 'Default: off', 'Examples:']) {
    assert.ok(check.stdout.includes(flag), flag);
  }
  assert.equal((await run(['help', 'check'])).stdout, check.stdout);
  // Help wins over anything else on the line, even a bad flag.
  assert.equal((await run(['start', '--prot', '1', '--help'])).code, 0);
});

test('--version prints the gateway package version', async () => {
  const manifest = JSON.parse(await readFile(join(import.meta.dirname, '../../gateway/package.json'), 'utf8')) as { version: string };
  assert.deepEqual(await run(['--version']), { code: 0, stdout: `${manifest.version}\n`, stderr: '' });
  assert.equal((await run(['-v'])).stdout, `${manifest.version}\n`);
});

test('bad usage is one line naming the problem and the help to read, exit 2', async () => {
  const cases: Array<[string[], string]> = [
    [['strat'], 'error: unknown command "strat" (did you mean "start"?). Run openclaw --help'],
    [['deploy'], 'error: unknown command "deploy". Run openclaw --help'],
    [['--verison'], 'error: unknown option "--verison" (did you mean "--version"?). Run openclaw --help'],
    [['--verbose'], 'error: unknown option "--verbose". Run openclaw --help'],
    [['start', '--prot', '80'], 'error: unknown option "--prot" (did you mean "--port"?). Run openclaw start --help'],
    [['start', '-x'], 'error: unknown option "-x". Run openclaw start --help'],
    [['start', '--port', 'abc'], 'error: invalid value for --port: "abc" (expected an integer from 0 to 65535). Run openclaw start --help'],
    [['start', '--port', '65536'], 'error: invalid value for --port: "65536" (expected an integer from 0 to 65535). Run openclaw start --help'],
    [['start', '--port'], 'error: option "--port" needs a value. Run openclaw start --help'],
    [['start', '--host', ''], 'error: invalid value for --host: "" (expected a host name or IP address, e.g. 0.0.0.0). Run openclaw start --help'],
    [['start', '--log-level', 'INFO'], 'error: invalid value for --log-level: "INFO" (expected one of debug, info, warn, error, silent). Run openclaw start --help'],
    [['start', '--workers', '0'], 'error: invalid value for --workers: "0" (expected a positive integer or "auto"). Run openclaw start --help'],
    [['start', '-w', '1.5'], 'error: invalid value for --workers: "1.5" (expected a positive integer or "auto"). Run openclaw start --help'],
    [['check', '--host', 'x'], 'error: unknown option "--host". Run openclaw check --help'],
    [['check', '--json=yes'], 'error: option "--json" takes no value. Run openclaw check --help'],
    [['check', '--port', '1'], 'error: unknown option "--port". Run openclaw check --help'],
    [['check', 'extra'], 'error: unexpected argument "extra" (openclaw check takes options only). Run openclaw check --help'],
    [['help', 'nope'], 'error: unknown command "nope". Run openclaw --help'],
  ];
  for (const [argv, line] of cases) {
    assert.deepEqual(await run(argv), { code: 2, stdout: '', stderr: `${line}\n` }, argv.join(' '));
  }
  const none = await run([]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^Usage: openclaw <command>/m);
});

test('check: a schema folder that does not exist is a clear error, exit 1, no stack trace', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'openclaw.config.ts'), "export default { schema: 'graph' };\n");
  const expected =
    `Invalid config: "schema" must name existing schema files or folders; "${join(dir, 'graph')}" does not exist ` +
    `(relative paths resolve against ${dir}, the config file's folder).`;
  assert.deepEqual(await run(['check'], { cwd: dir }), { code: 1, stdout: '', stderr: `error[CONFIG_INVALID]: ${expected}\n` });

  const json = await run(['check', '--json'], { cwd: dir });
  assert.equal(json.code, 1);
  assert.equal(json.stderr, '');
  assert.deepEqual(JSON.parse(json.stdout), { ok: false, error: { code: 'CONFIG_INVALID', message: expected } });

  const debug = await run(['check'], { cwd: dir, env: { OPENCLAW_DEBUG: '1' } });
  assert.match(debug.stderr, /^\s+at /m);
});

test('check: a missing --config file and a bad env value are reported with their names', async () => {
  const dir = await tempDir();
  assert.deepEqual(await run(['check', '--config', 'nope.ts'], { cwd: dir }), {
    code: 1,
    stdout: '',
    stderr: `error[CONFIG_INVALID]: Config file not found: ${join(dir, 'nope.ts')}\n`,
  });
  const env = await run(['check'], { cwd: dir, env: { PORT: 'x' } });
  assert.equal(env.stderr, 'error[CONFIG_INVALID]: Invalid environment: PORT must be an integer from 0 to 65535; received "x".\n');
});

test('check prints the composed public SDL, or with --json a summary', async () => {
  const dir = await helloProject();
  const text = await run(['check'], { cwd: dir });
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, /type Query \{\n {2}hello: String\n\}/);

  const json = await run(['check', '--json'], { cwd: dir });
  assert.equal(json.code, 0, json.stderr);
  const summary = JSON.parse(json.stdout) as { ok: boolean; sources: Array<{ name: string; kind: string }>; sdl: string };
  assert.equal(summary.ok, true);
  assert.deepEqual(summary.sources.map(({ name, kind }) => ({ name, kind })), [{ name: 'hello', kind: 'graphql' }]);
  assert.equal(`${summary.sdl}\n`.replace(/\n+$/, ''), text.stdout.replace(/\n+$/, ''));
});
