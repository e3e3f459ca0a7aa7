/**
 * Entity fetches for the sources served in-process (REST, gRPC). A query plan completes an
 * entity in the source that serves its other fields with Apollo Federation's
 * `_entities(representations: [_Any!]!): [_Entity]!`. Here that field is added to the
 * source's own schema and answered by its `@lookup` fields: a batch lookup is called once per
 * fetch and entity type with every key, a single-key lookup once per key (identical calls of
 * one request are still made once, by the request's loaders). Answers come back in the order
 * of the representations, null for an entity the backend does not know. The same executor
 * then serves both the stitcher (which never asks for `_entities`) and the plan engine.
 */
import {
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLUnionType,
  type GraphQLFieldConfig,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
} from 'graphql';
import { entityLookups, type EntityLookup } from './entity-lookups.js';
import type { SourceContext } from './types.js';

type Entity = Record<string, unknown>;

function isObject(value: unknown): value is Entity {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The entity a lookup answered, typed for `_Entity`; anything but an object is "not found". */
function asEntity(value: unknown, typeName: string): Entity | null {
  return isObject(value) ? { ...value, __typename: typeName } : null;
}

/** A resolved lookup: the entity type's lookup field and the resolver that makes its call. */
interface BoundLookup {
  readonly lookup: EntityLookup;
  readonly resolve: GraphQLFieldResolver<unknown, SourceContext>;
}

async function resolveGroup(bound: BoundLookup, keys: readonly unknown[], context: SourceContext, info: GraphQLResolveInfo): Promise<ReadonlyArray<Entity | Error | null>> {
  const { lookup, resolve } = bound;
  if (lookup.list) {
    // One call for every key. A failure fails the fetch as a whole (one error, placed by the
    // engine at the first entity it was for), as a failed HTTP subgraph would.
    const answer: unknown = await resolve(undefined, { [lookup.argument]: keys }, context, info);
    const list = Array.isArray(answer) ? answer : [];
    return keys.map((_key, index) => asEntity(list[index], lookup.typeName));
  }
  // One call per key; a key whose call fails gets its own error at its own entity.
  return Promise.all(keys.map(async (key) => {
    try {
      return asEntity(await resolve(undefined, { [lookup.argument]: key }, context, info), lookup.typeName);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }));
}

function entitiesResolver(lookups: ReadonlyMap<string, BoundLookup>): GraphQLFieldResolver<unknown, SourceContext, { representations: unknown[] }> {
  return async (_root, { representations }, context, info) => {
    const results: Array<Entity | Error | null> = representations.map(() => null);
    // Representations by type, in order: each type's lookup gets its keys in one list.
    const groups = new Map<string, { indices: number[]; keys: unknown[] }>();
    representations.forEach((representation, index) => {
      if (!isObject(representation) || typeof representation.__typename !== 'string') return;
      const bound = lookups.get(representation.__typename);
      const key = bound === undefined ? undefined : representation[bound.lookup.key];
      if (key === undefined || key === null) return;
      let group = groups.get(representation.__typename);
      if (group === undefined) groups.set(representation.__typename, (group = { indices: [], keys: [] }));
      group.indices.push(index);
      group.keys.push(key);
    });
    await Promise.all([...groups].map(async ([typeName, group]) => {
      const answers = await resolveGroup(lookups.get(typeName)!, group.keys, context, info);
      group.indices.forEach((index, position) => {
        results[index] = answers[position] ?? null;
      });
    }));
    return results;
  };
}

const ANY = new GraphQLScalarType({ name: '_Any', description: 'A representation: `__typename` and the key of an entity.' });

/**
 * `schema` (resolvers attached) with `_entities` answered by its `@lookup` fields, for the
 * plan engine's entity fetches. A schema without lookups is returned as it is: no plan asks it
 * for entities.
 */
export function withEntities(schema: GraphQLSchema): GraphQLSchema {
  const query = schema.getQueryType();
  const lookups = entityLookups(schema);
  if (query === undefined || query === null || lookups.size === 0) return schema;
  const bound = new Map<string, BoundLookup>();
  const types: GraphQLObjectType[] = [];
  for (const lookup of lookups.values()) {
    const type = schema.getType(lookup.typeName);
    if (!(type instanceof GraphQLObjectType) || lookup.field.resolve === undefined) continue;
    types.push(type);
    bound.set(lookup.typeName, { lookup, resolve: lookup.field.resolve as GraphQLFieldResolver<unknown, SourceContext> });
  }
  if (types.length === 0) return schema;
  const entity = new GraphQLUnionType({ name: '_Entity', types });
  const entities: GraphQLFieldConfig<unknown, SourceContext, { representations: unknown[] }> = {
    type: new GraphQLNonNull(new GraphQLList(entity)),
    args: { representations: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(ANY))) } },
    resolve: entitiesResolver(bound),
  };
  const queryConfig = query.toConfig();
  const extended = new GraphQLObjectType({ ...queryConfig, fields: { ...queryConfig.fields, _entities: entities as GraphQLFieldConfig<unknown, unknown> } });
  const config = schema.toConfig();
  return new GraphQLSchema({
    ...config,
    query: extended,
    types: [...config.types.map((type) => (type === query ? extended : type)), entity, ANY],
  });
}
