/**
 * The distinct representations of one entity fetch. Many entities of a response stand for the
 * same entity (every review's author is user 1): each entity is matched against those already
 * seen, and sent once.
 *
 * Flat requires (the common case) match on a trie over the entity's `__typename` and its
 * required scalar values, in `requires` order (Map keys tell `1` from `"1"` and null from a
 * missing field, as JSON does), so a representation is built (and rewritten) only for the first
 * of its kind. Requires with nested selections or conditions, or an object value, build the
 * representation and match on its string key (requires.ts `representationKey`).
 */
import type { RequiresSelection } from '@graphql-hive/router-query-planner';
import { representationKey, representationOf } from './requires.js';
import { applyRewrites, type Rewrite } from './rewrites.js';
import type { TypeRelations } from './type-relations.js';
import type { ResponseObject } from './types.js';

/** Returned for an entity there is nothing to send for (no key fields, type does not apply). */
export const NOTHING_TO_SEND = -1;

/** The `requires` of an alias with what matching needs, prepared once per plan. */
export interface PreparedRequires {
  readonly selections: readonly RequiresSelection[];
  /** True when every selection is a plain field (inline fragments without conditions). */
  readonly flat: boolean;
  /** For flat requires: the fields read from an entity, by its `__typename` (filled on demand). */
  readonly fieldsByType: Map<string, readonly string[]>;
}

function isFlat(selections: readonly RequiresSelection[]): boolean {
  return selections.every((selection) => (selection.kind === 'Field'
    ? selection.selections === undefined && selection.alias === undefined
    : selection.kind === 'InlineFragment' && selection.skipIf === undefined && selection.includeIf === undefined && isFlat(selection.selections)));
}

/** Prepares `requires` for matching. */
export function prepareRequires(selections: readonly RequiresSelection[]): PreparedRequires {
  return { selections, flat: isFlat(selections), fieldsByType: new Map() };
}

function flatFields(selections: readonly RequiresSelection[], typename: string, relations: TypeRelations, out: string[]): string[] {
  for (const selection of selections) {
    if (selection.kind === 'Field') out.push(selection.name);
    else if (selection.kind === 'InlineFragment' && relations.satisfies(typename, selection.typeCondition)) flatFields(selection.selections, typename, relations, out);
  }
  return out;
}

/** The representations sent in one variable, each once. */
export class RepresentationSet {
  readonly representations: ResponseObject[] = [];
  /** One trie per `requires` (aliases sharing a variable may read different fields). */
  private readonly tries = new Map<PreparedRequires, Map<unknown, unknown>>();
  private readonly byKey = new Map<string, number>();

  constructor(
    private readonly relations: TypeRelations,
    private readonly variables: Record<string, unknown>,
  ) {}

  /** The index of `entity`'s representation (added when new), or `NOTHING_TO_SEND`. */
  indexOf(entity: ResponseObject, requires: PreparedRequires, rewrites: readonly Rewrite[]): number {
    const typename = entity.__typename;
    if (!requires.flat || typeof typename !== 'string') return this.indexByKey(entity, requires, rewrites);
    let fields = requires.fieldsByType.get(typename);
    if (fields === undefined) {
      fields = flatFields(requires.selections, typename, this.relations, []);
      requires.fieldsByType.set(typename, fields);
    }
    // Levels: the typename, then each field's value but the last; the leaf holds the index.
    let node = this.tries.get(requires);
    if (node === undefined) {
      node = new Map();
      this.tries.set(requires, node);
    }
    let key: unknown = typename;
    for (let index = 0; index < fields.length; index++) {
      let child = node.get(key) as Map<unknown, unknown> | undefined;
      if (child === undefined) {
        child = new Map();
        node.set(key, child);
      }
      node = child;
      key = entity[fields[index]!];
      if (key !== null && typeof key === 'object') return this.indexByKey(entity, requires, rewrites);
    }
    const known = node.get(key);
    if (typeof known === 'number') return known;
    const added = this.add(representationOf(requires.selections, entity, this.relations, this.variables), rewrites);
    node.set(key, added);
    return added;
  }

  private indexByKey(entity: ResponseObject, requires: PreparedRequires, rewrites: readonly Rewrite[]): number {
    const representation = representationOf(requires.selections, entity, this.relations, this.variables);
    if (representation === undefined) return NOTHING_TO_SEND;
    const key = representationKey(representation);
    let index = this.byKey.get(key);
    if (index === undefined) {
      index = this.add(representation, rewrites);
      this.byKey.set(key, index);
    }
    return index;
  }

  private add(representation: ResponseObject | undefined, rewrites: readonly Rewrite[]): number {
    if (representation === undefined) return NOTHING_TO_SEND;
    if (rewrites.length > 0) applyRewrites(representation, rewrites, this.relations);
    this.representations.push(representation);
    return this.representations.length - 1;
  }
}
