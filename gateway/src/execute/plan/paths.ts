/**
 * Flatten paths: where in the response tree a fetch's entities are. A path is a list of
 * fields, `@` (every item of a list) and type conditions (`... on A|B`). `collectEntities` runs
 * on every entity fetch and tracks no path; `locateEntities` also records each entity's real
 * path (list indices included) and runs only when an error must be placed.
 */
import type { FlattenNodePathSegment } from '@graphql-hive/router-query-planner';
import type { TypeRelations } from './type-relations.js';
import type { ResponseObject } from './types.js';

/** One step of a prepared flatten path. */
export type PathStep =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'list' }
  | { readonly kind: 'cast'; readonly types: readonly string[] };

/** Turns the planner's path into steps; throws on a segment this engine does not know. */
export function preparePath(path: readonly FlattenNodePathSegment[]): PathStep[] {
  return path.map((segment): PathStep => {
    if (segment === '@') return { kind: 'list' };
    if ('Field' in segment) return { kind: 'field', name: segment.Field };
    if ('TypeCondition' in segment) return { kind: 'cast', types: segment.TypeCondition };
    throw new Error(`Unknown flatten path segment ${JSON.stringify(segment)}.`);
  });
}

/** Pushes onto `out` every object the path leads to in `value` (lists at the end are flattened). */
export function collectEntities(value: unknown, steps: readonly PathStep[], index: number, relations: TypeRelations, out: ResponseObject[]): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    // A list reached by a field step (or at the end) is walked item by item, like `@`.
    const next = index < steps.length && steps[index]!.kind === 'list' ? index + 1 : index;
    for (const item of value) collectEntities(item, steps, next, relations, out);
    return;
  }
  if (index === steps.length) {
    out.push(value as ResponseObject);
    return;
  }
  const step = steps[index]!;
  switch (step.kind) {
    case 'field':
      collectEntities((value as ResponseObject)[step.name], steps, index + 1, relations, out);
      return;
    case 'cast':
      if (relations.passes(value as ResponseObject, step.types)) collectEntities(value, steps, index + 1, relations, out);
      return;
    case 'list':
      // `@` on an object that is not a list: nothing there to flatten.
      return;
  }
}

/** An entity and its path in the client's response. */
export interface EntityLocation {
  readonly entity: ResponseObject;
  readonly path: ReadonlyArray<string | number>;
}

/** Like `collectEntities`, with each entity's real path (for errors; not on the hot path). */
export function locateEntities(root: unknown, steps: readonly PathStep[], relations: TypeRelations): EntityLocation[] {
  const out: EntityLocation[] = [];
  const path: Array<string | number> = [];
  const walk = (value: unknown, index: number): void => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      const next = index < steps.length && steps[index]!.kind === 'list' ? index + 1 : index;
      value.forEach((item, position) => {
        path.push(position);
        walk(item, next);
        path.pop();
      });
      return;
    }
    if (index === steps.length) {
      out.push({ entity: value as ResponseObject, path: [...path] });
      return;
    }
    const step = steps[index]!;
    if (step.kind === 'field') {
      path.push(step.name);
      walk((value as ResponseObject)[step.name], index + 1);
      path.pop();
    } else if (step.kind === 'cast' && relations.passes(value as ResponseObject, step.types)) {
      walk(value, index + 1);
    }
  };
  walk(root, 0);
  return out;
}
