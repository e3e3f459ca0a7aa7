// The manifest: both formats, every way a document is addressed, text recognised whatever its
// layout, and malformed files refused with the file and entry named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { addManifest, Manifest } from '../../../gateway/src/server/persisted-documents/manifest.js';
import { isGatewayError } from '../../../gateway/src/errors/index.js';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const TOP = 'query Top { topProducts { upc } }';

test('an Apollo list and a Relay map: by id, by sha256, by "sha256:<hex>"', () => {
  const manifest = new Manifest();
  addManifest(manifest, { format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'custom-1', body: TOP, name: 'Top', type: 'query' }] }, 'a.json');
  addManifest(manifest, { r1: '{ me { name } }' }, 'relay.json');
  assert.equal(manifest.size, 2);
  assert.equal(manifest.byDocumentId('custom-1'), TOP);
  assert.equal(manifest.byDocumentId(`sha256:${sha(TOP).toUpperCase()}`), TOP);
  assert.equal(manifest.byDocumentId(sha(TOP)), undefined, 'a bare hash is not an id unless the manifest says so');
  assert.equal(manifest.bySha256(sha(TOP)), TOP);
  assert.equal(manifest.bySha256('custom-1'), TOP, 'Apollo clients may send a custom manifest id as sha256Hash');
  assert.equal(manifest.byDocumentId('r1'), '{ me { name } }');
  assert.equal(manifest.byDocumentId('nope'), undefined);
});

test('text is trusted as written or in another layout, never with another selection', () => {
  const manifest = new Manifest();
  addManifest(manifest, { t: TOP }, 'm.json');
  assert.ok(manifest.trusts(TOP));
  assert.ok(manifest.trusts('# from the app\nquery Top {\n  topProducts {\n    upc,\n  }\n}\n'));
  assert.ok(!manifest.trusts('query Top { topProducts { upc name } }'));
  assert.ok(!manifest.trusts('query Top { topProducts { "unterminated'));
});

test('malformed manifests are CONFIG_INVALID naming the file and the entry', () => {
  const refused = (json: unknown, pattern: RegExp) =>
    assert.throws(() => addManifest(new Manifest(), json, 'bad.json'), (error: unknown) => isGatewayError(error) && error.code === 'CONFIG_INVALID' && pattern.test(error.message));
  refused([], /bad\.json must be a JSON object/);
  refused({ format: 'apollo-persisted-query-manifest', version: 2, operations: [] }, /version 1/);
  refused({ format: 'apollo-persisted-query-manifest', version: 1 }, /"operations" list/);
  refused({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'x', body: '' }] }, /operations\[0\] must be/);
  refused({ a: 1 }, /maps "a" to number/);
  const manifest = new Manifest();
  addManifest(manifest, { a: TOP }, 'one.json');
  addManifest(manifest, { a: TOP }, 'same.json');
  assert.throws(() => addManifest(manifest, { a: '{ me { name } }' }, 'two.json'), /two\.json "a": the id "a" is already given to another document/);
});
