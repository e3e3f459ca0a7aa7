/**
 * `@lookup(key:)` fields become stitching merge config: how a reference to an entity from
 * another source is completed in this one. A list lookup (`productsByUpc(upcs: [ID!]!)`) is
 * called once per type and query level with every key; a single lookup (`user(id:)`) once per
 * key. `@internal` fields, and the federation plumbing, are hidden from the public graph.
 */
import { getNamedType, isListType, isNonNullType, type GraphQLField, type GraphQLSchema } from 'graphql';
import type { MergedTypeConfig } from '@graphql-tools/delegate';
import { getDirective } from '@graphql-tools/utils';
import { FilterRootFields, FilterTypes } from '@graphql-tools/wrap';
import type { Transform } from '@graphql-tools/delegate';
import { GatewayError } from '../errors/index.js';

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

/** Federation plumbing that a federation subgraph schema adds and the public graph never shows. */
const HIDDEN_TYPES = /^(_Any|_Entity|_Service|link__.*|federation__.*|join__.*)$/;
const HIDDEN_ROOT_FIELDS = new Set(['_entities', '_service']);

/** Transforms that hide `@internal` root fields and federation plumbing; merging still uses them. */
export function publicTransforms(schema: GraphQLSchema): Transform[] {
  const hidden = new Set<string>();
  for (const rootType of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!rootType) continue;
    for (const field of Object.values(rootType.getFields())) {
      if (HIDDEN_ROOT_FIELDS.has(field.name) || getDirective(schema, field, 'internal')?.length) hidden.add(`${rootType.name}.${field.name}`);
    }
  }
  return [
    new FilterRootFields((operation, fieldName) => !hidden.has(`${rootTypeName(schema, operation)}.${fieldName}`)),
    new FilterTypes((type) => !HIDDEN_TYPES.test(type.name)),
  ];
}

function rootTypeName(schema: GraphQLSchema, operation: 'Query' | 'Mutation' | 'Subscription'): string {
  const type = operation === 'Query' ? schema.getQueryType() : operation === 'Mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  return type?.name ?? operation;
}
