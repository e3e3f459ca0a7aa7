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
} from 'graphql';

const INTROSPECTION_FIELDS = new Set(['__schema', '__type']);

/** The operation split in two: what the planner plans, what introspection answers. */
export interface SplitOperation {
  /** The document to plan (`undefined` when nothing but introspection and `__typename` is left). */
  readonly planned: DocumentNode | undefined;
  /** The introspection-only document (`undefined` when there is no `__schema`/`__type`). */
  readonly introspection: DocumentNode | undefined;
}

type Side = 'rest' | 'introspection';
const keeps = (side: Side, name: string): boolean => INTROSPECTION_FIELDS.has(name) === (side === 'introspection');

/**
 * The root of one operation, split without expanding a fragment: each fragment is looked at
 * once (memoised), and one that mixes introspection with other fields gets a filtered copy per
 * side, spread where it was. A document that spreads a fragment twice in each of 40 fragments
 * costs 40 looks, not 2^40 (each walk here is linear in the document).
 */
class RootSplit {
  private readonly facts = new Map<string, { introspection: boolean; onlyTypename: boolean } | 'pending'>();
  private readonly copies = new Map<string, FragmentDefinitionNode | null>();
  /** The document's fragments and the filtered copies made, for the split documents. */
  readonly fragments: Map<string, FragmentDefinitionNode>;

  constructor(fragments: ReadonlyMap<string, FragmentDefinitionNode>) {
    this.fragments = new Map(fragments);
  }

  private fact(name: string): { introspection: boolean; onlyTypename: boolean } {
    const known = this.facts.get(name);
    // A cycle (validation refuses those before any plan) adds nothing.
    if (known === 'pending') return { introspection: false, onlyTypename: true };
    if (known !== undefined) return known;
    const fragment = this.fragments.get(name);
    if (fragment === undefined) return { introspection: false, onlyTypename: true };
    this.facts.set(name, 'pending');
    const found = { introspection: this.hasIntrospection(fragment.selectionSet.selections), onlyTypename: this.onlyTypename(fragment.selectionSet.selections) };
    this.facts.set(name, found);
    return found;
  }

  hasIntrospection(selections: readonly SelectionNode[]): boolean {
    return selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return INTROSPECTION_FIELDS.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return this.hasIntrospection(selection.selectionSet.selections);
      return this.fact(selection.name.value).introspection;
    });
  }

  onlyTypename(selections: readonly SelectionNode[]): boolean {
    return selections.every((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === '__typename';
      if (selection.kind === Kind.INLINE_FRAGMENT) return this.onlyTypename(selection.selectionSet.selections);
      return this.fact(selection.name.value).onlyTypename;
    });
  }

  /** The root selections `side` keeps; inline fragments and fragments left empty are dropped. */
  filter(selections: readonly SelectionNode[], side: Side): SelectionNode[] {
    const out: SelectionNode[] = [];
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        if (keeps(side, selection.name.value)) out.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const inner = this.filter(selection.selectionSet.selections, side);
        if (inner.length > 0) out.push({ ...selection, selectionSet: { kind: Kind.SELECTION_SET, selections: inner } });
      } else {
        const copy = this.copy(selection.name.value, side);
        if (copy !== null) out.push(copy.name.value === selection.name.value ? selection : { ...selection, name: copy.name });
      }
    }
    return out;
  }

  /** The fragment `name` as `side` keeps it: itself when it has nothing to drop; null when left empty. */
  private copy(name: string, side: Side): FragmentDefinitionNode | null {
    const key = `${side}:${name}`;
    const known = this.copies.get(key);
    if (known !== undefined) return known;
    const fragment = this.fragments.get(name);
    let copy: FragmentDefinitionNode | null = null;
    if (fragment !== undefined) {
      const introspection = this.fact(name).introspection;
      if (!introspection) {
        copy = side === 'rest' ? fragment : null;
      } else {
        this.copies.set(key, null);
        const selections = this.filter(fragment.selectionSet.selections, side);
        if (selections.length > 0) {
          copy = { ...fragment, name: { kind: Kind.NAME, value: this.freshName(name, side) }, selectionSet: { kind: Kind.SELECTION_SET, selections } };
          this.fragments.set(copy.name.value, copy);
        }
      }
    }
    this.copies.set(key, copy);
    return copy;
  }

  private freshName(name: string, side: Side): string {
    const base = `${name}_${side === 'rest' ? 'Data' : 'Introspection'}`;
    let candidate = base;
    for (let index = 2; this.fragments.has(candidate); index++) candidate = `${base}${index}`;
    return candidate;
  }
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
  const split = new RootSplit(fragments);
  const root = operation.selectionSet.selections;
  if (!split.hasIntrospection(root)) return { planned: split.onlyTypename(root) ? undefined : document, introspection: undefined };
  const rest = split.filter(root, 'rest');
  const introspective = split.filter(root, 'introspection');
  return {
    planned: rest.length === 0 || split.onlyTypename(rest) ? undefined : withSelections(operation, rest, split.fragments),
    introspection: withSelections(operation, introspective, split.fragments),
  };
}
