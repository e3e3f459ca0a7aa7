/**
 * Execute: the step that runs a validated operation over the composed graph. Every engine sits
 * behind `ExecutionEngine`, so a faster one (running a cached plan over the source executors)
 * can stand beside the reference engine and be tested against it on the same documents.
 */
import { execute, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { GatewayContext } from '../context.js';
import { withLoaders } from '../sources/loaders.js';

/** One operation to run: parsed and validated already, its variables coerced. */
export interface ExecutionArgs {
  document: DocumentNode;
  operationName?: string | null | undefined;
  variables?: Record<string, unknown> | undefined;
  context: GatewayContext;
}

/** An engine: runs an operation and resolves with its result (errors inside, never thrown). */
export interface ExecutionEngine {
  readonly name: string;
  execute(args: ExecutionArgs): Promise<ExecutionResult>;
}

/**
 * The reference engine: graphql-js over the stitched schema, delegating resolver by resolver.
 * Each operation gets its own batch loaders (`withLoaders`).
 */
export function createReferenceEngine(schema: GraphQLSchema): ExecutionEngine {
  return {
    name: 'reference',
    async execute(args) {
      return execute({
        schema,
        document: args.document,
        operationName: args.operationName ?? null,
        variableValues: args.variables ?? null,
        contextValue: withLoaders(args.context),
      });
    },
  };
}
