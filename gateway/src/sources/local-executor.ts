/**
 * The executor of a source served in-process (REST, gRPC): the operation runs with graphql-js
 * over the source's own schema, whose resolvers make the backend calls. This is how a REST or
 * gRPC source answers the same `SourceExecutor` contract as a GraphQL subgraph.
 */
import { execute, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { SourceExecutor } from './types.js';

/** An executor running each request over `schema` (resolvers attached). */
export function createLocalExecutor(schema: GraphQLSchema): SourceExecutor {
  return async (request) =>
    (await execute({
      schema,
      document: request.document,
      variableValues: request.variables ?? null,
      operationName: request.operationName ?? null,
      contextValue: request.context,
      rootValue: request.rootValue,
    })) as ExecutionResult;
}
