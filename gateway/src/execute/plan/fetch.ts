/**
 * Running fetches. A root fetch sends its request and merges the answer into the root of the
 * response tree. An entity fetch gathers its entities along its paths, sends one representation
 * per distinct entity (in the variable its `_entities` selection reads), and merges each
 * returned entity into every object it stands for. Errors are placed at real paths; a fetch
 * that fails as a whole is reported once (see fetch-errors.ts).
 */
import type { ExecutionResult } from 'graphql';
import { missingEntitiesError, placeError, rejectionError, type SourceError } from './fetch-errors.js';
import { mergeInto } from './merge.js';
import { collectEntities, locateEntities } from './paths.js';
import type { EntityAlias, PreparedFetch, PreparedNode } from './prepare.js';
import { NOTHING_TO_SEND, RepresentationSet } from './representations.js';
import { applyRewrites } from './rewrites.js';
import type { TypeRelations } from './type-relations.js';
import type { RequestState, ResponseObject } from './types.js';

type FetchNode = Extract<PreparedNode, { kind: 'fetch' }>;
type EntitiesNode = Extract<PreparedNode, { kind: 'entities' }>;

/** The client's variables a fetch uses; no others are sent. */
function variablesFor(fetch: PreparedFetch, state: RequestState): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const name of fetch.variableUsages) {
    const value = state.variables[name];
    if (value !== undefined) variables[name] = value;
  }
  return variables;
}

async function call(fetch: PreparedFetch, variables: Record<string, unknown>, state: RequestState): Promise<ExecutionResult> {
  try {
    return await fetch.executor({
      document: fetch.document,
      variables,
      operationName: fetch.operationName,
      operationType: fetch.operationType,
      context: state.context,
      signal: state.context.signal,
      subgraphName: fetch.source,
    });
  } catch (error) {
    return { errors: [rejectionError(error, fetch.source)] };
  }
}

function isObject(value: unknown): value is ResponseObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Runs a root fetch: its answer is merged into the response tree's root. */
export async function runRootFetch(node: FetchNode, state: RequestState, relations: TypeRelations): Promise<void> {
  const { fetch } = node;
  const result = await call(fetch, variablesFor(fetch, state), state);
  const data = result.data;
  if (isObject(data)) {
    if (node.outputRewrites.length > 0) applyRewrites(data, node.outputRewrites, relations);
    mergeInto(state.data, data, relations);
  }
  if (!result.errors || result.errors.length === 0) return;
  const seen = new Set<string>();
  const firstKey = fetch.rootKeys[0];
  for (const error of result.errors as readonly SourceError[]) {
    if (error.path && error.path.length > 0) {
      state.errors.push(placeError(error, fetch.source, error.path));
    } else if (!seen.has(error.message)) {
      seen.add(error.message);
      state.errors.push(placeError(error, fetch.source, firstKey === undefined ? undefined : [firstKey]));
    }
  }
  if (!isObject(data)) for (const key of fetch.rootKeys) state.coveredRootKeys.add(key);
}

/** The entities one alias fills, each with the index of the representation it sent. */
interface AliasTargets {
  readonly objects: ResponseObject[];
  readonly indices: number[];
}

function gather(alias: EntityAlias, state: RequestState, relations: TypeRelations, representations: RepresentationSet): AliasTargets {
  const found: ResponseObject[] = [];
  for (const path of alias.paths) collectEntities(state.data, path, 0, relations, found);
  const objects: ResponseObject[] = [];
  const indices: number[] = [];
  for (let k = 0; k < found.length; k++) {
    const index = representations.indexOf(found[k]!, alias.requires, alias.inputRewrites);
    if (index === NOTHING_TO_SEND) continue;
    objects.push(found[k]!);
    indices.push(index);
  }
  return { objects, indices };
}

/** Runs an entity fetch (a Flatten over a Fetch, or a BatchFetch). */
export async function runEntityFetch(node: EntitiesNode, state: RequestState, relations: TypeRelations): Promise<void> {
  const { fetch, aliases } = node;
  const groups = new Map<string, RepresentationSet>();
  const targets: AliasTargets[] = [];
  let count = 0;
  for (const alias of aliases) {
    let group = groups.get(alias.variable);
    if (group === undefined) {
      group = new RepresentationSet(relations, state.variables);
      groups.set(alias.variable, group);
    }
    const aliasTargets = gather(alias, state, relations, group);
    count += aliasTargets.objects.length;
    targets.push(aliasTargets);
  }
  if (count === 0) return;
  const variables = variablesFor(fetch, state);
  // Every declared representations variable is non-null: an alias with no entities sends [].
  for (const [name, group] of groups) variables[name] = group.representations;
  const result = await call(fetch, variables, state);
  const data = isObject(result.data) ? result.data : undefined;
  let answered = false;
  for (let a = 0; a < aliases.length; a++) {
    const list = data?.[aliases[a]!.responseKey];
    if (!Array.isArray(list)) continue;
    answered = true;
    const alias = aliases[a]!;
    if (alias.outputRewrites.length > 0) applyRewrites(list, alias.outputRewrites, relations);
    const { objects, indices } = targets[a]!;
    for (let k = 0; k < objects.length; k++) {
      const entity: unknown = list[indices[k]!];
      if (isObject(entity)) mergeInto(objects[k]!, entity, relations);
    }
  }
  if (answered && (!result.errors || result.errors.length === 0)) return;
  const errors = result.errors && result.errors.length > 0 ? (result.errors as readonly SourceError[]) : [missingEntitiesError(fetch.source)];
  placeEntityErrors(node, targets, errors, !answered, state, relations);
}

function placeEntityErrors(
  node: EntitiesNode,
  targets: readonly AliasTargets[],
  errors: readonly SourceError[],
  failedWhole: boolean,
  state: RequestState,
  relations: TypeRelations,
): void {
  const source = node.fetch.source;
  // Paths are found again only now: the hot path tracks none.
  let locations: Map<ResponseObject, Array<ReadonlyArray<string | number>>> | undefined;
  const pathsOf = (entity: ResponseObject): ReadonlyArray<ReadonlyArray<string | number>> => {
    if (locations === undefined) {
      locations = new Map();
      for (const alias of node.aliases) {
        for (const path of alias.paths) {
          for (const location of locateEntities(state.data, path, relations)) {
            const known = locations.get(location.entity);
            if (known === undefined) locations.set(location.entity, [location.path]);
            else if (!known.some((other) => samePath(other, location.path))) known.push(location.path);
          }
        }
      }
    }
    return locations.get(entity) ?? [];
  };
  const aliasIndex = new Map(node.aliases.map((alias, index) => [alias.responseKey, index]));
  const first = targets.find((aliasTargets) => aliasTargets.objects.length > 0)?.objects[0];
  const seen = new Set<string>();
  for (const error of errors) {
    const path = error.path;
    const a = path && typeof path[0] === 'string' ? aliasIndex.get(path[0]) : undefined;
    if (a !== undefined && path && typeof path[1] === 'number') {
      const tail = path.slice(2);
      const { objects, indices } = targets[a]!;
      let placed = false;
      for (let k = 0; k < objects.length; k++) {
        if (indices[k] !== path[1]) continue;
        for (const at of pathsOf(objects[k]!)) state.errors.push(placeError(error, source, [...at, ...tail]));
        state.covered.add(objects[k]!);
        placed = true;
      }
      if (placed) continue;
    }
    if (seen.has(error.message)) continue;
    seen.add(error.message);
    state.errors.push(placeError(error, source, first === undefined ? undefined : pathsOf(first)[0]));
  }
  if (failedWhole) for (const aliasTargets of targets) for (const object of aliasTargets.objects) state.covered.add(object);
}

function samePath(a: ReadonlyArray<string | number>, b: ReadonlyArray<string | number>): boolean {
  return a.length === b.length && a.every((segment, index) => segment === b[index]);
}
