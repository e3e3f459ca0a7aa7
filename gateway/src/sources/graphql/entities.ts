/**
 * Entity fetches for a plain GraphQL source. The plan engine completes an entity with
 * `_entities(representations:)`, which only a federation subgraph answers; a plain GraphQL
 * source answers through its `@lookup` field instead. So before a request goes over HTTP, each
 * root `_entities` field of its document is rewritten into the lookup of every entity type the
 * source resolves, aliased apart (`_entities__User: usersByIds(ids: $representations__User)`),
 * the keys are read out of the representations, and the answer is put back in the order of the
 * representations, errors' paths with it.
 *
 * A document is rewritten once per document object (a plan's fetch sends the same object on
 * every request, so the HTTP executor prints the rewritten one once too); only a single-key
 * lookup, which needs one field per key, builds its document per request. Documents without
 * `_entities` (the stitcher's) go through untouched.
 */
import {
  isAbstractType,
  isObjectType,
  Kind,
  separateOperations,
  parseType,
  type DocumentNode,
  type ExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type VariableDefinitionNode,
} from 'graphql';
import { entityLookups, type EntityLookup } from '../entity-lookups.js';
import type { SourceExecutor, SourceRequest } from '../types.js';

/** One root `_entities` field of a fetch: where its representations are and what it selects. */
interface EntitiesField {
  readonly responseKey: string;
  /** The variable that holds its representations. */
  readonly variable: string;
  /** Per entity type the source resolves: the selection that applies to it. */
  readonly selections: ReadonlyMap<string, SelectionSetNode>;
}

/** How one fetch document is rewritten. */
interface Rewrite {
  readonly operation: OperationDefinitionNode;
  readonly fragments: readonly FragmentDefinitionNode[];
  /** Root selections other than `_entities`, kept as they are. */
  readonly others: readonly SelectionNode[];
  readonly fields: readonly EntitiesField[];
  /** The rewritten document when it does not depend on the request (batch lookups only). */
  readonly document: DocumentNode | undefined;
}

const NAME = (value: string) => ({ kind: Kind.NAME, value }) as const;
const VARIABLE = (name: string) => ({ kind: Kind.VARIABLE, name: NAME(name) }) as const;
const BOOLEAN = { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: NAME('Boolean') } } as const;

/** The alias of a type's lookup field within one `_entities` field. */
function lookupAlias(field: EntitiesField, typeName: string, index?: number): string {
  return `${field.responseKey}__${typeName}${index === undefined ? '' : `__${index}`}`;
}

/** Whether a type condition (`... on X`) applies to objects of `typeName`. */
function applies(schema: GraphQLSchema, condition: string | undefined, typeName: string): boolean {
  if (condition === undefined || condition === typeName) return true;
  const abstract = schema.getType(condition);
  const object = schema.getType(typeName);
  return isAbstractType(abstract) && isObjectType(object) && schema.isSubType(abstract, object);
}

/** `selectionSet` without the fragments that cannot apply to `typeName` (they would not validate there). */
function selectionFor(schema: GraphQLSchema, selectionSet: SelectionSetNode, typeName: string, fragments: ReadonlyMap<string, FragmentDefinitionNode>): SelectionSetNode {
  const selections = selectionSet.selections.filter((selection) => {
    if (selection.kind === Kind.INLINE_FRAGMENT) return applies(schema, selection.typeCondition?.name.value, typeName);
    if (selection.kind === Kind.FRAGMENT_SPREAD) return applies(schema, fragments.get(selection.name.value)?.typeCondition.name.value, typeName);
    return true;
  });
  return { kind: Kind.SELECTION_SET, selections: selections.length > 0 ? selections : [{ kind: Kind.FIELD, name: NAME('__typename') }] };
}

/**
 * The lookup types a selection asks for by a type condition (`... on User`); a selection with
 * none asks every type's fields alike.
 */
function typedFor(schema: GraphQLSchema, selectionSet: SelectionSetNode, typeNames: readonly string[], fragments: ReadonlyMap<string, FragmentDefinitionNode>): string[] {
  const conditions: string[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT && selection.typeCondition) conditions.push(selection.typeCondition.name.value);
    if (selection.kind === Kind.FRAGMENT_SPREAD) conditions.push(fragments.get(selection.name.value)?.typeCondition.name.value ?? '');
  }
  return typeNames.filter((typeName) => conditions.some((condition) => applies(schema, condition, typeName)));
}

function prepareRewrite(document: DocumentNode, schema: GraphQLSchema, lookups: ReadonlyMap<string, EntityLookup>): Rewrite | null {
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  const operation = operations[0];
  if (operations.length !== 1 || operation === undefined || operation.operation !== 'query') return null;
  const fragments = document.definitions.filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION);
  const fragmentsByName = new Map(fragments.map((fragment) => [fragment.name.value, fragment]));
  const fields: EntitiesField[] = [];
  const others: SelectionNode[] = [];
  for (const selection of operation.selectionSet.selections) {
    const argument = selection.kind === Kind.FIELD && selection.name.value === '_entities' ? selection.arguments?.find((arg) => arg.name.value === 'representations') : undefined;
    if (selection.kind !== Kind.FIELD || argument === undefined || argument.value.kind !== Kind.VARIABLE || selection.selectionSet === undefined) {
      others.push(selection);
      continue;
    }
    const selections = new Map<string, SelectionSetNode>();
    const typed = typedFor(schema, selection.selectionSet, [...lookups.keys()], fragmentsByName);
    for (const typeName of typed.length > 0 ? typed : lookups.keys()) selections.set(typeName, selectionFor(schema, selection.selectionSet, typeName, fragmentsByName));
    fields.push({ responseKey: selection.alias?.value ?? '_entities', variable: argument.value.name.value, selections });
  }
  if (fields.length === 0) return null;
  const rewrite: Rewrite = { operation, fragments, others, fields, document: undefined };
  const batchOnly = fields.every((field) => [...field.selections.keys()].every((typeName) => lookups.get(typeName)!.list));
  return batchOnly ? { ...rewrite, document: buildDocument(rewrite, lookups, undefined) } : rewrite;
}

/** The representations of one variable, grouped by entity type: their indices and keys, in order. */
interface Groups {
  /** How many representations there were (the length of the `_entities` answer). */
  readonly count: number;
  readonly byType: Map<string, { indices: number[]; keys: unknown[] }>;
}

function groupRepresentations(representations: unknown, lookups: ReadonlyMap<string, EntityLookup>): Groups {
  const byType: Groups['byType'] = new Map();
  if (!Array.isArray(representations)) return { count: 0, byType };
  representations.forEach((representation: unknown, index) => {
    if (representation === null || typeof representation !== 'object') return;
    const { __typename: typeName } = representation as { __typename?: unknown };
    const lookup = typeof typeName === 'string' ? lookups.get(typeName) : undefined;
    const key = lookup === undefined ? undefined : (representation as Record<string, unknown>)[lookup.key];
    if (lookup === undefined || key === undefined || key === null) return;
    let group = byType.get(lookup.typeName);
    if (group === undefined) byType.set(lookup.typeName, (group = { indices: [], keys: [] }));
    group.indices.push(index);
    group.keys.push(key);
  });
  return { count: representations.length, byType };
}

/** A variable's name for the keys of `typeName` in `field` (and the key's position, single lookups). */
function keysVariable(field: EntitiesField, typeName: string, position?: number): string {
  return `${field.variable}__${typeName}${position === undefined ? '' : `__${position}`}`;
}

/**
 * The rewritten document. Batch lookups: one field per type, independent of the request.
 * Single-key lookups: one field per key, so the request's representations (`groups`) are needed.
 */
function buildDocument(rewrite: Rewrite, lookups: ReadonlyMap<string, EntityLookup>, groups: ReadonlyMap<string, Groups> | undefined): DocumentNode {
  const selections: SelectionNode[] = [...rewrite.others];
  const variables: VariableDefinitionNode[] = (rewrite.operation.variableDefinitions ?? []).filter(
    (definition) => !rewrite.fields.some((field) => field.variable === definition.variable.name.value),
  );
  for (const field of rewrite.fields) {
    for (const typeName of field.selections.keys()) {
      const lookup = lookups.get(typeName)!;
      const argument = lookup.field.args[0];
      if (argument === undefined) continue;
      const argumentType = parseType(String(argument.type), { noLocation: true });
      const add = (position?: number): void => {
        const variable = keysVariable(field, typeName, position);
        variables.push({ kind: Kind.VARIABLE_DEFINITION, variable: VARIABLE(variable), type: argumentType });
        // A batch lookup of a source with several entity types is skipped when no
        // representation is of its type: the same document serves every mix of types.
        const skippable = position === undefined && field.selections.size > 1;
        if (skippable) variables.push({ kind: Kind.VARIABLE_DEFINITION, variable: VARIABLE(`${variable}__any`), type: BOOLEAN });
        selections.push({
          kind: Kind.FIELD,
          alias: NAME(lookupAlias(field, typeName, position)),
          name: NAME(lookup.field.name),
          arguments: [{ kind: Kind.ARGUMENT, name: NAME(lookup.argument), value: VARIABLE(variable) }],
          ...(skippable ? { directives: [{ kind: Kind.DIRECTIVE, name: NAME('include'), arguments: [{ kind: Kind.ARGUMENT, name: NAME('if'), value: VARIABLE(`${variable}__any`) }] }] } : {}),
          selectionSet: field.selections.get(typeName)!,
        });
      };
      if (lookup.list) add();
      else for (let position = 0; position < (groups?.get(field.variable)?.byType.get(typeName)?.keys.length ?? 0); position++) add(position);
    }
  }
  const operation: OperationDefinitionNode = {
    ...rewrite.operation,
    variableDefinitions: variables,
    selectionSet: { kind: Kind.SELECTION_SET, selections },
  };
  // Only the fragments the operation still uses (one only another type's lookup used would not validate).
  return separateOperations({ kind: Kind.DOCUMENT, definitions: [operation, ...rewrite.fragments] })[operation.name?.value ?? '']!;
}

/**
 * Where a lookup field's answer goes: its `_entities` field and the representation index of
 * each position of its list (a batch lookup), or of its one entity (a single-key lookup).
 */
interface Place {
  readonly field: EntitiesField;
  readonly indices: readonly number[];
  readonly single: boolean;
}

/** An error's path from a lookup alias back to `_entities` and the representation's index. */
function entityPath(path: ReadonlyArray<string | number>, places: ReadonlyMap<string, Place>): ReadonlyArray<string | number> {
  const place = typeof path[0] === 'string' ? places.get(path[0]) : undefined;
  if (place === undefined) return path;
  const { field, indices, single } = place;
  if (single) return [field.responseKey, indices[0]!, ...path.slice(1)];
  const position = path[1];
  const index = typeof position === 'number' ? indices[position] : undefined;
  return index === undefined ? [field.responseKey] : [field.responseKey, index, ...path.slice(2)];
}

/**
 * `executor` answering `_entities` through the source's `@lookup` fields (see above). A source
 * without lookups gets `executor` back as it is.
 */
export function withLookupEntities(schema: GraphQLSchema, executor: SourceExecutor): SourceExecutor {
  const lookups = entityLookups(schema);
  if (lookups.size === 0) return executor;
  const rewrites = new WeakMap<DocumentNode, Rewrite | null>();
  return async (request) => {
    let rewrite = rewrites.get(request.document);
    if (rewrite === undefined) {
      rewrite = prepareRewrite(request.document, schema, lookups);
      rewrites.set(request.document, rewrite);
    }
    return rewrite === null ? executor(request) : runRewritten(rewrite, lookups, request, executor);
  };
}

async function runRewritten(rewrite: Rewrite, lookups: ReadonlyMap<string, EntityLookup>, request: SourceRequest, executor: SourceExecutor): Promise<ExecutionResult> {
  const given = request.variables ?? {};
  const groupsByVariable = new Map<string, Groups>();
  for (const field of rewrite.fields) {
    if (!groupsByVariable.has(field.variable)) groupsByVariable.set(field.variable, groupRepresentations(given[field.variable], lookups));
  }
  const variables: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(given)) if (!groupsByVariable.has(name)) variables[name] = value;
  const places = new Map<string, Place>();
  for (const field of rewrite.fields) {
    const groups = groupsByVariable.get(field.variable)!;
    for (const typeName of field.selections.keys()) {
      const lookup = lookups.get(typeName)!;
      const { keys, indices } = groups.byType.get(typeName) ?? { keys: [], indices: [] };
      if (lookup.list) {
        variables[keysVariable(field, typeName)] = keys;
        if (field.selections.size > 1) variables[`${keysVariable(field, typeName)}__any`] = keys.length > 0;
        places.set(lookupAlias(field, typeName), { field, indices, single: false });
        continue;
      }
      keys.forEach((key, position) => {
        variables[keysVariable(field, typeName, position)] = key;
        places.set(lookupAlias(field, typeName, position), { field, indices: [indices[position]!], single: true });
      });
    }
  }
  const document = rewrite.document ?? buildDocument(rewrite, lookups, groupsByVariable);
  const result = await executor({ ...request, document, variables });
  return reshape(result, rewrite, groupsByVariable, places);
}

/** The lookups' answers put back as `_entities` lists, in the order of the representations. */
function reshape(result: ExecutionResult, rewrite: Rewrite, groupsByVariable: ReadonlyMap<string, Groups>, places: ReadonlyMap<string, Place>): ExecutionResult {
  const errors = result.errors?.map((error) => {
    const formatted = error as GraphQLFormattedError;
    return formatted.path === undefined ? formatted : { ...formatted, path: entityPath(formatted.path, places) };
  });
  const reshaped: ExecutionResult = errors === undefined ? { ...result } : { ...result, errors: errors as unknown as ExecutionResult['errors'] };
  const data = result.data;
  if (data === null || data === undefined) return reshaped;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) if (!places.has(key)) out[key] = value;
  for (const field of rewrite.fields) out[field.responseKey] = Array.from({ length: groupsByVariable.get(field.variable)!.count }, () => null);
  for (const [alias, { field, indices, single }] of places) {
    const answer: unknown = data[alias];
    const list = out[field.responseKey] as unknown[];
    if (single) list[indices[0]!] = answer ?? null;
    else if (Array.isArray(answer)) indices.forEach((index, position) => (list[index] = answer[position] ?? null));
  }
  return { ...reshaped, data: out };
}
