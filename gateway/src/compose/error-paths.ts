/**
 * Error paths for merged fields. When a batched lookup fails, the stitcher stores one error,
 * pathed at the list (`["topProducts", "inStock"]`), as the value of that field on every item;
 * graphql-js keeps a path an error already has. Relocating it to the field's own path gives
 * one error per item at its real place (`["topProducts", 0, "inStock"]`), as the spec wants.
 * Only fields of merged types are wrapped, and the wrapper only checks the value's class.
 */
import { defaultFieldResolver, GraphQLError, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { MapperKind, mapSchema, pathToArray, relocatedError } from '@graphql-tools/utils';

/** Names of the types the stitcher merges across sources. */
function mergedTypeNames(schema: GraphQLSchema): Set<string> {
  const info = schema.extensions['stitchingInfo'] as { mergedTypes?: Record<string, unknown> } | undefined;
  return new Set(Object.keys(info?.mergedTypes ?? {}));
}

function samePath(a: ReadonlyArray<string | number>, b: ReadonlyArray<string | number>): boolean {
  return a.length === b.length && a.every((segment, index) => segment === b[index]);
}

/** The schema with merged types' field resolvers placing errors at the field's own path. */
export function withFieldErrorPaths(schema: GraphQLSchema): GraphQLSchema {
  const merged = mergedTypeNames(schema);
  if (merged.size === 0) return schema;
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, _fieldName, typeName) => {
      if (!merged.has(typeName)) return fieldConfig;
      const resolve: GraphQLFieldResolver<unknown, unknown> = fieldConfig.resolve ?? defaultFieldResolver;
      return {
        ...fieldConfig,
        resolve(source, args, context, info) {
          const value = resolve(source, args, context, info);
          if (value instanceof GraphQLError && value.path !== undefined) {
            const path = pathToArray(info.path);
            if (!samePath(value.path, path)) return relocatedError(value, path);
          }
          return value;
        },
      };
    },
  });
}
