/**
 * Costs of one request from an operation's compiled cost (compile.ts): the estimate, before
 * execution (only the parts the variables change are computed; a shared fragment once), and
 * the actual cost, after it, from the response's data: the same weights, counted for each
 * value the response holds (a list's actual items instead of its estimated size; a null
 * counts nothing but its arguments). The actual walk visits each response object
 * once per selection that reaches it, so it is linear in the response.
 */
import { isAbstractType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import { add } from './arguments.js';
import { fieldCost, holds, valueOf, type FieldCost, type FragmentPart, type OperationCost, type SelectionCost, type Variables } from './compile.js';


/**
 * The estimated cost of `operation` for `variables`. With `strict`, a field whose
 * `@listSize(requireOneSlicingArgument: true)` is not met gives its message instead.
 */
export function estimateCost(operation: OperationCost, variables: Variables, strict: boolean): number | string {
  if (strict) {
    for (const check of operation.checks) {
      const failure = check(variables);
      if (failure !== undefined) return failure;
    }
  }
  const { fixed } = operation.selection;
  if (fixed !== undefined) return fixed;
  return selectionEstimate(operation.selection, variables, new Map());
}

function selectionEstimate(selection: SelectionCost, variables: Variables, memo: Map<SelectionCost, number>): number {
  if (selection.fixed !== undefined) return selection.fixed;
  const known = memo.get(selection);
  if (known !== undefined) return known;
  let total = 0;
  for (const field of selection.fields) {
    if (!holds(field.include, variables)) continue;
    const inner = field.selection === undefined ? 0 : selectionEstimate(field.selection, variables, memo);
    total = add(total, fieldCost(field, valueOf(field.size, variables), valueOf(field.flat, variables), inner));
  }
  for (const part of selection.parts) {
    if (holds(part.include, variables)) total = add(total, selectionEstimate(part.selection, variables, memo));
  }
  memo.set(selection, total);
  return total;
}

type Data = Record<string, unknown>;

/** The actual cost of `operation` for the response's `data`. */
export function actualCost(operation: OperationCost, data: Data | null | undefined, variables: Variables, schema: GraphQLSchema): number {
  if (data === null || data === undefined) return 0;
  return new ActualWalk(variables, schema).selection(operation.selection, data);
}

class ActualWalk {
  /** Per shared fragment node, the cost already found for an object (a fragment spread twice is walked once). */
  private readonly memo = new Map<SelectionCost, WeakMap<Data, number>>();

  constructor(private readonly variables: Variables, private readonly schema: GraphQLSchema) {}

  selection(selection: SelectionCost, data: Data): number {
    let total = 0;
    for (const field of selection.fields) {
      const value = data[field.responseKey];
      if (value === undefined || !holds(field.include, this.variables)) continue;
      total = add(total, this.field(field, value));
    }
    for (const part of selection.parts) {
      if (!holds(part.include, this.variables) || !this.applies(part, data)) continue;
      let seen = this.memo.get(part.selection);
      if (seen === undefined) this.memo.set(part.selection, (seen = new WeakMap()));
      let cost = seen.get(data);
      if (cost === undefined) {
        cost = this.selection(part.selection, data);
        seen.set(data, cost);
      }
      total = add(total, cost);
    }
    return total;
  }

  private field(field: FieldCost, value: unknown): number {
    const flat = valueOf(field.flat, this.variables);
    if (!field.list) return value === null ? flat : fieldCost(field, 1, flat, this.inner(field, value));
    let total = flat;
    const items = (list: unknown): void => {
      if (!Array.isArray(list)) return;
      for (const item of list) {
        if (Array.isArray(item)) items(item);
        else if (item !== null) total = add(total, add(field.weight, this.inner(field, item)));
      }
    };
    items(value);
    return total;
  }

  private inner(field: FieldCost, value: unknown): number {
    return field.selection !== undefined && value !== null && typeof value === 'object' ? this.selection(field.selection, value as Data) : 0;
  }

  /**
   * Whether a fragment with a type condition applies to `data`: by its `__typename` when the
   * selection asked for it; without it the fragment is counted (its fields count only where
   * the response has them).
   */
  private applies(part: FragmentPart, data: Data): boolean {
    if (part.typeCondition === undefined) return true;
    const typename = data.__typename;
    if (typeof typename !== 'string') return true;
    if (typename === part.typeCondition.name) return true;
    const type = this.schema.getType(typename);
    return isAbstractType(part.typeCondition) && (isObjectType(type) || isInterfaceType(type)) && this.schema.isSubType(part.typeCondition, type);
  }
}
