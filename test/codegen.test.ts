import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { it } from 'node:test';
import { generate } from '@graphql-codegen/cli';
import config from '../codegen.js';

const root = fileURLToPath(new URL('..', import.meta.url));

it('the generated resolver types match the schemas (else run npm run codegen)', async () => {
  // codegen.ts names its files relative to the repository root, as `npm run codegen` runs there.
  const outputs: { filename: string; content: string }[] = await generate({ ...config, cwd: root }, false);
  assert.deepEqual(outputs.map((output) => output.filename).sort(), Object.keys(config.generates).sort());
  for (const { filename, content } of outputs) {
    let onDisk: string | null = null;
    try {
      onDisk = readFileSync(join(root, filename), 'utf8');
    } catch {
      // reported below as stale
    }
    assert.ok(onDisk === content, `${filename} is stale or missing: run npm run codegen`);
  }
});
