/**
 * The plan engine: runs an operation as a cached query plan over the sources' executors.
 *
 *   document ─> plan cache (print once, plan once: @graphql-hive/router-query-planner)
 *            ─> run the plan (fetch.ts: requests to sources, entities merged in place)
 *            ─> introspection, if asked (graphql-js over the API schema)
 *            ─> project the client's selection (project.ts) ─> result object
 *
 * Variables arrive coerced (the `ExecutionEngine` contract: the pipeline coerces them once,
 * defaults applied). The result object is serialised once, by the server. See ../README.md.
 */
import { execute, GraphQLError, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { QueryPlanner } from '@graphql-hive/router-query-planner';
import type { ExecutionArgs, ExecutionEngine } from '../engine.js';
import { mergeInto } from './merge.js';
import { prepareOperation, type ReadyOperation } from './operation.js';
import { PlanCache } from './plan-cache.js';
import { projectResponse } from './project.js';
import { runNode } from './run-plan.js';
import { typeRelationsOf, type TypeRelations } from './type-relations.js';
import type { RequestState, ResponseObject, SourceExecutor } from './types.js';
import { withLoaders } from '../../sources/loaders.js';

export type { SourceExecutor } from './types.js';

/** Distinct documents whose plans are kept, by default. */
export const DEFAULT_PLAN_CACHE_SIZE = 1000;

/** What the plan engine runs on. */
export interface PlanEngineOptions {
  /** The Apollo Federation supergraph SDL the plans are made against. */
  readonly supergraphSdl: string;
  /** The API schema (what the pipeline validates against): variables, projection, introspection. */
  readonly schema: GraphQLSchema;
  /** One executor per subgraph, by the supergraph's subgraph name (`@join__graph(name:)`). */
  readonly executors: ReadonlyMap<string, SourceExecutor>;
  /** Distinct documents whose plans are kept (least recently used goes first). Default 1000. */
  readonly planCacheSize?: number;
  /** Estimated bytes the kept plans may hold. Default: no bound but the count. */
  readonly planCacheMaxBytes?: number;
}

/**
 * Builds the plan engine. The planner reads the supergraph here, once (it throws if the
 * supergraph is not valid). `execute` never rejects: failures are errors in the result.
 */
export function createPlanEngine(options: PlanEngineOptions): ExecutionEngine {
  const { schema, executors } = options;
  const planner = new QueryPlanner(options.supergraphSdl);
  const relations = typeRelationsOf(options.supergraphSdl);
  const cache = new PlanCache(options.planCacheSize ?? DEFAULT_PLAN_CACHE_SIZE, options.planCacheMaxBytes);
  const deps = { planner, schema, executors };
  return {
    name: 'plan',
    async execute(args) {
      try {
        const prepared = cache.get(args.document, args.operationName ?? undefined, (text) => prepareOperation(args.document, args.operationName ?? undefined, text, deps));
        if (prepared.failure) return { errors: [prepared.failure] };
        return await run(prepared, args, schema, relations);
      } catch (error) {
        // A bug here must not take the request down with an unhandled rejection: the error
        // masking step logs it (with its stack) and answers INTERNAL_SERVER_ERROR.
        return { errors: [new GraphQLError('The plan engine failed.', { originalError: error as Error })] };
      }
    },
  };
}

const NO_VARIABLES: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

async function run(prepared: ReadyOperation, args: ExecutionArgs, schema: GraphQLSchema, relations: TypeRelations): Promise<ExecutionResult> {
  const state: RequestState = {
    data: {},
    errors: [],
    variables: args.variables ?? NO_VARIABLES,
    context: withLoaders(args.context),
    covered: new Set(),
    coveredRootKeys: new Set(),
  };
  if (prepared.plan) await runNode(prepared.plan, state, relations);
  if (prepared.introspection) {
    const result = await execute({
      schema,
      document: prepared.introspection,
      variableValues: args.variables ?? null,
      contextValue: args.context,
      operationName: args.operationName ?? null,
    });
    if (result.data) mergeInto(state.data, result.data as ResponseObject, relations);
    if (result.errors) state.errors.push(...result.errors);
  }
  const data = projectResponse(schema, prepared.rootType, prepared.selectionFor(state.variables), state);
  return state.errors.length > 0 ? { data, errors: state.errors } : { data };
}
