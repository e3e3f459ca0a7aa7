/**
 * Plugs an ExecutionEngine into Apollo Server through its gateway interface: Apollo keeps the
 * HTTP contract, parsing, validation and its document cache; the engine runs the operation.
 */
import type { GatewayInterface } from '@apollo/server-gateway-interface';
import type { GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context.js';
import type { ExecutionEngine } from './engine.js';

/** An Apollo `gateway` that serves `schema` and executes with `engine`. */
export function apolloGatewayFor(schema: GraphQLSchema, engine: ExecutionEngine): GatewayInterface {
  return {
    async load() {
      return {
        executor: async (requestContext) => engine.execute({
          document: requestContext.document,
          operationName: requestContext.operationName,
          variables: requestContext.request.variables,
          context: requestContext.context as unknown as GatewayContext,
        }),
      };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    async stop() {},
  };
}
