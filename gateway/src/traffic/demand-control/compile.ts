/**
 * An operation's cost, compiled once per document: the selection as a tree of field costs in
 * which what the document alone fixes (weights, literal sizes, literal `@skip`/`@include`) is
 * a number, and only what a variable changes (a `first: $n`, an `@include(if: $x)`) is a
 * function of the variables. A fragment is compiled once per sizing it is spread under (a
 * fragment spread twice is one shared node), so compiling is linear in the operation and its
 * fragments; a tree with no variable part is folded into one number, and a request then pays
 * nothing.
 *
 * The rules are the IBM cost spec's as Apollo Router applies them: an object, interface or
 * union field weighs 1, a scalar or enum field 0, unless `@cost` on the field or on its type
 * says otherwise; a list field counts its weight and its selection once per item, the items
 * being the value of a `@listSize` slicing argument, else its `assumedSize`, else
 * `defaultListSize`; a given argument adds its `@cost` weight (and its input fields'). Each
 * root field of a mutation adds 10. Introspection fields cost nothing.
 */
import {
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { add, argumentsCost, argumentValue, sum, times, type Expr, type Variables } from './arguments.js';
import type { CostModel, ListSizeRule } from './model.js';

export { valueOf, type Expr, type Variables } from './arguments.js';

/** A condition the document fixes, or one a variable gives (`@include(if: $x)`). */
export type Condition = boolean | ((variables: Variables) => boolean);

/** One field of a selection. */
export interface FieldCost {
  /** Where its value is in the response. */
  readonly responseKey: string;
  /** The weight of one instance: the field's `@cost`, else its type's, else 1 or 0. */
  readonly weight: number;
  /** Added once, whatever the size: its arguments' weights (and 10 for a mutation's root field). */
  readonly flat: Expr;
  readonly list: boolean;
  /** Instances estimated: 1 for a non-list field. */
  readonly size: Expr;
  readonly include: Condition;
  /** Its selection, for composite fields. */
  readonly selection: SelectionCost | undefined;
}

/** A fragment (spread or inline) within a selection. */
export interface FragmentPart {
  readonly include: Condition;
  /** Its type condition, unless it always applies where it is spread. */
  readonly typeCondition: GraphQLCompositeType | undefined;
  readonly selection: SelectionCost;
}

/** A selection set: its fields, its fragments, and its cost when the document fixes it. */
export interface SelectionCost {
  readonly fields: readonly FieldCost[];
  readonly parts: readonly FragmentPart[];
  /** The estimate, when no variable changes it. */
  readonly fixed: number | undefined;
}

/** A requirement of `@listSize(requireOneSlicingArgument: true)`: the message when it fails. */
export type SlicingCheck = (variables: Variables) => string | undefined;

/** One operation's compiled cost. */
export interface OperationCost {
  readonly selection: SelectionCost;
  /** Fields whose slicing arguments must be exactly one (checked in `enforce` mode). */
  readonly checks: readonly SlicingCheck[];
}

/** What compiling reads. */
export interface CompileSettings {
  readonly model: CostModel;
  /** Items assumed for a list field nothing else sizes. */
  readonly defaultListSize: number;
}

/** What a mutation's root field adds, as Apollo Router's mutation base cost. */
const MUTATION_ROOT_FIELD = 10;

/** Whether `condition` holds for `variables`. */
export const holds = (condition: Condition, variables: Variables): boolean => (typeof condition === 'boolean' ? condition : condition(variables));

/** The `@skip`/`@include` condition of a selection: false when a literal excludes it. */
function conditionOf(directives: readonly DirectiveNode[] | undefined): Condition {
  const dynamic: Array<(variables: Variables) => boolean> = [];
  for (const directive of directives ?? []) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const value = directive.arguments?.find((arg) => arg.name.value === 'if')?.value;
    const wanted = name === 'include';
    if (value?.kind === Kind.BOOLEAN && value.value !== wanted) return false;
    if (value?.kind === Kind.VARIABLE) {
      const variable = value.name.value;
      dynamic.push((variables) => (variables[variable] === true) === wanted);
    }
  }
  if (dynamic.length === 0) return true;
  return (variables) => dynamic.every((test) => test(variables));
}

/**
 * Compiles `operation`, one operation of a validated `document`, against `schema`. Each
 * operation is compiled on its own (when a request first runs it), so that its checks are its
 * own and an operation never run costs nothing.
 */
export function compileOperation(document: DocumentNode, operation: OperationDefinitionNode, schema: GraphQLSchema, settings: CompileSettings): OperationCost {
  const root = schema.getRootType(operation.operation);
  if (root === undefined || root === null) return { selection: { fields: [], parts: [], fixed: 0 }, checks: [] };
  const compiler = new Compiler(document, schema, settings);
  const selection = compiler.selection(operation.selectionSet, root, undefined, operation.operation === 'mutation');
  return { selection, checks: compiler.checks };
}

/** The sizes a parent's `@listSize(sizedFields:)` gives its children. */
interface Upstream {
  readonly id: number;
  readonly fields: ReadonlySet<string>;
  readonly size: Expr | undefined;
}

/** Compiles one operation: its fragments by name, the nodes compiled so far, its checks. */
class Compiler {
  private readonly fragments = new Map<string, FragmentDefinitionNode>();
  private readonly compiled = new Map<string, SelectionCost>();
  private upstreams = 0;
  readonly checks: SlicingCheck[] = [];

  constructor(document: DocumentNode, private readonly schema: GraphQLSchema, private readonly settings: CompileSettings) {
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) this.fragments.set(definition.name.value, definition);
    }
  }

  selection(node: SelectionSetNode, parent: GraphQLCompositeType, upstream: Upstream | undefined, mutationRoot = false): SelectionCost {
    const fields: FieldCost[] = [];
    const parts: FragmentPart[] = [];
    for (const selection of node.selections) {
      if (selection.kind === Kind.FIELD) {
        const field = this.field(selection, parent, upstream, mutationRoot);
        if (field !== undefined) fields.push(field);
        continue;
      }
      const include = conditionOf(selection.directives);
      if (include === false) continue;
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition === undefined ? parent : this.schema.getType(selection.typeCondition.name.value);
        if (!isCompositeType(condition)) continue;
        parts.push({ include, typeCondition: this.applies(condition, parent) ? undefined : condition, selection: this.selection(selection.selectionSet, condition, upstream, mutationRoot) });
        continue;
      }
      const fragment = this.fragments.get(selection.name.value);
      const condition = fragment === undefined ? undefined : this.schema.getType(fragment.typeCondition.name.value);
      if (fragment === undefined || !isCompositeType(condition)) continue;
      // One node per fragment and parent sizing (and root-ness): a fragment spread twice is compiled once.
      const key = `${fragment.name.value}|${upstream?.id ?? ''}|${mutationRoot ? 'm' : ''}`;
      let compiled = this.compiled.get(key);
      if (compiled === undefined) {
        compiled = this.selection(fragment.selectionSet, condition, upstream, mutationRoot);
        this.compiled.set(key, compiled);
      }
      parts.push({ include, typeCondition: this.applies(condition, parent) ? undefined : condition, selection: compiled });
    }
    return { fields, parts, fixed: fixedCost(fields, parts) };
  }

  /** Whether a fragment on `condition` applies to every object reached as `parent`. */
  private applies(condition: GraphQLCompositeType, parent: GraphQLCompositeType): boolean {
    if (condition === parent) return true;
    return isObjectType(parent) && isAbstractType(condition) && this.schema.isSubType(condition, parent);
  }

  private field(node: FieldNode, parent: GraphQLCompositeType, upstream: Upstream | undefined, mutationRoot: boolean): FieldCost | undefined {
    const name = node.name.value;
    // Introspection costs nothing here (operation limits bound it); a union has no field of its own.
    if (name.startsWith('__') || !(isObjectType(parent) || isInterfaceType(parent))) return undefined;
    const include = conditionOf(node.directives);
    if (include === false) return undefined;
    const definition = parent.getFields()[name];
    if (definition === undefined) return undefined;
    const { model } = this.settings;
    const coordinate = `${parent.name}.${name}`;
    const named = getNamedType(definition.type);
    const weight = model.weights.get(coordinate) ?? model.weights.get(named.name) ?? (isCompositeType(named) ? 1 : 0);
    const list = isListType(getNullableType(definition.type));
    const rule = model.listSizes.get(coordinate);
    const expected = rule === undefined ? undefined : this.expectedSize(rule, definition, node, coordinate);
    let size: Expr = 1;
    if (list) {
      const fromParent = upstream?.fields.has(name) === true ? upstream.size : undefined;
      size = fromParent ?? expected ?? this.settings.defaultListSize;
    }
    let selection: SelectionCost | undefined;
    if (node.selectionSet !== undefined && isCompositeType(named)) {
      const sized: Upstream | undefined = rule !== undefined && rule.sizedFields.length > 0 ? { id: ++this.upstreams, fields: new Set(rule.sizedFields), size: expected } : undefined;
      selection = this.selection(node.selectionSet, named, sized);
    }
    const flat = sum(argumentsCost(this.settings.model, definition, node, coordinate), mutationRoot ? MUTATION_ROOT_FIELD : 0);
    // A leaf that weighs nothing adds nothing, estimated or actual: most scalars are not kept.
    if (selection === undefined && weight === 0 && flat === 0) return undefined;
    return { responseKey: node.alias?.value ?? name, weight, flat, list, size, include, selection };
  }

  /** The items `@listSize` gives: the largest slicing argument given (else its default), else `assumedSize`. */
  private expectedSize(rule: ListSizeRule, definition: GraphQLField<unknown, unknown>, node: FieldNode, coordinate: string): Expr | undefined {
    const getters = rule.slicingArguments.map((path) => argumentValue(definition, node, path));
    const values = (variables: Variables): number[] => getters.flatMap((get) => {
      const value = typeof get === 'function' ? get(variables) : get;
      return typeof value === 'number' && Number.isFinite(value) ? [Math.max(0, value)] : [];
    });
    if (rule.requireOneSlicingArgument && rule.slicingArguments.length > 0) {
      this.checks.push((variables) => {
        const given = values(variables).length;
        return given === 1 ? undefined : `${coordinate} needs exactly one of its slicing arguments (${rule.slicingArguments.join(', ')}) to size its list (@listSize requireOneSlicingArgument); received ${given}.`;
      });
    }
    const fallback = rule.assumedSize;
    const pick = (found: number[]): number | undefined => (found.length > 0 ? Math.max(...found) : fallback);
    if (getters.every((get) => typeof get !== 'function')) return pick(values({}));
    return (variables) => pick(values(variables)) ?? this.settings.defaultListSize;
  }
}

/** The cost of one field given its selection's cost. */
export function fieldCost(field: FieldCost, size: number, flat: number, selection: number): number {
  return add(flat, times(size, add(field.weight, selection)));
}

/** The cost of a selection when nothing in it depends on the variables, else undefined. */
function fixedCost(fields: readonly FieldCost[], parts: readonly FragmentPart[]): number | undefined {
  let total = 0;
  for (const field of fields) {
    if (typeof field.include !== 'boolean' || typeof field.size !== 'number' || typeof field.flat !== 'number') return undefined;
    const selection = field.selection === undefined ? 0 : field.selection.fixed;
    if (selection === undefined) return undefined;
    total = add(total, fieldCost(field, field.size, field.flat, selection));
  }
  for (const part of parts) {
    if (typeof part.include !== 'boolean' || part.selection.fixed === undefined) return undefined;
    total = add(total, part.selection.fixed);
  }
  return total;
}
