/**
 * Reads `schema/*.graphql`: one file per source. Each file's `extend schema @source(...)` says
 * which backend its types and fields belong to; the rest of the file is that source's SDL.
 * Runs once at start-up; every problem is a SCHEMA_INVALID error naming the file and line (an
 * auth directive's bad argument: the file, the field and the argument).
 */
import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve } from 'node:path';
import { Kind, parse, print, type ConstDirectiveNode, type DefinitionNode, type DocumentNode } from 'graphql';
import { checkAuthDirectives } from '../auth/policy/requirements.js';
import { GatewayError } from '../errors/index.js';
import type { SourceDefinition, SourceKind } from '../sources/types.js';

const KINDS: Record<string, SourceKind> = { GRAPHQL: 'graphql', FEDERATION: 'federation', REST: 'rest', GRPC: 'grpc' };
const SOURCE_ARGS = new Set(['name', 'kind', 'url', 'sdl', 'openapi', 'proto', 'service']);

/** Lists the schema files named by `paths` (folders are read for `*.graphql` / `*.gql`, sorted). */
export async function listSchemaFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    let info;
    try {
      info = await stat(path);
    } catch {
      throw new GatewayError('SCHEMA_INVALID', `Schema path ${path} does not exist (config "schema").`);
    }
    if (info.isDirectory()) {
      const names = (await readdir(path)).filter((name) => ['.graphql', '.gql'].includes(extname(name))).sort();
      files.push(...names.map((name) => join(path, name)));
    } else {
      files.push(path);
    }
  }
  if (files.length === 0) throw new GatewayError('SCHEMA_INVALID', `No *.graphql files found in ${paths.join(', ')} (config "schema").`);
  return files;
}

/** Reads every schema file and returns one SourceDefinition per file, names unique. */
export async function loadSourceDefinitions(paths: readonly string[], rootDir: string): Promise<SourceDefinition[]> {
  const definitions: SourceDefinition[] = [];
  const byName = new Map<string, string>();
  for (const file of await listSchemaFiles(paths)) {
    const label = relative(rootDir, file) || file;
    const definition = parseSchemaFile(file, label, await readFile(file, 'utf8'));
    const previous = byName.get(definition.name);
    if (previous !== undefined) {
      throw new GatewayError('SCHEMA_INVALID', `${label}: source "${definition.name}" is already declared in ${previous}; source names must be unique.`);
    }
    byName.set(definition.name, label);
    definitions.push(definition);
  }
  return definitions;
}

/** Parses one schema file (`label` is how errors name it). Exported for tests and `openclaw check`. */
export function parseSchemaFile(file: string, label: string, text: string): SourceDefinition {
  let document: DocumentNode;
  try {
    document = parse(text);
  } catch (error) {
    const location = (error as { locations?: Array<{ line: number; column: number }> }).locations?.[0];
    const where = location ? `${label}:${location.line}:${location.column}` : label;
    throw new GatewayError('SCHEMA_INVALID', `${where}: ${(error as Error).message}`);
  }
  const sources: ConstDirectiveNode[] = [];
  const rest: DefinitionNode[] = [];
  for (const node of document.definitions) {
    if (node.kind === Kind.SCHEMA_EXTENSION || node.kind === Kind.SCHEMA_DEFINITION) {
      if ((node.operationTypes ?? []).length > 0) {
        throw new GatewayError('SCHEMA_INVALID', `${label}:${node.loc?.startToken.line ?? 1}: a schema file may not set operation types; write only "extend schema @source(...)".`);
      }
      for (const directive of node.directives ?? []) {
        if (directive.name.value !== 'source') {
          throw new GatewayError('SCHEMA_INVALID', `${label}:${directive.loc?.startToken.line ?? 1}: unknown schema directive @${directive.name.value}; only @source goes on "extend schema".`);
        }
        sources.push(directive);
      }
      continue;
    }
    rest.push(node);
  }
  if (sources.length !== 1) {
    throw new GatewayError('SCHEMA_INVALID', `${label}: ${sources.length === 0 ? 'declares no source' : 'declares more than one source'}; every schema file starts with exactly one extend schema @source(name: ..., kind: ...).`);
  }
  // Before any adapter reads the file's directives: a bad auth argument is named here.
  checkAuthDirectives({ label, definitions: rest });
  return definitionFrom(file, label, sources[0]!, { kind: Kind.DOCUMENT, definitions: rest });
}

function definitionFrom(file: string, label: string, directive: ConstDirectiveNode, typeDefs: DocumentNode): SourceDefinition {
  const line = directive.loc?.startToken.line ?? 1;
  const args = new Map<string, string>();
  for (const arg of directive.arguments ?? []) {
    const name = arg.name.value;
    if (!SOURCE_ARGS.has(name)) {
      throw new GatewayError('SCHEMA_INVALID', `${label}:${line}: @source has no argument "${name}"; it takes ${[...SOURCE_ARGS].join(', ')}.`);
    }
    const value = arg.value;
    if (value.kind !== Kind.STRING && value.kind !== Kind.ENUM) {
      throw new GatewayError('SCHEMA_INVALID', `${label}:${line}: @source(${name}:) must be ${name === 'kind' ? 'one of GRAPHQL, FEDERATION, REST, GRPC' : 'a string'}; received ${print(value)}.`);
    }
    args.set(name, value.value);
  }
  const name = args.get('name');
  if (name === undefined || !/^[A-Za-z][A-Za-z0-9_-]*$/.test(name)) {
    throw new GatewayError('SCHEMA_INVALID', `${label}:${line}: @source(name:) must be a name of letters, digits, "_" or "-" starting with a letter; received ${name === undefined ? 'nothing' : JSON.stringify(name)}.`);
  }
  const rawKind = args.get('kind');
  const kind = rawKind === undefined ? undefined : KINDS[rawKind];
  if (kind === undefined) {
    throw new GatewayError('SCHEMA_INVALID', `${label}:${line}: @source(kind:) must be one of GRAPHQL, FEDERATION, REST, GRPC; received ${rawKind ?? 'nothing'}.`);
  }
  const dir = dirname(file);
  const path = (key: string): string | undefined => {
    const value = args.get(key);
    return value === undefined ? undefined : resolve(dir, value);
  };
  if (kind === 'grpc' && (args.get('proto') === undefined || args.get('service') === undefined)) {
    throw new GatewayError('SCHEMA_INVALID', `${label}:${line}: a GRPC source needs @source(proto: "file.proto", service: "package.Service").`);
  }
  const definition: SourceDefinition = { name, kind, file, label, typeDefs };
  const url = args.get('url');
  if (url !== undefined) definition.url = url;
  const sdl = path('sdl');
  if (sdl !== undefined) definition.sdl = sdl;
  const openapi = path('openapi');
  if (openapi !== undefined) definition.openapi = openapi;
  const proto = path('proto');
  if (proto !== undefined) definition.proto = proto;
  const service = args.get('service');
  if (service !== undefined) definition.service = service;
  return definition;
}
