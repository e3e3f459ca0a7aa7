/**
 * Field rate limits (`@rateLimit(max:, window:, by:)`, directives/rate-limit.ts): read once at
 * compose into a map by field coordinate, and counted once per distinct document.
 *
 * A limit declared on an interface's field applies to that field on every implementation; a
 * field selected on an abstract type carries the limits of every possible type's field (the
 * most restrictive reading, as authorization reads requirements). A limit counts each place
 * the field is selected in the operation: aliases and fragment spreads count, list items do
 * not (they are not known before execution).
 */
import {
  Kind,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  getNamedType,
  print,
  type ConstDirectiveNode,
  type DirectiveNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { GatewayError } from '../../errors/index.js';
import { parseRatePolicy } from './policy.js';
import { MAX_LIMIT, type RatePolicy } from './types.js';

/** Whose selections a field limit counts. */
export type RateLimitBy = 'API_KEY' | 'SUBJECT' | 'IP';

/** One `@rateLimit`, where it was declared. */
export interface FieldRateLimit {
  /** The coordinate that declares it (`Mutation.placeOrder`, `Account.balance` on an interface). */
  readonly declaredAt: string;
  readonly policy: RatePolicy;
  readonly by: RateLimitBy;
  /** As written: `5/min`. */
  readonly text: string;
}

/** The limits that apply at each field coordinate (`Type.field`). */
export type FieldRateLimits = ReadonlyMap<string, readonly FieldRateLimit[]>;

/** No field limits. */
export const NO_FIELD_LIMITS: FieldRateLimits = new Map();

const BY = new Set<RateLimitBy>(['API_KEY', 'SUBJECT', 'IP']);

/** The limit a `@rateLimit` directive node states; throws `SCHEMA_INVALID` naming the field and argument. */
function limitOf(directive: DirectiveNode | ConstDirectiveNode, coordinate: string): FieldRateLimit {
  const arg = (name: string) => directive.arguments?.find((argument) => argument.name.value === name)?.value;
  const max = arg('max');
  const window = arg('window');
  const by = arg('by');
  const where = `@rateLimit on ${coordinate}`;
  if (max?.kind !== Kind.INT || Number(max.value) < 1 || Number(max.value) > MAX_LIMIT) {
    throw new GatewayError('SCHEMA_INVALID', `${where}: argument "max" must be an Int from 1 to ${MAX_LIMIT}; received ${max === undefined ? 'nothing' : print(max)}.`);
  }
  if (window?.kind !== Kind.STRING) {
    throw new GatewayError('SCHEMA_INVALID', `${where}: argument "window" must be a String such as "min", "30s", "h" or "d"; received ${window === undefined ? 'nothing' : print(window)}.`);
  }
  if (by !== undefined && (by.kind !== Kind.ENUM || !BY.has(by.value as RateLimitBy))) {
    throw new GatewayError('SCHEMA_INVALID', `${where}: argument "by" must be API_KEY, SUBJECT or IP; received ${print(by)}.`);
  }
  const text = `${max.value}/${window.value}`;
  let policy: RatePolicy;
  try {
    policy = parseRatePolicy(text);
  } catch (error) {
    throw new GatewayError('SCHEMA_INVALID', `${where}: argument "window" ${JSON.stringify(window.value)} is not a window: ${(error as Error).message}`);
  }
  return { declaredAt: coordinate, policy, by: (by?.value as RateLimitBy | undefined) ?? 'API_KEY', text };
}

function add(limits: Map<string, FieldRateLimit[]>, coordinate: string, limit: FieldRateLimit): void {
  const list = limits.get(coordinate) ?? [];
  if (!list.includes(limit)) list.push(limit);
  limits.set(coordinate, list);
}

/** The `@rateLimit`s of `schemas` (one per source), interface limits copied to implementations. */
export function fieldRateLimitsFromSchemas(schemas: readonly GraphQLSchema[]): FieldRateLimits {
  const limits = new Map<string, FieldRateLimit[]>();
  for (const schema of schemas) {
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
      for (const field of Object.values(type.getFields())) {
        for (const directive of field.astNode?.directives ?? []) {
          if (directive.name.value !== 'rateLimit') continue;
          const limit = limitOf(directive, `${type.name}.${field.name}`);
          add(limits, limit.declaredAt, limit);
          if (isInterfaceType(type)) for (const implementation of schema.getPossibleTypes(type)) add(limits, `${implementation.name}.${field.name}`, limit);
        }
      }
    }
  }
  return limits;
}

/** The `@rateLimit`s of a supergraph SDL (when its fields carry them), interface limits copied to implementations. */
export function fieldRateLimitsFromDocument(document: DocumentNode): FieldRateLimits {
  const limits = new Map<string, FieldRateLimit[]>();
  const implementations = new Map<string, string[]>();
  const interfaceLimits: Array<[string, string, FieldRateLimit]> = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_EXTENSION) continue;
    const typeName = definition.name.value;
    for (const named of definition.interfaces ?? []) implementations.set(named.name.value, [...(implementations.get(named.name.value) ?? []), typeName]);
    for (const field of definition.fields ?? []) {
      for (const directive of field.directives ?? []) {
        if (directive.name.value !== 'rateLimit') continue;
        const limit = limitOf(directive, `${typeName}.${field.name.value}`);
        add(limits, limit.declaredAt, limit);
        if (definition.kind === Kind.INTERFACE_TYPE_DEFINITION || definition.kind === Kind.INTERFACE_TYPE_EXTENSION) interfaceLimits.push([typeName, field.name.value, limit]);
      }
    }
  }
  for (const [interfaceName, field, limit] of interfaceLimits) for (const type of implementations.get(interfaceName) ?? []) add(limits, `${type}.${field}`, limit);
  return limits;
}

/** One limit a document selects: how many selections it counts, at which coordinates (as selected). */
export interface LimitedSelection {
  readonly limit: FieldRateLimit;
  readonly count: number;
  /** The coordinates, by the parent type they are selected on, that a refusal of this limit removes. */
  readonly coordinates: ReadonlySet<string>;
}

type Counts = Map<FieldRateLimit, { count: number; coordinates: Set<string> }>;

function merge(into: Counts, from: Counts, times = 1): void {
  for (const [limit, entry] of from) {
    const target = into.get(limit) ?? { count: 0, coordinates: new Set<string>() };
    target.count = Math.min(MAX_LIMIT, target.count + entry.count * times);
    for (const coordinate of entry.coordinates) target.coordinates.add(coordinate);
    into.set(limit, target);
  }
}

/**
 * The field limits `definition` (an operation of `document`) selects, with their counts; empty
 * when it selects none. Each fragment is counted once per type it is spread on, and its counts
 * reused, so the walk is linear in the document.
 */
export function limitedSelections(schema: GraphQLSchema, document: DocumentNode, definition: OperationDefinitionNode, limits: FieldRateLimits): LimitedSelection[] {
  if (limits.size === 0) return [];
  const root = schema.getRootType(definition.operation);
  if (root === null || root === undefined) return [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const node of document.definitions) if (node.kind === Kind.FRAGMENT_DEFINITION) fragments.set(node.name.value, node);
  const memo = new Map<string, Counts>();
  const limitsAt = (parent: GraphQLCompositeType, field: string): readonly FieldRateLimit[] => {
    const own = limits.get(`${parent.name}.${field}`) ?? [];
    if (!isAbstractType(parent)) return own;
    const all = new Set(own);
    for (const type of schema.getPossibleTypes(parent)) for (const limit of limits.get(`${type.name}.${field}`) ?? []) all.add(limit);
    return [...all];
  };
  const walk = (parent: GraphQLCompositeType, set: SelectionSetNode, active: Set<string>): Counts => {
    const counts: Counts = new Map();
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__') || !('getFields' in parent)) continue;
        const field = parent.getFields()[name];
        if (field === undefined) continue;
        for (const limit of limitsAt(parent, name)) merge(counts, new Map([[limit, { count: 1, coordinates: new Set([`${parent.name}.${name}`]) }]]));
        const type = getNamedType(field.type);
        if (selection.selectionSet !== undefined && isCompositeType(type)) merge(counts, walk(type, selection.selectionSet, active));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition === undefined ? parent : schema.getType(selection.typeCondition.name.value);
        if (condition !== undefined && isCompositeType(condition)) merge(counts, walk(condition, selection.selectionSet, active));
      } else {
        const fragment = fragments.get(selection.name.value);
        const condition = fragment === undefined ? undefined : schema.getType(fragment.typeCondition.name.value);
        if (fragment === undefined || condition === undefined || !isCompositeType(condition) || active.has(fragment.name.value)) continue;
        let spread = memo.get(fragment.name.value);
        if (spread === undefined) {
          active.add(fragment.name.value);
          spread = walk(condition, fragment.selectionSet, active);
          active.delete(fragment.name.value);
          memo.set(fragment.name.value, spread);
        }
        merge(counts, spread);
      }
    }
    return counts;
  };
  return [...walk(root, definition.selectionSet, new Set())].map(([limit, { count, coordinates }]) => ({ limit, count, coordinates }));
}
