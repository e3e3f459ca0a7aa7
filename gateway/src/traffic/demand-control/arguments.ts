/**
 * What a field's arguments contribute to its cost, read from the operation once: the value
 * of a slicing argument (`first`, `page.size`), and the `@cost` weights of the arguments given
 * and of the input fields set in them. A value that holds a variable becomes a function of the
 * request's variables; a literal one is read now.
 */
import { getNamedType, getNullableType, isInputObjectType, isListType, Kind, valueFromAST, type FieldNode, type GraphQLField, type GraphQLInputType, type ValueNode } from 'graphql';
import type { CostModel } from './model.js';

/** Coerced variable values of one request. */
export type Variables = Readonly<Record<string, unknown>>;

/** A number the document fixes, or one the variables give. */
export type Expr = number | ((variables: Variables) => number);

/** Costs stay finite: past this they are this (a document cannot overflow the sums). */
const CAP = Number.MAX_SAFE_INTEGER;

/** `a + b`, capped. */
export const add = (a: number, b: number): number => Math.min(a + b, CAP);
/** `a * b`, capped (and 0 when either is 0, even against the cap). */
export const times = (a: number, b: number): number => (a === 0 || b === 0 ? 0 : Math.min(a * b, CAP));
/** The value of `expr` for `variables`. */
export const valueOf = (expr: Expr, variables: Variables): number => (typeof expr === 'number' ? expr : expr(variables));

/** `a + b`, a number when both are. */
export function sum(a: Expr, b: Expr): Expr {
  if (typeof a === 'number' && typeof b === 'number') return add(a, b);
  return (variables) => add(valueOf(a, variables), valueOf(b, variables));
}

/** Whether a value node holds a variable anywhere. */
export function hasVariable(node: ValueNode): boolean {
  switch (node.kind) {
    case Kind.VARIABLE:
      return true;
    case Kind.LIST:
      return node.values.some(hasVariable);
    case Kind.OBJECT:
      return node.fields.some((field) => hasVariable(field.value));
    default:
      return false;
  }
}

type Field = GraphQLField<unknown, unknown>;

/**
 * The value at `path` (`first`, `page.size`) of the field's argument as `node` gives it (else
 * its default), or a function of the variables when a variable is in it.
 */
export function argumentValue(definition: Field, node: FieldNode, path: string): unknown {
  const [head, ...rest] = path.split('.');
  const arg = definition.args.find((candidate) => candidate.name === head);
  if (arg === undefined) return undefined;
  const given = node.arguments?.find((candidate) => candidate.name.value === head)?.value;
  const at = (value: unknown): unknown => rest.reduce<unknown>((current, key) => (current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined), value);
  if (given === undefined) return at(arg.defaultValue);
  if (!hasVariable(given)) return at(valueFromAST(given, arg.type));
  return (variables: Variables) => {
    const value = valueFromAST(given, arg.type, variables as Record<string, unknown>);
    return at(value === undefined ? arg.defaultValue : value);
  };
}

/** The `@cost` weights of the arguments `node` gives (and of the input fields set in them). */
export function argumentsCost(model: CostModel, definition: Field, node: FieldNode, coordinate: string): Expr {
  let total: Expr = 0;
  for (const given of node.arguments ?? []) {
    const arg = definition.args.find((candidate) => candidate.name === given.name.value);
    if (arg === undefined) continue;
    total = sum(total, model.weights.get(`${coordinate}(${arg.name}:)`) ?? 0);
    if (!weighsInputs(model, arg.type, new Set())) continue;
    const type = arg.type;
    const value = given.value;
    total = sum(total, hasVariable(value) ? (variables) => inputCost(model, type, valueFromAST(value, type, variables as Record<string, unknown>)) : inputCost(model, type, valueFromAST(value, type)));
  }
  return total;
}

/** Whether an input type has, at any depth, a field with `@cost` (else its values cost nothing). */
function weighsInputs(model: CostModel, type: GraphQLInputType, seen: Set<string>): boolean {
  const named = getNamedType(type);
  if (!isInputObjectType(named) || seen.has(named.name)) return false;
  seen.add(named.name);
  return Object.values(named.getFields()).some((field) => model.weights.has(`${named.name}.${field.name}`) || weighsInputs(model, field.type, seen));
}

/** The weights of the input fields set in a coerced `value` of `type`. */
function inputCost(model: CostModel, type: GraphQLInputType, value: unknown): number {
  const nullable = getNullableType(type);
  if (value === null || value === undefined) return 0;
  if (isListType(nullable)) {
    const item = nullable.ofType as GraphQLInputType;
    return Array.isArray(value) ? value.reduce<number>((total, entry) => add(total, inputCost(model, item, entry)), 0) : inputCost(model, item, value);
  }
  if (!isInputObjectType(nullable) || typeof value !== 'object') return 0;
  let total = 0;
  for (const [name, field] of Object.entries(nullable.getFields())) {
    const item = (value as Record<string, unknown>)[name];
    if (item !== undefined) total = add(total, add(model.weights.get(`${nullable.name}.${name}`) ?? 0, inputCost(model, field.type, item)));
  }
  return total;
}
