/**
 * Representations: what an entity fetch sends for each entity. The plan's `requires` is a small
 * selection (key fields, `@requires` fields, type conditions); projecting an entity of the
 * response tree through it gives the `_Any` the subgraph resolves. An entity whose projection
 * holds nothing but `__typename` (no key fields there, or a type condition that does not
 * apply) is not sent.
 *
 * Many entities of a response share one representation (every review's author is user 1):
 * `representationKey` says which representation an entity has without building it, so the
 * representation is built once per distinct key.
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

/** Writes a value's part of a key: unambiguous (strings are length-prefixed), cheap for scalars. */
function keyOfValue(value: unknown, selections: readonly RequiresSelection[] | undefined, relations: TypeRelations, variables: Record<string, unknown>): string {
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
    for (const item of value) key += `${keyOfValue(item, selections, relations, variables)},`;
    return `${key}]`;
  }
  if (typeof value === 'object' && selections !== undefined) return `{${keyOf(selections, value as ResponseObject, relations, variables)}}`;
  return `J${JSON.stringify(value)}`;
}

function keyOf(selections: readonly RequiresSelection[], source: ResponseObject, relations: TypeRelations, variables: Record<string, unknown>): string {
  let key = '';
  for (const selection of selections) {
    if (selection.kind === 'Field') {
      let value = source[selection.name];
      if (value === undefined && selection.alias !== undefined) value = source[selection.alias];
      if (value === undefined) continue;
      key += `|${selection.alias ?? selection.name}=${keyOfValue(value, selection.selections, relations, variables)}`;
    } else if (selection.kind === 'InlineFragment') {
      const typename = source.__typename;
      if (typeof typename === 'string' && !relations.satisfies(typename, selection.typeCondition)) continue;
      if (!conditionHolds(selection, variables)) continue;
      key += keyOf(selection.selections, source, relations, variables);
    }
  }
  return key;
}

/**
 * A string equal for two entities exactly when their representations under `requires` are
 * equal (the entity's `__typename` included).
 */
export function representationKey(
  requires: readonly RequiresSelection[],
  entity: ResponseObject,
  relations: TypeRelations,
  variables: Record<string, unknown>,
): string {
  const typename = entity.__typename;
  return `${typeof typename === 'string' ? typename : ''}${keyOf(requires, entity, relations, variables)}`;
}
