/**
 * The authorization pass: checked before execution, once per document for what depends only
 * on the document, and per request only for the protected fields the document selects.
 *
 * - `analyse` (once per document): the protected field coordinates the document selects, each
 *   on the parent type it is selected on, looked up in the policy (model.ts), which already
 *   holds what every coordinate inherits (interfaces, type-level directives, the possible
 *   types of an interface). A document that selects none costs nothing per request.
 * - `decide` (per request): which of them the request's Principal may not read.
 * - `prune` (once per document and set of refusals): the document without the refused
 *   fields, so no backend is ever asked for them.
 * - `fill` (after execution): each refused field put back as null, with an error at its
 *   real path (list indices included), nulls propagating through non-null fields as the
 *   spec says. Linear in the document and the data: a named fragment is visited once per
 *   data object, however many times the document spreads it there.
 */
import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLFormattedError,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import type { Principal } from '../principal.js';
import { evaluate, type Credential, type Refusal } from './evaluate.js';
import type { FieldPolicies, Requirement } from './requirements.js';

/** The alias under which a pruned document asks for `__typename` where fragments need it. */
const TYPENAME_ALIAS = '__openclaw_typename';

/** What a document selects that is protected. */
export interface DocumentPolicy {
  /** Protected coordinates the document selects, with their requirements. */
  readonly guarded: ReadonlyMap<string, readonly Requirement[]>;
}

/** The refusals of one request: by coordinate. */
export type Refusals = ReadonlyMap<string, Refusal>;

function coordinate(parent: { name: string }, field: string): string {
  return `${parent.name}.${field}`;
}

/** The protected coordinates `document` selects; undefined when it selects none. */
export function analyse(document: DocumentNode, schema: GraphQLSchema, policies: FieldPolicies): DocumentPolicy | undefined {
  if (policies.size === 0) return undefined;
  const guarded = new Map<string, readonly Requirement[]>();
  const typeInfo = new TypeInfo(schema);
  visit(document, visitWithTypeInfo(typeInfo, {
    Field(node) {
      const parent = typeInfo.getParentType();
      if (parent === null || parent === undefined || node.name.value.startsWith('__')) return;
      const at = coordinate(parent, node.name.value);
      const requirements = policies.get(at);
      if (requirements !== undefined) guarded.set(at, requirements);
    },
  }));
  return guarded.size === 0 ? undefined : { guarded };
}

/** The coordinates `principal` may not read, with why; empty when it may read them all. */
export function decide(policy: DocumentPolicy, principal: Principal): Refusals {
  const refusals = new Map<string, Refusal>();
  for (const [field, requirements] of policy.guarded) {
    const refusal = evaluate(requirements, principal);
    if (refusal !== undefined) refusals.set(field, refusal);
  }
  return refusals;
}

/** A stable key of a set of refusals, to cache the pruned document under. */
export function refusalKey(refusals: Refusals): string {
  return [...refusals.keys()].sort().join('\n');
}

const typenameField = (alias: string): FieldNode => ({
  kind: Kind.FIELD,
  alias: { kind: Kind.NAME, value: alias },
  name: { kind: Kind.NAME, value: '__typename' },
});

/**
 * `document` without the refused fields. A selection set left empty, and every selection set
 * of an abstract type, asks for `__typename` under `__openclaw_typename`: the first stays
 * valid, the second tells `fill` which fragments applied to each object. `fill` removes it.
 */
export function prune(document: DocumentNode, schema: GraphQLSchema, refusals: Refusals): DocumentNode {
  const typeInfo = new TypeInfo(schema);
  return visit(document, visitWithTypeInfo(typeInfo, {
    Field: {
      enter(node) {
        const parent = typeInfo.getParentType();
        if (parent !== null && parent !== undefined && refusals.has(coordinate(parent, node.name.value))) return null;
        return undefined;
      },
    },
    SelectionSet: {
      leave(node: SelectionSetNode) {
        const type = typeInfo.getParentType();
        const abstract = type !== null && type !== undefined && isAbstractType(type);
        if (node.selections.length > 0 && !abstract) return undefined;
        return { ...node, selections: [...node.selections, typenameField(TYPENAME_ALIAS)] };
      },
    },
  }));
}

/** What `fill` needs of the request. */
interface FillScope {
  readonly schema: GraphQLSchema;
  readonly refusals: Refusals;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  readonly errors: GraphQLFormattedError[];
  readonly reported: Set<string>;
  /** The fragments already visited on each data object (a fragment spread twice there adds nothing). */
  readonly visited: WeakMap<Data, Set<string>>;
}

type Data = Record<string, unknown>;

/**
 * Each answer object's runtime type name, read once and kept for the life of the answer. The
 * first `fill` over an answer removes its `__openclaw_typename` markers; a second pass over the
 * same answer (a field `@rateLimit`, which prunes and fills with these same functions after
 * authorization) must still know which fragments applied, or it would put another type's
 * refused fields on an object. Keyed weakly by the answer's own objects: nothing outlives it.
 */
const RUNTIME_TYPES = new WeakMap<Data, string | undefined>();

function runtimeType(data: Data, staticType: GraphQLCompositeType): string | undefined {
  if (RUNTIME_TYPES.has(data)) return RUNTIME_TYPES.get(data);
  const named = data[TYPENAME_ALIAS] ?? data.__typename;
  const runtime = typeof named === 'string' ? named : isObjectType(staticType) ? staticType.name : undefined;
  RUNTIME_TYPES.set(data, runtime);
  return runtime;
}

/** Whether fragment `name` is visited on `data` for the first time (and marks it visited). */
function firstVisit(scope: FillScope, data: Data, name: string): boolean {
  let seen = scope.visited.get(data);
  if (seen === undefined) {
    seen = new Set();
    scope.visited.set(data, seen);
  }
  if (seen.has(name)) return false;
  seen.add(name);
  return true;
}

function applies(scope: FillScope, condition: GraphQLCompositeType, runtime: string | undefined): boolean {
  if (runtime === undefined) return true;
  if (condition.name === runtime) return true;
  const type = scope.schema.getType(runtime);
  return isAbstractType(condition) && type !== undefined && isObjectType(type) && scope.schema.isSubType(condition, type);
}

/**
 * Completes a value of `type` at `path`; returns true when the value must become null
 * (a refused non-null field inside it).
 */
function completeValue(scope: FillScope, type: GraphQLOutputType, value: unknown, selectionSet: SelectionSetNode, path: Array<string | number>): boolean {
  if (value === null || value === undefined) return false;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) {
    if (!Array.isArray(value)) return false;
    value.forEach((item, index) => {
      if (completeValue(scope, inner.ofType, item, selectionSet, [...path, index])) {
        if (isNonNullType(inner.ofType)) throw new NullBubble();
        value[index] = null;
      }
    });
    return false;
  }
  const named = getNamedType(inner);
  if (typeof value !== 'object' || !('getFields' in named || isAbstractType(named))) return false;
  return fillSelections(scope, named as GraphQLCompositeType, value as Data, selectionSet, path);
}

/** Thrown when a null reaches a non-null list item: the list itself becomes null. */
class NullBubble extends Error {}

function fillSelections(scope: FillScope, staticType: GraphQLCompositeType, data: Data, selectionSet: SelectionSetNode, path: Array<string | number>): boolean {
  const runtime = runtimeType(data, staticType);
  let nullMe = false;
  const visitSet = (parent: GraphQLCompositeType, set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? (scope.schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType | undefined) : parent;
        if (condition !== undefined && applies(scope, condition, runtime)) visitSet(condition, selection.selectionSet);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = scope.fragments.get(selection.name.value);
        if (fragment === undefined || !firstVisit(scope, data, fragment.name.value)) continue;
        const condition = scope.schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType | undefined;
        if (condition !== undefined && applies(scope, condition, runtime)) visitSet(condition, fragment.selectionSet);
        continue;
      }
      const name = selection.name.value;
      if (name.startsWith('__') || !('getFields' in parent)) continue;
      const field = parent.getFields()[name];
      if (field === undefined) continue;
      const key = selection.alias?.value ?? name;
      const refusal = scope.refusals.get(coordinate(parent, name));
      if (refusal !== undefined) {
        data[key] = null;
        const at = [...path, key];
        const id = at.join('\u0000');
        if (!scope.reported.has(id)) {
          scope.reported.add(id);
          const location = selection.loc?.startToken;
          scope.errors.push({
            message: `Not authorized to read ${coordinate(parent, name)}: it needs ${refusal.needs}.`,
            path: at,
            ...(location ? { locations: [{ line: location.line, column: location.column }] } : {}),
            extensions: { code: refusal.code },
          });
        }
        if (isNonNullType(field.type)) nullMe = true;
        continue;
      }
      if (selection.selectionSet === undefined) continue;
      try {
        if (completeValue(scope, field.type, data[key], selection.selectionSet, [...path, key])) {
          data[key] = null;
          if (isNonNullType(field.type)) nullMe = true;
        }
      } catch (error) {
        if (!(error instanceof NullBubble)) throw error;
        data[key] = null;
        if (isNonNullType(field.type)) nullMe = true;
      }
    }
  };
  visitSet(staticType, selectionSet);
  delete data[TYPENAME_ALIAS];
  return nullMe;
}

/**
 * Puts the refused fields of `original` back into `result.data` as null, with one error per
 * occurrence at its path. Errors are returned for the caller to add to the result.
 */
export function fill(original: DocumentNode, operationName: string | undefined, schema: GraphQLSchema, refusals: Refusals, result: { data?: Data | null }): GraphQLFormattedError[] {
  const operation = original.definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION && (operationName === undefined || definition.name?.value === operationName),
  );
  if (operation?.kind !== Kind.OPERATION_DEFINITION || result.data === null || result.data === undefined) return [];
  const root = schema.getRootType(operation.operation);
  if (root === undefined || root === null) return [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of original.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const scope: FillScope = { schema, refusals, fragments, errors: [], reported: new Set(), visited: new WeakMap() };
  if (fillSelections(scope, root, result.data, operation.selectionSet, [])) result.data = null;
  return scope.errors;
}

/**
 * Why a whole operation is refused (reject mode): the first refusal's error, and the
 * credentials its field accepts (for the `WWW-Authenticate` challenge of a 401).
 */
export function rejection(refusals: Refusals): { error: GraphQLError; accepts: readonly Credential[] } {
  const [field, refusal] = [...refusals][0] ?? ['the operation', { code: 'FORBIDDEN', needs: 'a credential', accepts: [] } satisfies Refusal];
  return {
    error: new GraphQLError(`Not authorized to read ${field}: it needs ${refusal.needs}.`, { extensions: { code: refusal.code } }),
    accepts: refusal.accepts,
  };
}
