/**
 * Builds an executable schema from SDL and a resolver map with graphql-js alone, so the plain
 * GraphQL backends need no schema-tools dependency.
 */
import { buildSchema, isObjectType } from 'graphql';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';

/** A resolver as the generated `Resolvers` types allow it: a function or `{ resolve }`. */
type FieldResolver = GraphQLFieldResolver<unknown, unknown> | { resolve: GraphQLFieldResolver<unknown, unknown> };

/** Resolvers by type and field name, e.g. a generated `Resolvers` object. */
export type ResolverMap = Readonly<Record<string, object | undefined>>;

/**
 * Parses `sdl` and attaches `resolvers`. Throws when a resolver names a type or field the
 * schema lacks: a resolver that can never run is a mistake worth failing start-up for.
 */
export function buildExecutableSchema(sdl: string, resolvers: ResolverMap): GraphQLSchema {
  const schema = buildSchema(sdl);
  for (const [typeName, fieldResolvers] of Object.entries(resolvers)) {
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`resolvers name ${typeName}, which is not an object type of the schema`);
    const fields = type.getFields();
    for (const [fieldName, resolver] of Object.entries(fieldResolvers ?? {}) as [string, FieldResolver][]) {
      const field = fields[fieldName];
      if (!field) throw new Error(`resolvers name ${typeName}.${fieldName}, which the schema does not define`);
      field.resolve = typeof resolver === 'function' ? resolver : resolver.resolve;
    }
  }
  return schema;
}
