/**
 * `@lookup(key:)` fields become stitching merge config: how a reference to an entity from
 * another source is completed in this one. A list lookup (`productsByUpc(upcs: [ID!]!)`) is
 * called once per type and query level with every key; a single lookup (`user(id:)`) once per
 * key. `@internal` root fields and the federation plumbing are hidden from the public graph.
 */
import { getNamedType, isListType, isNonNullType, type GraphQLField, type GraphQLSchema } from 'graphql';
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import type { MergedTypeConfig } from '@graphql-tools/delegate';
import { getDirective } from '@graphql-tools/utils';
import { GatewayError } from '../errors/index.js';
import { OPENCLAW_DIRECTIVE_NAMES, OPENCLAW_TYPE_NAMES } from '../directives/index.js';

/** Merge config for every `@lookup` root field of `schema` (source `source`). */
export function lookupMergeConfig(source: string, schema: GraphQLSchema): Record<string, MergedTypeConfig> {
  const merge: Record<string, MergedTypeConfig> = {};
  const fields = schema.getQueryType()?.getFields() ?? {};
  for (const field of Object.values(fields)) {
    const lookup = getDirective(schema, field, 'lookup')?.[0] as { key?: string } | undefined;
    if (lookup?.key === undefined) continue;
    const typeName = getNamedType(field.type).name;
    if (merge[typeName] !== undefined) {
      throw new GatewayError('SCHEMA_INVALID', `Source "${source}": Query.${field.name} is a second @lookup for ${typeName}; a source has at most one.`, { source });
    }
    merge[typeName] = lookupConfig(source, field, lookup.key);
  }
  return merge;
}

function lookupConfig(source: string, field: GraphQLField<unknown, unknown>, key: string): MergedTypeConfig {
  const arg = field.args[0];
  if (field.args.length !== 1 || arg === undefined) {
    throw new GatewayError('SCHEMA_INVALID', `Source "${source}": @lookup field Query.${field.name} must take exactly one argument (the key or the list of keys).`, { source });
  }
  const returnsList = isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
  const argIsList = isListType(isNonNullType(arg.type) ? arg.type.ofType : arg.type);
  if (returnsList !== argIsList) {
    throw new GatewayError('SCHEMA_INVALID', `Source "${source}": @lookup field Query.${field.name} must take a list of keys and return a list, or take one key and return one ${getNamedType(field.type).name}.`, { source });
  }
  const keyOf = (entity: Record<string, unknown>): unknown => entity[key];
  return returnsList
    ? { selectionSet: `{ ${key} }`, fieldName: field.name, key: keyOf, argsFromKeys: (keys) => ({ [arg.name]: keys }) }
    : { selectionSet: `{ ${key} }`, fieldName: field.name, args: (entity: Record<string, unknown>) => ({ [arg.name]: keyOf(entity) }) };
}

/** Federation plumbing and OpenClaw's directive types: in subschemas, never in the public graph. */
const HIDDEN_TYPES = /^(_Any|_Entity|_Service|_FieldSet|link__\w*|federation__\w*|join__\w*)$/;

/** Whether `name` is a type of the federation plumbing or of OpenClaw's directives: in no public graph. */
export function isPlumbingType(name: string): boolean {
  return HIDDEN_TYPES.test(name) || OPENCLAW_TYPE_NAMES.has(name);
}
const HIDDEN_ROOT_FIELDS = new Set(['_entities', '_service']);

/** Whether `name` is a root field of the federation plumbing (`_entities`, `_service`). */
export function isPlumbingField(name: string): boolean {
  return HIDDEN_ROOT_FIELDS.has(name);
}

/** `Type.field` of every root field of `schema` the public graph must not show (`@internal`, federation's). */
export function hiddenRootFields(schema: GraphQLSchema): string[] {
  const hidden: string[] = [];
  for (const rootType of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!rootType) continue;
    for (const field of Object.values(rootType.getFields())) {
      if (HIDDEN_ROOT_FIELDS.has(field.name) || getDirective(schema, field, 'internal')?.length) hidden.push(`${rootType.name}.${field.name}`);
    }
  }
  return hidden;
}

/**
 * The public graph: the stitched schema without hidden root fields and the plumbing types and
 * directives. This is done on the final schema, not with subschema transforms, because merge
 * resolvers delegate to the subschemas directly (and a filtered subschema view breaks the
 * abstract `_entities` selections).
 */
export function withoutPlumbing(schema: GraphQLSchema, hiddenFields: ReadonlySet<string>): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.ROOT_FIELD]: (fieldConfig, fieldName, typeName) => (hiddenFields.has(`${typeName}.${fieldName}`) ? null : fieldConfig),
    [MapperKind.TYPE]: (type) => (isPlumbingType(type.name) ? null : type),
    [MapperKind.DIRECTIVE]: (directive) => (OPENCLAW_DIRECTIVE_NAMES.has(directive.name) || FEDERATION_DIRECTIVES.test(directive.name) ? null : directive),
  });
}

const FEDERATION_DIRECTIVES = /^(link|key|external|requires|provides|shareable|extends|inaccessible|override|tag|composeDirective|interfaceObject)$/;
