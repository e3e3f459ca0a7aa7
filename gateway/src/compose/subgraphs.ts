/**
 * `schema/` mode as a supergraph, for the plan engine. Each source becomes an Apollo Federation
 * 2 subgraph, and `@theguild/federation-composition` composes them, once at start-up:
 *
 * - a federation source keeps its own SDL;
 * - any other source's SDL is its annotated schema with OpenClaw's directives stripped, where
 *   a type with a `@lookup(key:)` field gets `@key(fields: key)` (its lookup answers the plan's
 *   `_entities`, sources/entities.ts and sources/graphql/entities.ts), a type the source only
 *   references gets `@key(fields: ..., resolvable: false)` with the key another source resolves
 *   it by, an `@internal` root field is `@inaccessible`, and a field several sources declare is
 *   `@shareable` (key fields excepted: federation shares those by itself).
 *
 * The executors are the sources' own, one per source: the one the stitcher calls, or a source's
 * `planExecutor` where it answers `_entities` differently (a plain GraphQL source). A graph
 * that does not compose is SCHEMA_INVALID, naming the sources and composition's reasons.
 */
import { Kind, visit, type ConstDirectiveNode, type DefinitionNode, type DocumentNode, type FieldDefinitionNode, type GraphQLSchema, type ObjectTypeDefinitionNode } from 'graphql';
import { getDocumentNodeFromSchema } from '@graphql-tools/utils';
import type * as Composition from '@theguild/federation-composition';
import { lazyModule } from '../lazy.js';
import { GatewayError } from '../errors/index.js';
import { entityLookups } from '../sources/entity-lookups.js';
import type { SourceExecutor, SourceRuntime } from '../sources/types.js';
import { resolvableKeys } from '../sources/graphql/federation-keys.js';
import { hiddenRootFields, isPlumbingField, isPlumbingType } from './lookups.js';

/** The supergraph of `schema/` mode and the executor of each of its subgraphs. */
export interface ComposedSupergraph {
  readonly sdl: string;
  /** By subgraph name, which is the source's name. */
  readonly executors: ReadonlyMap<string, SourceExecutor>;
}

const FEDERATION_LINK = 'https://specs.apollo.dev/federation/v2.3';
/** Directives a derived subgraph keeps from its source's SDL: graphql-js's own. */
const KEPT_DIRECTIVES = new Set(['deprecated', 'specifiedBy']);

const NAME = (value: string) => ({ kind: Kind.NAME, value }) as const;
const STRING = (value: string) => ({ kind: Kind.STRING, value }) as const;

function directive(name: string, args: Record<string, string | boolean> = {}): ConstDirectiveNode {
  return {
    kind: Kind.DIRECTIVE,
    name: NAME(name),
    arguments: Object.entries(args).map(([argName, value]) => ({
      kind: Kind.ARGUMENT,
      name: NAME(argName),
      value: typeof value === 'boolean' ? { kind: Kind.BOOLEAN, value } : STRING(value),
    })),
  };
}

/** What compose knows across sources before it writes any subgraph. */
interface GraphFacts {
  /** Key field sets by type, from every source's lookups and every federation `@key`. */
  readonly keys: ReadonlyMap<string, readonly string[]>;
  /** How many sources declare each `Type.field`. */
  readonly declared: ReadonlyMap<string, number>;
}

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

/** The resolvable `@key(fields:)` of each object type of a federation subgraph's SDL. */
function federationKeys(sdl: DocumentNode, keys: Map<string, string[]>): void {
  for (const node of sdl.definitions) {
    if (node.kind !== Kind.OBJECT_TYPE_DEFINITION && node.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const key of resolvableKeys(node)) addTo(keys, node.name.value, key);
  }
}

function objectFields(schema: GraphQLSchema): Array<[string, string[]]> {
  const found: Array<[string, string[]]> = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || isPlumbingType(type.name) || !('getFields' in type) || !('getInterfaces' in type)) continue;
    found.push([type.name, Object.keys(type.getFields()).filter((field) => !isPlumbingField(field))]);
  }
  return found;
}

function graphFacts(sources: readonly SourceRuntime[]): GraphFacts {
  const keys = new Map<string, string[]>();
  const declared = new Map<string, number>();
  for (const source of sources) {
    if (source.subgraphSdl) federationKeys(source.subgraphSdl, keys);
    else for (const lookup of entityLookups(source.schema).values()) addTo(keys, lookup.typeName, lookup.key);
    for (const [typeName, fields] of objectFields(source.schema)) {
      for (const field of fields) declared.set(`${typeName}.${field}`, (declared.get(`${typeName}.${field}`) ?? 0) + 1);
    }
  }
  return { keys, declared };
}

/** Whether every field of a simple key (`"id"`, `"a b"`) is a field of `fields`. */
function keyFits(key: string, fields: ReadonlyArray<{ name: { value: string } }>): boolean {
  const names = key.trim().split(/\s+/);
  return !key.includes('{') && names.every((name) => fields.some((field) => field.name.value === name));
}

/** The subgraph SDL of a source that is not a federation subgraph (see the header). */
function deriveSubgraphSdl(source: SourceRuntime, facts: GraphFacts): DocumentNode {
  const schema = source.schema;
  const lookups = entityLookups(schema);
  const roots = new Set([schema.getQueryType()?.name, schema.getMutationType()?.name, schema.getSubscriptionType()?.name]);
  // `@internal` root fields (the plumbing ones among them are dropped below, not hidden).
  const internal = new Set(hiddenRootFields(schema));
  // OpenClaw's directives (and any other the source's SDL carries) are not the supergraph's.
  const stripped = visit(getDocumentNodeFromSchema(schema), {
    Directive: (node) => (KEPT_DIRECTIVES.has(node.name.value) ? undefined : null),
  });
  const definitions: DefinitionNode[] = [];
  for (const node of stripped.definitions) {
    if (node.kind === Kind.DIRECTIVE_DEFINITION) continue;
    if ('name' in node && node.name !== undefined && isPlumbingType(node.name.value)) continue;
    if (node.kind !== Kind.OBJECT_TYPE_DEFINITION) {
      definitions.push(node);
      continue;
    }
    const typeName = node.name.value;
    const isRoot = roots.has(typeName);
    const fields = (node.fields ?? []).filter((field) => !(isRoot && isPlumbingField(field.name.value)));
    const typeDirectives: ConstDirectiveNode[] = [];
    let keyFields: readonly string[] = [];
    const lookup = lookups.get(typeName);
    if (!isRoot && lookup !== undefined) {
      typeDirectives.push(directive('key', { fields: lookup.key }));
      keyFields = [lookup.key];
    } else if (!isRoot) {
      const key = facts.keys.get(typeName)?.find((candidate) => keyFits(candidate, fields));
      if (key !== undefined) {
        typeDirectives.push(directive('key', { fields: key, resolvable: false }));
        keyFields = key.trim().split(/\s+/);
      }
    }
    const withDirectives = fields.map((field): FieldDefinitionNode => {
      const coordinate = `${typeName}.${field.name.value}`;
      const added: ConstDirectiveNode[] = [];
      if (internal.has(coordinate)) added.push(directive('inaccessible'));
      if ((facts.declared.get(coordinate) ?? 0) > 1 && !keyFields.includes(field.name.value)) added.push(directive('shareable'));
      return added.length === 0 ? field : { ...field, directives: [...(field.directives ?? []), ...added] };
    });
    const object: ObjectTypeDefinitionNode = { ...node, fields: withDirectives, directives: [...(node.directives ?? []), ...typeDirectives] };
    definitions.push(object);
  }
  const link: DefinitionNode = {
    kind: Kind.SCHEMA_EXTENSION,
    directives: [{
      kind: Kind.DIRECTIVE,
      name: NAME('link'),
      arguments: [
        { kind: Kind.ARGUMENT, name: NAME('url'), value: STRING(FEDERATION_LINK) },
        { kind: Kind.ARGUMENT, name: NAME('import'), value: { kind: Kind.LIST, values: ['@key', '@shareable', '@inaccessible'].map(STRING) } },
      ],
    }],
  };
  return { kind: Kind.DOCUMENT, definitions: [link, ...definitions] };
}

type CompositionLibrary = typeof Composition;
/** The composition library: loaded only in schema/ mode, the one that composes. */
const composition = lazyModule<CompositionLibrary>('@theguild/federation-composition');

/**
 * Composes the sources into a supergraph (see the header). Throws SCHEMA_INVALID when
 * composition fails, with its reasons.
 */
export function composeSourceSupergraph(sources: readonly SourceRuntime[]): ComposedSupergraph {
  const facts = graphFacts(sources);
  const services = sources.map((source) => ({
    name: source.name,
    typeDefs: source.subgraphSdl ?? deriveSubgraphSdl(source, facts),
    url: source.url,
  }));
  const names = sources.map((source) => source.name).join(', ');
  let result: ReturnType<CompositionLibrary['composeServices']>;
  try {
    result = composition().composeServices(services);
  } catch (error) {
    throw new GatewayError('SCHEMA_INVALID', `The sources ${names} do not compose into a supergraph: ${(error as Error).message}`);
  }
  if (result.errors !== undefined && result.errors.length > 0) {
    const reasons = result.errors.map((error) => error.message.replace(/\.?$/, '.')).join(' ');
    throw new GatewayError('SCHEMA_INVALID', `The sources ${names} do not compose into a supergraph (the plan engine runs on it): ${reasons}`);
  }
  return {
    sdl: result.supergraphSdl!,
    executors: new Map(sources.map((source) => [source.name, source.planExecutor ?? source.executor])),
  };
}
