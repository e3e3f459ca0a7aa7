/** Every error code is unique, has a status, and is documented in docs/errors.md (STYLE.md rule 6). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ERROR_CODES, GatewayError } from '../../gateway/src/errors/index.js';
import { REPO_ROOT } from '../support/demo-gateway.js';

test('every code is documented once in docs/errors.md, with its status', async () => {
  const doc = await readFile(join(REPO_ROOT, 'docs', 'errors.md'), 'utf8');
  const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((match) => [match[1], Number(match[2])] as const);
  const documented = rows.map(([code]) => code);
  assert.equal(new Set(documented).size, documented.length, 'no code is listed twice');
  assert.deepEqual([...documented].sort(), Object.keys(ERROR_CODES).sort());
  for (const [code, status] of rows) assert.equal(status, ERROR_CODES[code as keyof typeof ERROR_CODES].status, code);
});

test('a GatewayError carries its code, HTTP status and details into extensions', () => {
  const error = new GatewayError('UPSTREAM_TIMEOUT', 'Source "x" did not answer within 5 ms.', { source: 'x' });
  assert.equal(error.httpStatus, 504);
  assert.deepEqual(error.extensions, { code: 'UPSTREAM_TIMEOUT', source: 'x' });
  assert.deepEqual(error.toGraphQLError(['a', 0]).toJSON(), {
    message: 'Source "x" did not answer within 5 ms.',
    path: ['a', 0],
    extensions: { code: 'UPSTREAM_TIMEOUT', source: 'x' },
  });
});
