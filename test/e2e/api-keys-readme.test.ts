/**
 * The README's first steps stay true: in a project laid out as this repository (its
 * openclaw.config.ts, schema/ and demo backends), a running gateway serves the README's first
 * query with no key, its example mutation needs a key, and the README's own commands, run as
 * written (`npx openclaw keys create ...`, then its `curl` with `x-api-key`), create a key in the
 * same `.openclaw/` store the gateway uses, which the gateway accepts at once.
 *
 * The project is a temporary folder (the repository's config copied, its schema, backends and
 * node_modules linked) so that the test neither takes the demo's fixed ports nor writes into
 * the repository's own `.openclaw/`; the config and the store path are resolved exactly as for
 * `npm start` and `npx openclaw` in the repository's root.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, readdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startDemoSubgraphs } from '../../subgraphs/index.js';
import { within } from '../support/api-keys-e2e.js';
import { openclaw, spawnStart, tempDirs } from '../support/cli.js';
import { postGraphQL, REPO_ROOT } from '../support/demo-gateway.js';

const dirs = tempDirs('openclaw-readme-');
after(() => dirs.removeAll());

/** The README's fenced blocks of `language`. */
function blocks(readme: string, language: string): string[] {
  return [...readme.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((match) => match[1] ?? '');
}

test('the README\'s demo commands: the first query needs no key; `keys create` from the project root writes the store `start` reads; its curl with x-api-key places an order at once', async (t) => {
  const readme = await readFile(join(REPO_ROOT, 'README.md'), 'utf8');
  const firstQuery = blocks(readme, 'graphql').find((block) => block.includes('topProducts'));
  assert.ok(firstQuery, 'the README has its first query');
  const keyBlock = blocks(readme, 'sh').find((block) => block.includes('keys create') && block.includes('x-api-key'));
  assert.ok(keyBlock, 'the README shows keys create and a curl with x-api-key');
  const lines = keyBlock.split('\n');
  const create = (lines.find((line) => line.startsWith('npx openclaw keys create')) ?? '').replace(/#.*$/, '').trim();
  assert.equal(create, 'npx openclaw keys create --name demo --scopes orders:read,orders:write');
  const curlStart = lines.findIndex((line) => line.startsWith('curl '));
  let curlEnd = curlStart;
  while ((lines[curlEnd] ?? '').endsWith('\\')) curlEnd += 1;
  const curl = lines.slice(curlStart, curlEnd + 1).join('\n');
  assert.match(curl, /-H "x-api-key: \$KEY"/);
  assert.match(curl, /placeOrder/);

  // A project like the repository: the same config file; schema and backends as they are.
  const project = await dirs.make();
  await copyFile(join(REPO_ROOT, 'openclaw.config.ts'), join(project, 'openclaw.config.ts'));
  for (const name of ['schema', 'subgraphs', 'node_modules']) await symlink(join(REPO_ROOT, name), join(project, name));
  const subgraphs = await startDemoSubgraphs();
  try {
    const env = Object.fromEntries((['accounts', 'reviews', 'products', 'inventory', 'orders'] as const).map((name) => [`OPENCLAW_SOURCE_${name.toUpperCase()}_URL`, subgraphs[name].url]));
    const gateway = await spawnStart(['--port', '0', '--log-level', 'warn'], project, env);
    try {
      const first = await postGraphQL(gateway.url, { query: firstQuery });
      assert.equal(first.status, 200);
      assert.equal(first.body.errors, undefined, JSON.stringify(first.body.errors));
      assert.equal((first.body.data?.topProducts as unknown[]).length, 3);

      const mutation = /-d '(.*)'$/m.exec(curl)?.[1] ?? '';
      const keyless = await postGraphQL(gateway.url, JSON.parse(mutation) as unknown);
      assert.deepEqual(keyless.body.data, { placeOrder: null }, 'without a key the mutation is refused');
      assert.deepEqual(keyless.body.errors?.map((error) => [error.path, error.extensions?.code]), [[['placeOrder'], 'UNAUTHENTICATED']]);

      // The README's command, as written, from the project's root, while the gateway runs.
      const created = await openclaw(create.split(' ').slice(2), project, { command: ['npx', '--no-install', 'openclaw'] });
      assert.equal(created.code, 0, created.stderr);
      const key = /^ {2}(ocw_live_[0-9A-Za-z]{38})$/m.exec(created.stdout)?.[1];
      assert.ok(key, 'keys create printed the key on its own line');
      const createdAt = performance.now();
      const files = await readdir(join(project, '.openclaw'));
      assert.ok(files.includes('openclaw.db') && files.every((name) => name.startsWith('openclaw.db')), `one store, beside the config, where start opened it: ${files.join(', ')}`);

      const run = async () => {
        const { stdout } = await promisify(execFile)('sh', ['-c', curl.replace('http://127.0.0.1:4000/graphql', gateway.url)], { env: { ...process.env, KEY: key } });
        return JSON.parse(stdout) as { data?: { placeOrder: { id: string; status: string; product: { name: string } } | null }; errors?: unknown };
      };
      let answer: Awaited<ReturnType<typeof run>> | undefined;
      let attempts = 0;
      await within(1000, async () => {
        attempts += 1;
        answer = await run();
        return answer.errors === undefined;
      });
      t.diagnostic(`the gateway accepted the new key ${(performance.now() - createdAt).toFixed(0)} ms after keys create returned, at attempt ${attempts} of the README's curl`);
      assert.deepEqual(answer, { data: { placeOrder: { id: answer?.data?.placeOrder?.id, status: 'PLACED', product: { name: 'Couch' } } } });
      assert.equal(gateway.stderr().includes(key), false, 'the key is not in the gateway\'s log');
    } finally {
      assert.equal(await gateway.stop(), 0, gateway.stderr());
    }
  } finally {
    await subgraphs.close();
  }
});
