/**
 * Input and output rewrites of a fetch. Input rewrites adjust a representation before it is
 * sent (an `@interfaceObject` subgraph knows the interface's name, not the object's: its
 * `__typename` is set to the interface). Output rewrites adjust what a fetch returned before it
 * is merged (a field the planner had to alias gets its response key back). Both apply in place
 * to objects the engine owns: a fresh representation, or a source's freshly parsed answer.
 */
import type { FetchNodePathSegment, FetchRewrite } from '@graphql-hive/router-query-planner';
import type { TypeRelations } from './type-relations.js';
import type { ResponseObject } from './types.js';

type RewriteStep = { readonly key: string } | { readonly types: readonly string[] };

/** A prepared rewrite: set a value, or rename a key, at the end of a path. */
export interface Rewrite {
  readonly kind: 'set' | 'rename';
  readonly path: readonly RewriteStep[];
  /** The value to set (`set`) or the new key (`rename`). */
  readonly to: string;
}

function prepareStep(segment: FetchNodePathSegment): RewriteStep {
  if ('Key' in segment) return { key: segment.Key };
  const types = segment.TypenameEquals as readonly string[] | string;
  return { types: typeof types === 'string' ? [types] : types };
}

/** Turns the planner's rewrites into prepared ones; throws on a kind this engine does not know. */
export function prepareRewrites(rewrites: readonly FetchRewrite[] | null | undefined): Rewrite[] {
  return (rewrites ?? []).map((rewrite): Rewrite => {
    if ('ValueSetter' in rewrite && rewrite.ValueSetter !== undefined) {
      return { kind: 'set', path: rewrite.ValueSetter.path.map(prepareStep), to: rewrite.ValueSetter.setValueTo };
    }
    if ('KeyRenamer' in rewrite && rewrite.KeyRenamer !== undefined) {
      return { kind: 'rename', path: rewrite.KeyRenamer.path.map(prepareStep), to: rewrite.KeyRenamer.renameKeyTo };
    }
    if ('kind' in rewrite && rewrite.kind === 'ValueSetter') {
      return { kind: 'set', path: rewrite.path.map(prepareStep), to: rewrite.setValueTo };
    }
    throw new Error(`Unknown fetch rewrite ${JSON.stringify(rewrite)}.`);
  });
}

function apply(value: unknown, rewrite: Rewrite, index: number, relations: TypeRelations): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) apply(item, rewrite, index, relations);
    return;
  }
  const object = value as ResponseObject;
  const step = rewrite.path[index];
  if (step === undefined) return;
  if ('types' in step) {
    if (!relations.passes(object, step.types)) return;
    apply(object, rewrite, index + 1, relations);
    return;
  }
  if (!(step.key in object)) return;
  if (index < rewrite.path.length - 1) {
    apply(object[step.key], rewrite, index + 1, relations);
  } else if (rewrite.kind === 'set') {
    object[step.key] = rewrite.to;
  } else if (step.key !== rewrite.to) {
    object[rewrite.to] = object[step.key];
    delete object[step.key];
  }
}

/** Applies `rewrites` to `value` (an object or a list of them), in place. */
export function applyRewrites(value: unknown, rewrites: readonly Rewrite[], relations: TypeRelations): void {
  for (const rewrite of rewrites) apply(value, rewrite, 0, relations);
}
