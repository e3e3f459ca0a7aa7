/**
 * Test support for the plan engine: real federation subgraphs (graphql-js schemas built by
 * @apollo/subgraph) run in-process behind `SourceExecutor`s, as REST and gRPC sources do in
 * schema/ mode; the supergraph composed by @theguild/federation-composition; the engine under
 * test in front. Every request a subgraph receives is recorded.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { composeServices } from '@theguild/federation-composition';
import { buildSchema, execute, getOperationAST, getVariableValues, parse, print, validate, type GraphQLSchema } from 'graphql';
import type { ExecutionEngine } from '../../../gateway/src/execute/engine.js';
import { createPlanEngine, type SourceExecutor } from '../../../gateway/src/execute/plan/index.js';
import { sourceContext } from '../../support/sources.js';

/** One subgraph: its SDL and resolvers. */
export interface TestSubgraph {
  name: string;
  typeDefs: string;
  resolvers?: GraphQLResolverMap<unknown>;
}

/** One request a subgraph received. */
export interface RecordedCall {
  source: string;
  query: string;
  variables: Record<string, unknown>;
}

/** A response as a client reads it (JSON). */
export interface JsonResult {
  data?: Record<string, unknown> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }>;
}

/** A composed graph with the plan engine in front. */
export interface TestGraph {
  readonly supergraphSdl: string;
  readonly schema: GraphQLSchema;
  readonly engine: ExecutionEngine;
  /** Every subgraph request so far, in order. */
  readonly calls: RecordedCall[];
  /** Subgraphs whose executor rejects, as one does when its source cannot be reached. */
  readonly down: Set<string>;
  /** Validates (as the pipeline does) and executes `query`; the result as JSON. */
  run(query: string, variables?: Record<string, unknown>, operationName?: string): Promise<JsonResult>;
  /** Calls made to `source` so far. */
  callsTo(source: string): RecordedCall[];
  /** Forgets the calls recorded so far. */
  resetCalls(): void;
}

/** Composes `subgraphs` and builds the plan engine over in-process executors. */
export function createTestGraph(subgraphs: readonly TestSubgraph[]): TestGraph {
  const composed = composeServices(subgraphs.map((subgraph) => ({ name: subgraph.name, typeDefs: parse(subgraph.typeDefs), url: `http://127.0.0.1:1/${subgraph.name}` })));
  if (composed.errors) throw new Error(`composition failed: ${composed.errors.map((error) => error.message).join('; ')}`);
  const schema = buildSchema(composed.publicSdl);
  const calls: RecordedCall[] = [];
  const down = new Set<string>();
  const executors = new Map<string, SourceExecutor>(subgraphs.map((subgraph) => {
    const subgraphSchema = buildSubgraphSchema({ typeDefs: parse(subgraph.typeDefs), resolvers: subgraph.resolvers ?? {} });
    const executor: SourceExecutor = async (request) => {
      calls.push({ source: subgraph.name, query: print(request.document), variables: request.variables ?? {} });
      if (down.has(subgraph.name)) throw new Error(`connect ECONNREFUSED (${subgraph.name})`);
      return execute({ schema: subgraphSchema, document: request.document, variableValues: request.variables, contextValue: request.context });
    };
    return [subgraph.name, executor];
  }));
  const engine = createPlanEngine({ supergraphSdl: composed.supergraphSdl, schema, executors });
  return {
    supergraphSdl: composed.supergraphSdl,
    schema,
    engine,
    calls,
    down,
    run: (query, variables, operationName) => runWith(engine, schema, query, variables, operationName),
    callsTo: (source) => calls.filter((call) => call.source === source),
    resetCalls: () => {
      calls.length = 0;
    },
  };
}

/** Runs `query` through `engine` after validating it against `schema`. */
export async function runWith(engine: ExecutionEngine, schema: GraphQLSchema, query: string, variables?: Record<string, unknown>, operationName?: string): Promise<JsonResult> {
  const document = parse(query);
  const invalid = validate(schema, document);
  if (invalid.length > 0) throw new Error(`invalid test query: ${invalid.map((error) => error.message).join('; ')}`);
  // Variables are coerced before the engine, as the pipeline does (server/pipeline.ts).
  const coerced = getVariableValues(schema, getOperationAST(document, operationName)?.variableDefinitions ?? [], variables ?? {}, { maxErrors: 25 });
  if (coerced.errors !== undefined) return JSON.parse(JSON.stringify({ errors: coerced.errors })) as JsonResult;
  const result = await engine.execute({ document, variables: coerced.coerced, operationName, context: sourceContext({ requestId: 'test' }) });
  return JSON.parse(JSON.stringify(result)) as JsonResult;
}
