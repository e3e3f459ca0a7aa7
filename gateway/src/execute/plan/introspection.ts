/**
 * Introspection, answered locally from the API schema like other gateways do: the root fields
 * `__schema` and `__type` are split off the operation before planning and executed by
 * graphql-js over the schema; the rest of the operation is planned as usual. (`__typename`
 * needs no split: projection answers it anywhere.)
 */
import {
  Kind,
  separateOperations,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from 'graphql';

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/** The operation split in two: what the planner plans, what introspection answers. */
export interface SplitOperation {
  /** The document to plan (`undefined` when nothing but introspection and `__typename` is left). */
  readonly planned: DocumentNode | undefined;
  /** The introspection-only document (`undefined` when there is no `__schema`/`__type`). */
  readonly introspection: DocumentNode | undefined;
}

/** Root selections with fragment spreads written out as inline fragments, so fields can be split. */
function inlineRootSpreads(selectionSet: SelectionSetNode, fragments: ReadonlyMap<string, FragmentDefinitionNode>, seen: Set<string>): SelectionNode[] {
  const out: SelectionNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = fragments.get(selection.name.value);
      if (fragment === undefined || seen.has(fragment.name.value)) continue;
      const inner = new Set(seen).add(fragment.name.value);
      out.push({
        kind: Kind.INLINE_FRAGMENT,
        typeCondition: fragment.typeCondition,
        directives: selection.directives ?? [],
        selectionSet: { kind: Kind.SELECTION_SET, selections: inlineRootSpreads(fragment.selectionSet, fragments, inner) },
      });
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      out.push({ ...selection, selectionSet: { kind: Kind.SELECTION_SET, selections: inlineRootSpreads(selection.selectionSet, fragments, seen) } });
    } else {
      out.push(selection);
    }
  }
  return out;
}

/** Keeps the root selections `keep` says yes to; inline fragments left empty are dropped. */
function filterRoot(selections: readonly SelectionNode[], keep: (name: string) => boolean): SelectionNode[] {
  const out: SelectionNode[] = [];
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) {
      if (keep(selection.name.value)) out.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const inner = filterRoot(selection.selectionSet.selections, keep);
      if (inner.length > 0) out.push({ ...selection, selectionSet: { kind: Kind.SELECTION_SET, selections: inner } });
    }
  }
  return out;
}

function hasIntrospection(selections: readonly SelectionNode[]): boolean {
  return selections.some((selection) => (selection.kind === Kind.FIELD
    ? INTROSPECTION_FIELDS.has(selection.name.value)
    : selection.kind === Kind.INLINE_FRAGMENT && hasIntrospection(selection.selectionSet.selections)));
}

function onlyTypename(selections: readonly SelectionNode[]): boolean {
  return selections.every((selection) => (selection.kind === Kind.FIELD
    ? selection.name.value === '__typename'
    : selection.kind === Kind.INLINE_FRAGMENT && onlyTypename(selection.selectionSet.selections)));
}

/** The operation with `selections` at its root, and only the fragments those use. */
function withSelections(operation: OperationDefinitionNode, selections: SelectionNode[], fragments: ReadonlyMap<string, FragmentDefinitionNode>): DocumentNode {
  const root: OperationDefinitionNode = { ...operation, selectionSet: { kind: Kind.SELECTION_SET, selections } };
  return separateOperations({ kind: Kind.DOCUMENT, definitions: [root, ...fragments.values()] })[operation.name?.value ?? '']!;
}

/** Splits `operation` of `document` into its planned and its introspection parts. */
export function splitIntrospection(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): SplitOperation {
  const root = inlineRootSpreads(operation.selectionSet, fragments, new Set());
  if (!hasIntrospection(root)) return { planned: onlyTypename(root) ? undefined : document, introspection: undefined };
  const rest = filterRoot(root, (name) => !INTROSPECTION_FIELDS.has(name));
  const introspective = filterRoot(root, (name) => INTROSPECTION_FIELDS.has(name));
  return {
    planned: onlyTypename(rest) ? undefined : withSelections(operation, rest, fragments),
    introspection: withSelections(operation, introspective, fragments),
  };
}
