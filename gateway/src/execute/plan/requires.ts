/**
 * Representations: what an entity fetch sends for each entity. The plan's `requires` is a small
 * selection (key fields, `@requires` fields, type conditions); projecting an entity of the
 * response tree through it gives the `_Any` the subgraph resolves. An entity whose projection
 * holds nothing but `__typename` (no key fields there, or a type condition that does not
 * apply) is not sent.
 *
 * Many entities of a response share one representation (every review's author is user 1):
 * `representationKey` tells equal representations apart where the flat trie of
 * representations.ts cannot (nested or conditional requires), so each is sent once.
 */
import type { RequiresSelection } from '@graphql-hive/router-query-planner';
import type { TypeRelations } from './type-relations.js';
import type { ResponseObject } from './types.js';

function conditionHolds(selection: { skipIf?: string; includeIf?: string }, variables: Record<string, unknown>): boolean {
  if (selection.skipIf !== undefined && variables[selection.skipIf] === true) return false;
  if (selection.includeIf !== undefined && variables[selection.includeIf] !== true) return false;
  return true;
}

function project(
  selections: readonly RequiresSelection[],
  source: ResponseObject,
  out: ResponseObject,
  relations: TypeRelations,
  variables: Record<string, unknown>,
): void {
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      // `name` is the key in the response tree (which may be an alias the planner made for
      // itself); `alias`, when set, is the field's name the source expects in `_Any`.
      let value = source[selection.name];
      if (value === undefined && selection.alias !== undefined) value = source[selection.alias];
      if (value === undefined) continue;
      out[selection.alias ?? selection.name] = selection.selections === undefined || value === null ? value : projectValue(selection.selections, value, relations, variables);
    } else if (selection.kind === 'InlineFragment') {
      const typename = source.__typename;
      if (typeof typename === 'string' && !relations.satisfies(typename, selection.typeCondition)) continue;
      if (!conditionHolds(selection, variables)) continue;
      project(selection.selections, source, out, relations, variables);
    } else {
      throw new Error(`A fragment spread (${selection.value}) in a plan's requires is not supported.`);
    }
  }
}

function projectValue(selections: readonly RequiresSelection[], value: unknown, relations: TypeRelations, variables: Record<string, unknown>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => projectValue(selections, item, relations, variables));
  const out: ResponseObject = {};
  project(selections, value as ResponseObject, out, relations, variables);
  return out;
}

/**
 * The representation of `entity` under `requires`, or `undefined` when there is nothing to
 * send for it. `__typename` is always set (from the entity when `requires` does not select it).
 */
export function representationOf(
  requires: readonly RequiresSelection[],
  entity: ResponseObject,
  relations: TypeRelations,
  variables: Record<string, unknown>,
): ResponseObject | undefined {
  const out: ResponseObject = {};
  project(requires, entity, out, relations, variables);
  let fields = 0;
  for (const key in out) if (key !== '__typename') fields++;
  if (fields === 0) return undefined;
  if (out.__typename === undefined) {
    if (typeof entity.__typename !== 'string') return undefined;
    out.__typename = entity.__typename;
  }
  return out;
}

/**
 * A string equal for two representations exactly when they are equal: strings are
 * length-prefixed, and an object's fields come in the order `representationOf` wrote them,
 * which `requires` decides.
 */
export function representationKey(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `s${value.length}:${value}`;
    case 'number':
      return `n${value}`;
    case 'boolean':
      return value ? 'T' : 'F';
    default:
      break;
  }
  if (value === null) return 'N';
  if (Array.isArray(value)) {
    let key = '[';
    for (const item of value) key += `${representationKey(item)},`;
    return `${key}]`;
  }
  if (typeof value === 'object') {
    let key = '{';
    for (const field in value) key += `|${field}=${representationKey((value as ResponseObject)[field])}`;
    return `${key}}`;
  }
  return `J${JSON.stringify(value)}`;
}
