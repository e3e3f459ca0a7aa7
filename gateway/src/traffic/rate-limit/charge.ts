/**
 * What a request is charged: the number of root fields its operation selects. Aliases count
 * (`{ a: placeOrder b: placeOrder }` is 2) and fragments are expanded, each fragment counted
 * once and its count reused wherever it is spread, so a document whose fragments fan out
 * (`...F1 ...F1` forty levels deep) is counted in time linear in its size, never expanded.
 */
import { Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { MAX_LIMIT } from './types.js';

/**
 * The root fields `definition` (an operation of `document`) selects, at least 1 and at most
 * `MAX_LIMIT` (the largest cost the limiter takes; a count above it is refused as over any
 * limit anyway). `@skip`/`@include` are not evaluated: a field that may be skipped counts.
 */
export function rootFieldCount(document: DocumentNode, definition: OperationDefinitionNode): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const node of document.definitions) if (node.kind === Kind.FRAGMENT_DEFINITION) fragments.set(node.name.value, node);
  const memo = new Map<string, number>();
  const counting = new Set<string>();
  const count = (set: SelectionSetNode): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) total += 1;
      else if (selection.kind === Kind.INLINE_FRAGMENT) total += count(selection.selectionSet);
      else {
        const name = selection.name.value;
        let spread = memo.get(name);
        if (spread === undefined) {
          const fragment = fragments.get(name);
          // Validation refuses cycles and unknown fragments; counting them as 0 keeps this total.
          if (fragment === undefined || counting.has(name)) continue;
          counting.add(name);
          spread = count(fragment.selectionSet);
          counting.delete(name);
          memo.set(name, spread);
        }
        total += spread;
      }
      if (total >= MAX_LIMIT) return MAX_LIMIT;
    }
    return total;
  };
  return Math.min(MAX_LIMIT, Math.max(1, count(definition.selectionSet)));
}

/** A cost as the limiter takes it: a whole number from 1 to `MAX_LIMIT` (estimates are rounded up). */
export function chargeOf(cost: number): number {
  if (!Number.isFinite(cost)) return MAX_LIMIT;
  return Math.min(MAX_LIMIT, Math.max(1, Math.ceil(cost)));
}
