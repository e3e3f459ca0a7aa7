/**
 * Merging a fetch's answer into the response tree, in place. Objects merge key by key, lists
 * item by item; anything else is replaced. One exception: a `__typename` naming an abstract
 * type (an `@interfaceObject` subgraph answers with the interface's name) never replaces the
 * concrete one already there, while a concrete one does replace an abstract one.
 */
import type { TypeRelations } from './type-relations.js';
import type { ResponseObject } from './types.js';

function isObject(value: unknown): value is ResponseObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function mergeList(target: unknown[], source: readonly unknown[], relations: TypeRelations): void {
  for (let index = 0; index < source.length; index++) {
    const from = source[index];
    const into = target[index];
    if (isObject(into) && isObject(from)) mergeInto(into, from, relations);
    else if (Array.isArray(into) && Array.isArray(from)) mergeList(into, from, relations);
    else target[index] = from;
  }
}

/** Merges `source` into `target` (both objects of the response tree). */
export function mergeInto(target: ResponseObject, source: ResponseObject, relations: TypeRelations): void {
  for (const key in source) {
    const from = source[key];
    const into = target[key];
    if (into === undefined || into === null || from === null || typeof from !== 'object') {
      if (key === '__typename' && typeof into === 'string' && typeof from === 'string' && relations.isAbstract(from)) continue;
      target[key] = from;
    } else if (Array.isArray(from)) {
      if (Array.isArray(into)) mergeList(into, from, relations);
      else target[key] = from;
    } else if (isObject(into)) {
      mergeInto(into, from as ResponseObject, relations);
    } else {
      target[key] = from;
    }
  }
}
