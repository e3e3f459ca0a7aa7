/**
 * Projection: the response the client asked for, built from the merged response tree (spec
 * "CompleteValue"). Only the selected fields, under the client's response keys and in its
 * order; `__typename` from the runtime type; abstract values typed by their `__typename`;
 * enum values outside the API schema become null; a null (or missing) value for a non-null
 * field nulls the nearest nullable parent. That null gets an error of its own unless a fetch
 * error already accounts for it (the fetch that should have filled it failed).
 */
import {
  GraphQLError,
  isAbstractType,
  isInterfaceType,
  isObjectType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import type { FieldPlan, RuntimeType, SelectionPlan, Shape } from './selection-plan.js';
import type { RequestState, ResponseObject } from './types.js';

/** Returned upward when a non-null field is null: the nearest nullable parent becomes null. */
const INVALID: unique symbol = Symbol('invalid');

interface Projection {
  readonly schema: GraphQLSchema;
  readonly state: RequestState;
  /** The path of the value being completed (pushed only when descending). */
  readonly path: Array<string | number>;
}

/** The client's response data from `state.data`, or null when a non-null root field is null. */
export function projectResponse(schema: GraphQLSchema, rootType: RuntimeType, selection: SelectionPlan, state: RequestState): ResponseObject | null {
  const projection: Projection = { schema, state, path: [] };
  const data = projectObject(state.data, rootType, selection, projection);
  return data === INVALID ? null : data;
}

function projectObject(source: ResponseObject, runtime: RuntimeType, selection: SelectionPlan, projection: Projection): ResponseObject | typeof INVALID {
  const fields = selection.fieldsFor(runtime);
  const out: ResponseObject = {};
  for (let index = 0; index < fields.length; index++) {
    const field = fields[index]!;
    const value = source[field.key];
    if (field.plainScalar) {
      // The common case, inline: a scalar copied as it is.
      if (value !== undefined && value !== null) {
        out[field.key] = value;
      } else if (field.shape.nonNull) {
        reportNull(field, field.key, projection);
        return INVALID;
      } else {
        out[field.key] = null;
      }
    } else if (field.kind === 'value') {
      const completed = complete(value, field.shape, field, field.key, projection);
      if (completed === INVALID) return INVALID;
      out[field.key] = completed;
    } else if (field.kind === 'typename') {
      out[field.key] = runtime.name;
    } else {
      out[field.key] = value ?? null;
    }
  }
  return out;
}

function complete(value: unknown, shape: Shape, field: FieldPlan, segment: string | number, projection: Projection): unknown {
  let completed: unknown = null;
  if (value !== null && value !== undefined) {
    if (shape.item !== undefined) completed = completeList(value, shape.item, field, segment, projection);
    else if (field.selection !== undefined) completed = completeObject(value, field, segment, projection);
    else completed = completeLeaf(value, field, segment, projection);
    if (completed === INVALID) return shape.nonNull ? INVALID : null;
  }
  if (completed === null && shape.nonNull) {
    reportNull(field, segment, projection);
    return INVALID;
  }
  return completed;
}

function completeList(value: unknown, item: Shape, field: FieldPlan, segment: string | number, projection: Projection): unknown {
  if (!Array.isArray(value)) return null;
  const out = new Array<unknown>(value.length);
  projection.path.push(segment);
  for (let index = 0; index < value.length; index++) {
    const completed = complete(value[index], item, field, index, projection);
    if (completed === INVALID) {
      projection.path.pop();
      return INVALID;
    }
    out[index] = completed;
  }
  projection.path.pop();
  return out;
}

function completeObject(value: unknown, field: FieldPlan, segment: string | number, projection: Projection): unknown {
  if (typeof value !== 'object' || Array.isArray(value)) return null;
  const runtime = runtimeTypeOf(value as ResponseObject, field.namedType!, projection.schema);
  if (runtime === undefined) return null;
  projection.path.push(segment);
  const out = projectObject(value as ResponseObject, runtime, field.selection!, projection);
  projection.path.pop();
  return out;
}

function completeLeaf(value: unknown, field: FieldPlan, segment: string | number, projection: Projection): unknown {
  const enumType = field.enumType;
  if (enumType !== undefined && (typeof value !== 'string' || enumType.getValue(value) === undefined)) {
    projection.state.errors.push(new GraphQLError(`Enum "${enumType.name}" cannot represent value: ${JSON.stringify(value)}`, {
      path: [...projection.path, segment],
      extensions: { code: 'UPSTREAM_BAD_RESPONSE' },
    }));
    return null;
  }
  return value;
}

/**
 * The type an object is projected as: the declared object type; for an abstract type, the
 * object type its `__typename` names when that is one of the abstract type's possible types,
 * or the interface itself when a source answered with the interface's name (an
 * `@interfaceObject`) and nothing told the concrete type. Otherwise nothing (the value is null).
 */
function runtimeTypeOf(value: ResponseObject, declared: GraphQLNamedType, schema: GraphQLSchema): RuntimeType | undefined {
  if (isObjectType(declared)) return declared;
  const typename = value.__typename;
  if (typeof typename !== 'string') return isInterfaceType(declared) ? declared : undefined;
  const type = schema.getType(typename);
  if (isObjectType(type)) return isAbstractType(declared) && schema.isSubType(declared, type) ? type : undefined;
  if (isInterfaceType(type) && (type === declared || type.getInterfaces().includes(declared as never))) return type;
  return undefined;
}

function reportNull(field: FieldPlan, segment: string | number, projection: Projection): void {
  const path = [...projection.path, segment];
  if (isAccountedFor(projection.state, path)) return;
  projection.state.errors.push(new GraphQLError(`Cannot return null for non-nullable field ${field.parentName}.${field.name}.`, {
    path,
    extensions: { code: 'UPSTREAM_BAD_RESPONSE' },
  }));
}

/** True when a fetch error already explains a null at `path` (runs only when a null is found). */
function isAccountedFor(state: RequestState, path: ReadonlyArray<string | number>): boolean {
  for (const error of state.errors) {
    const at = error.path;
    if (at !== undefined && at.length <= path.length && at.every((segment, index) => segment === path[index])) return true;
  }
  if (typeof path[0] === 'string' && state.coveredRootKeys.has(path[0])) return true;
  if (state.covered.size === 0) return false;
  let value: unknown = state.data;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return false;
    if (state.covered.has(value)) return true;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value !== null && typeof value === 'object' && state.covered.has(value);
}
