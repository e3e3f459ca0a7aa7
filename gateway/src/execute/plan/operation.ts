/**
 * Preparing an operation, once per distinct document and operation name: the operation and
 * its fragments, the introspection split, the plan (from the Rust query planner, prepared for
 * the executor), and the compiled client selection per `@skip`/`@include` variable values.
 * A plan that cannot be made is kept as its error, so a bad document is not planned again.
 */
import {
  getOperationAST,
  GraphQLError,
  Kind,
  print,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { QueryPlanner } from '@graphql-hive/router-query-planner';
import { splitIntrospection } from './introspection.js';
import { preparePlan, type PreparedNode } from './prepare.js';
import { SelectionPlan, type RuntimeType } from './selection-plan.js';
import type { SourceExecutor } from './types.js';

/** Distinct `@skip`/`@include` value combinations kept per operation; more are compiled per request. */
const SELECTION_VARIANTS = 64;

/** What preparing needs: the planner, the API schema, the source executors. */
export interface PrepareDependencies {
  readonly planner: QueryPlanner;
  readonly schema: GraphQLSchema;
  readonly executors: ReadonlyMap<string, SourceExecutor>;
}

/** An operation ready to run, or the error that says why it cannot be. */
export type PreparedOperation = ReadyOperation | { readonly failure: GraphQLError };

/** An operation ready to run. */
export interface ReadyOperation {
  readonly failure?: undefined;
  readonly operation: OperationDefinitionNode;
  readonly rootType: RuntimeType;
  /** The prepared plan; `undefined` when no source is called (introspection, `__typename`). */
  readonly plan: PreparedNode | undefined;
  /** The introspection part, answered from the API schema. */
  readonly introspection: DocumentNode | undefined;
  /** The compiled client selection for these variables' `@skip`/`@include` values. */
  selectionFor(variables: Readonly<Record<string, unknown>>): SelectionPlan;
}

/** Variables that decide a `@skip` or `@include` anywhere in the document. */
function conditionVariables(document: DocumentNode): string[] {
  const names = new Set<string>();
  visit(document, {
    Directive(node) {
      if (node.name.value !== 'skip' && node.name.value !== 'include') return;
      for (const argument of node.arguments ?? []) if (argument.value.kind === Kind.VARIABLE) names.add(argument.value.name.value);
    },
  });
  return [...names];
}

/**
 * Prepares `operationName` of `document`; `text` is the document printed (once per document
 * object, by the plan cache).
 */
export function prepareOperation(document: DocumentNode, operationName: string | undefined, text: string, deps: PrepareDependencies): PreparedOperation {
  const operation = getOperationAST(document, operationName);
  if (!operation) return { failure: new GraphQLError(operationName ? `Unknown operation named "${operationName}".` : 'Must provide an operation name when the document has several operations.', { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }) };
  const rootType = deps.schema.getRootType(operation.operation);
  if (!rootType) return { failure: new GraphQLError(`The schema has no ${operation.operation} type.`, { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }) };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const split = splitIntrospection(document, operation, fragments);
  let plan: PreparedNode | undefined;
  if (split.planned !== undefined) {
    try {
      const query = split.planned === document ? text : print(split.planned);
      plan = preparePlan(deps.planner.plan(query, operationName ?? null, new Set(), 0), deps.executors);
    } catch (error) {
      // No code a client may see: the error-masking step logs it and answers INTERNAL_SERVER_ERROR.
      return { failure: new GraphQLError(`The operation could not be planned: ${(error as Error).message}`, { originalError: error as Error }) };
    }
  }
  const conditions = conditionVariables(document);
  const variants = new Map<string, SelectionPlan>();
  const compile = (variables: Readonly<Record<string, unknown>>): SelectionPlan =>
    new SelectionPlan({ schema: deps.schema, fragments, variables }, [operation.selectionSet], operation.operation === 'query');
  return {
    operation,
    rootType,
    plan,
    introspection: split.introspection,
    selectionFor(variables) {
      let key = '';
      for (const name of conditions) key += variables[name] === true ? '1' : '0';
      let selection = variants.get(key);
      if (selection === undefined) {
        selection = compile(variables);
        if (variants.size < SELECTION_VARIANTS) variants.set(key, selection);
      }
      return selection;
    },
  };
}
