/**
 * Reading schema/: every mistake in a schema file is a SCHEMA_INVALID error that names the
 * file (and line) and says what to write instead.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { composeGateway, resolveConfig, type GatewayError } from '../../gateway/src/index.js';
import { parseSchemaFile } from '../../gateway/src/compose/load-schema.js';
import { tempDirs } from '../support/cli.js';

const temp = tempDirs('openclaw-compose-');
after(() => temp.removeAll());

function schemaError(text: string): string {
  try {
    parseSchemaFile('/x/schema/a.graphql', 'schema/a.graphql', text);
  } catch (error) {
    assert.equal((error as GatewayError).code, 'SCHEMA_INVALID');
    return (error as Error).message;
  }
  assert.fail('expected a SCHEMA_INVALID error');
}

test('a schema file must declare exactly one @source', () => {
  assert.equal(schemaError('type Query { a: Int }'), 'schema/a.graphql: declares no source; every schema file starts with exactly one extend schema @source(name: ..., kind: ...).');
  assert.equal(
    schemaError('extend schema @source(name: "a", kind: REST) @source(name: "b", kind: REST)'),
    'schema/a.graphql: declares more than one source; every schema file starts with exactly one extend schema @source(name: ..., kind: ...).',
  );
});

test('@source arguments are checked: kind, name, unknown arguments, what a GRPC source needs', () => {
  assert.equal(schemaError('extend schema @source(name: "a", kind: SOAP)'), 'schema/a.graphql:1: @source(kind:) must be one of GRAPHQL, FEDERATION, REST, GRPC; received SOAP.');
  assert.equal(schemaError('extend schema @source(name: "1a", kind: REST)'), 'schema/a.graphql:1: @source(name:) must be a name of letters, digits, "_" or "-" starting with a letter; received "1a".');
  assert.equal(schemaError('extend schema @source(name: "a", kind: REST, timeout: "5")'), 'schema/a.graphql:1: @source has no argument "timeout"; it takes name, kind, url, sdl, openapi, proto, service.');
  assert.equal(schemaError('extend schema @source(name: "a", kind: GRPC)'), 'schema/a.graphql:1: a GRPC source needs @source(proto: "file.proto", service: "package.Service").');
  assert.equal(schemaError('\n\nextend schema @auth'), 'schema/a.graphql:3: unknown schema directive @auth; only @source goes on "extend schema".');
});

test('a syntax error names the file, line and column', () => {
  assert.equal(schemaError('extend schema @source(name: "a", kind: REST)\ntype Query {\n  a: \n}'), 'schema/a.graphql:4:1: Syntax Error: Expected Name, found "}".');
});

test('paths in @source resolve against the schema file; the rest of the file is the source SDL', () => {
  const definition = parseSchemaFile('/srv/app/schema/p.graphql', 'schema/p.graphql', 'extend schema @source(name: "p", kind: REST, openapi: "../api/p.yaml", url: "http://p")\ntype Query { a: Int }');
  assert.equal(definition.openapi, '/srv/app/api/p.yaml');
  assert.equal(definition.url, 'http://p');
  assert.deepEqual(definition.typeDefs.definitions.map((node) => node.kind), ['ObjectTypeDefinition']);
});

test('two files may not declare the same source; config may not name an undeclared one', async () => {
  const dir = await temp.make();
  await mkdir(join(dir, 'schema'));
  await mkdir(join(dir, 'sdl'));
  await writeFile(join(dir, 'sdl', 'a.graphql'), 'type Query { a: Int }');
  const source = 'extend schema @source(name: "a", kind: GRAPHQL, url: "http://127.0.0.1:9", sdl: "../sdl/a.graphql")\n';
  await writeFile(join(dir, 'schema', 'one.graphql'), source);
  await writeFile(join(dir, 'schema', 'two.graphql'), source);
  await assert.rejects(composeGateway(resolveConfig({}, { rootDir: dir })), {
    code: 'SCHEMA_INVALID',
    message: 'schema/two.graphql: source "a" is already declared in schema/one.graphql; source names must be unique.',
  });
  await writeFile(join(dir, 'schema', 'two.graphql'), source.replace('"a"', '"b"'));
  await assert.rejects(composeGateway(resolveConfig({ sources: { c: { url: 'http://x' } } }, { rootDir: dir })), {
    code: 'CONFIG_INVALID',
    message: 'Invalid config: "sources.c" names no source declared under schema/; declared: a, b.',
  });
});

test('a source URL that is not http(s) is a CONFIG_INVALID error naming the source and the key', async () => {
  const dir = await temp.make();
  await mkdir(join(dir, 'schema'));
  await mkdir(join(dir, 'sdl'));
  await writeFile(join(dir, 'sdl', 'a.graphql'), 'type Query { a: Int }');
  await writeFile(join(dir, 'schema', 'a.graphql'), 'extend schema @source(name: "a", kind: GRAPHQL, sdl: "../sdl/a.graphql")\n');
  await assert.rejects(composeGateway(resolveConfig({ sources: { a: { url: 'localhost:4001' } } }, { rootDir: dir })), {
    code: 'CONFIG_INVALID',
    message: 'Source "a": url "localhost:4001" is not an absolute http(s) URL (config sources.a.url).',
  });
});
