/**
 * Preparing a plan: the planner's plan becomes a tree of prepared nodes, once per distinct
 * operation. Each fetch gets its parsed document (in-process sources execute it; the HTTP
 * executor prints it once per document object), its source executor, its root response keys,
 * and its paths, `requires` and rewrites in the form the executor walks. Nothing here runs per
 * request.
 */
import { Kind, parse, type DocumentNode, type OperationTypeNode, type SelectionSetNode } from 'graphql';
import type { BatchFetchNode, FetchNode, PlanNode, QueryPlan } from '@graphql-hive/router-query-planner';
import { preparePath, type PathStep } from './paths.js';
import { prepareRequires, type PreparedRequires } from './representations.js';
import { prepareRewrites, type Rewrite } from './rewrites.js';
import type { SourceExecutor } from './types.js';

/** One request to one source, ready to send. */
export interface PreparedFetch {
  readonly source: string;
  readonly executor: SourceExecutor;
  readonly document: DocumentNode;
  readonly operationName: string | undefined;
  readonly operationType: OperationTypeNode;
  /** The client's variables this request uses (and nothing else is sent). */
  readonly variableUsages: readonly string[];
  /** The response keys its root selection fills (where a failed root fetch's error goes). */
  readonly rootKeys: readonly string[];
}

/** One `_entities` selection of an entity fetch: where its entities are and what it sends. */
export interface EntityAlias {
  /** `_entities`, or the alias of a batched selection (`_e0`). */
  readonly responseKey: string;
  /** The variable its representations go in. */
  readonly variable: string;
  readonly paths: ReadonlyArray<readonly PathStep[]>;
  readonly requires: PreparedRequires;
  readonly inputRewrites: readonly Rewrite[];
  readonly outputRewrites: readonly Rewrite[];
}

/** A node of a prepared plan. */
export type PreparedNode =
  | { readonly kind: 'fetch'; readonly fetch: PreparedFetch; readonly outputRewrites: readonly Rewrite[] }
  | { readonly kind: 'entities'; readonly fetch: PreparedFetch; readonly aliases: readonly EntityAlias[] }
  | { readonly kind: 'sequence'; readonly nodes: readonly PreparedNode[] }
  | { readonly kind: 'parallel'; readonly nodes: readonly PreparedNode[] }
  | { readonly kind: 'condition'; readonly variable: string; readonly then?: PreparedNode; readonly otherwise?: PreparedNode };

function rootKeysOf(selectionSet: SelectionSetNode, out: string[]): string[] {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) out.push(selection.alias?.value ?? selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) rootKeysOf(selection.selectionSet, out);
  }
  return out;
}

function prepareFetch(node: FetchNode | BatchFetchNode, executors: ReadonlyMap<string, SourceExecutor>): PreparedFetch {
  const executor = executors.get(node.serviceName);
  if (executor === undefined) throw new Error(`The plan calls the subgraph "${node.serviceName}", which has no executor.`);
  const document = parse(node.operation, { noLocation: true });
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (operation === undefined) throw new Error(`The plan's request to "${node.serviceName}" has no operation.`);
  return {
    source: node.serviceName,
    executor,
    document,
    operationName: node.operationName ?? undefined,
    operationType: operation.operation,
    variableUsages: node.variableUsages ?? [],
    rootKeys: rootKeysOf(operation.selectionSet, []),
  };
}

function prepareNode(node: PlanNode, executors: ReadonlyMap<string, SourceExecutor>): PreparedNode {
  switch (node.kind) {
    case 'Fetch':
      return { kind: 'fetch', fetch: prepareFetch(node, executors), outputRewrites: prepareRewrites(node.outputRewrites) };
    case 'Flatten': {
      const inner = node.node;
      if (inner.kind !== 'Fetch' || inner.requires === undefined || inner.requires === null) {
        throw new Error(`A Flatten node over ${inner.kind}${inner.kind === 'Fetch' ? ' without requires' : ''} is not supported.`);
      }
      return {
        kind: 'entities',
        fetch: prepareFetch(inner, executors),
        aliases: [{
          responseKey: '_entities',
          variable: 'representations',
          paths: [preparePath(node.path)],
          requires: prepareRequires(inner.requires),
          inputRewrites: prepareRewrites(inner.inputRewrites),
          outputRewrites: prepareRewrites(inner.outputRewrites),
        }],
      };
    }
    case 'BatchFetch':
      return {
        kind: 'entities',
        fetch: prepareFetch(node, executors),
        aliases: node.entityBatch.aliases.map((alias) => ({
          responseKey: alias.alias,
          variable: alias.representationsVariableName,
          paths: alias.paths.map(preparePath),
          requires: prepareRequires(alias.requires),
          inputRewrites: prepareRewrites(alias.inputRewrites),
          outputRewrites: prepareRewrites(alias.outputRewrites),
        })),
      };
    case 'Sequence':
      return { kind: 'sequence', nodes: node.nodes.map((child) => prepareNode(child, executors)) };
    case 'Parallel':
      return { kind: 'parallel', nodes: node.nodes.map((child) => prepareNode(child, executors)) };
    case 'Condition':
      return {
        kind: 'condition',
        variable: node.condition,
        ...(node.ifClause ? { then: prepareNode(node.ifClause, executors) } : {}),
        ...(node.elseClause ? { otherwise: prepareNode(node.elseClause, executors) } : {}),
      };
    case 'Defer': {
      // Responses are not streamed: deferred parts run after the primary one, in one answer.
      const nodes: PlanNode[] = [];
      if (node.primary.node) nodes.push(node.primary.node);
      for (const deferred of node.deferred) if (deferred.node) nodes.push(deferred.node);
      return { kind: 'sequence', nodes: nodes.map((child) => prepareNode(child, executors)) };
    }
    case 'Subscription':
      throw new Error('Subscriptions are not supported by the plan engine.');
    default:
      throw new Error(`Unknown plan node ${JSON.stringify((node as { kind?: unknown }).kind)}.`);
  }
}

/** The prepared form of `plan`; `undefined` when the plan makes no fetch. Throws on a plan it cannot run. */
export function preparePlan(plan: QueryPlan, executors: ReadonlyMap<string, SourceExecutor>): PreparedNode | undefined {
  return plan.node ? prepareNode(plan.node, executors) : undefined;
}
