/**
 * Type conditions against the supergraph. Entities in the response tree carry `__typename`s of
 * the supergraph, which may name types the API schema hides (`@inaccessible`) or interfaces
 * that a subgraph serves as objects (`@interfaceObject`); plan paths, `requires` and rewrites
 * test those names. Built once from the supergraph SDL.
 */
import { Kind, parse, type DocumentNode } from 'graphql';

/** Which type names satisfy which type conditions, in the supergraph. */
export interface TypeRelations {
  /** True when an object named `typename` matches the type condition `condition`. */
  satisfies(typename: string, condition: string): boolean;
  /** True when `name` is an interface or union of the supergraph. */
  isAbstract(name: string): boolean;
  /**
   * True when `object` passes a plan's type condition: its `__typename` satisfies one of
   * `conditions`, or it has none to tell (then it is taken as it is).
   */
  passes(object: { readonly __typename?: unknown }, conditions: readonly string[]): boolean;
}

/** Reads the abstract types and their possible types from the supergraph SDL. */
export function typeRelationsOf(supergraphSdl: string | DocumentNode): TypeRelations {
  const document = typeof supergraphSdl === 'string' ? parse(supergraphSdl, { noLocation: true }) : supergraphSdl;
  const possible = new Map<string, Set<string>>();
  const add = (abstract: string, member: string): void => {
    let members = possible.get(abstract);
    if (members === undefined) {
      members = new Set();
      possible.set(abstract, members);
    }
    members.add(member);
  };
  for (const definition of document.definitions) {
    switch (definition.kind) {
      case Kind.UNION_TYPE_DEFINITION:
      case Kind.UNION_TYPE_EXTENSION:
        if (!possible.has(definition.name.value)) possible.set(definition.name.value, new Set());
        for (const member of definition.types ?? []) add(definition.name.value, member.name.value);
        break;
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        if (!possible.has(definition.name.value)) possible.set(definition.name.value, new Set());
        for (const parent of definition.interfaces ?? []) add(parent.name.value, definition.name.value);
        break;
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
        for (const parent of definition.interfaces ?? []) add(parent.name.value, definition.name.value);
        break;
      default:
        break;
    }
  }
  // An interface's possible types include those of the interfaces that implement it.
  const expanded = new Map<string, Set<string>>();
  const expand = (name: string, seen: Set<string>): Set<string> => {
    const done = expanded.get(name);
    if (done !== undefined) return done;
    const result = new Set<string>();
    for (const member of possible.get(name) ?? []) {
      result.add(member);
      if (possible.has(member) && !seen.has(member)) {
        seen.add(member);
        for (const nested of expand(member, seen)) result.add(nested);
      }
    }
    expanded.set(name, result);
    return result;
  };
  for (const name of possible.keys()) expand(name, new Set([name]));
  const satisfies = (typename: string, condition: string): boolean => typename === condition || expanded.get(condition)?.has(typename) === true;
  return {
    satisfies,
    passes(object, conditions) {
      const typename = object.__typename;
      if (typeof typename !== 'string') return true;
      for (const condition of conditions) if (satisfies(typename, condition)) return true;
      return false;
    },
    isAbstract(name) {
      return expanded.has(name);
    },
  };
}
