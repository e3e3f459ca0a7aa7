/**
 * `@lookup(key:)` root fields, read once from a source's schema: how the source fetches the
 * entities of one type by key. The stitcher (compose/lookups.ts) and the plan engine's entity
 * fetches (`_entities`, see entities.ts and graphql/entities.ts) both complete entities through
 * them, so both read them here. Malformed lookups are left out: compose rejects them, with a
 * message, before anything runs.
 */
import { getNamedType, isListType, isNonNullType, type GraphQLField, type GraphQLSchema, type GraphQLType } from 'graphql';
import { getDirective } from '@graphql-tools/utils';

/** One well-formed `@lookup(key:)` field of a source's `Query` type. */
export interface EntityLookup {
  /** The entity type it returns (`Product`). */
  readonly typeName: string;
  /** The root field (`productsByUpc`). */
  readonly field: GraphQLField<unknown, unknown>;
  /** Its one argument, which holds the key or the list of keys (`upcs`). */
  readonly argument: string;
  /** The entity field the keys match (`upc`). */
  readonly key: string;
  /** True for a batch lookup (a list of keys in, a list out); false for one key, one entity. */
  readonly list: boolean;
}

function unwrapNonNull(type: GraphQLType): GraphQLType {
  return isNonNullType(type) ? type.ofType : type;
}

/** The `@lookup` key of `field`, when it has one. */
export function lookupKey(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>): string | undefined {
  const key = (getDirective(schema, field, 'lookup')?.[0] as { key?: unknown } | undefined)?.key;
  return typeof key === 'string' ? key : undefined;
}

/**
 * The well-formed `@lookup` fields of `schema`'s `Query` type, by entity type name (the first
 * one per type: compose refuses a second).
 */
export function entityLookups(schema: GraphQLSchema): ReadonlyMap<string, EntityLookup> {
  const lookups = new Map<string, EntityLookup>();
  for (const field of Object.values(schema.getQueryType()?.getFields() ?? {})) {
    const key = lookupKey(schema, field);
    const [argument] = field.args;
    if (key === undefined || field.args.length !== 1 || argument === undefined) continue;
    const list = isListType(unwrapNonNull(field.type));
    if (list !== isListType(unwrapNonNull(argument.type))) continue;
    const typeName = getNamedType(field.type).name;
    if (!lookups.has(typeName)) lookups.set(typeName, { typeName, field, argument: argument.name, key, list });
  }
  return lookups;
}
