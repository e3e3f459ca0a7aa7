/**
 * The client's selection, compiled for projection (spec "CollectFields", done ahead of time).
 * For each runtime type met, a selection's fields are collected once: fragments whose type
 * condition applies are expanded, `@skip`/`@include` are decided, fields sharing a response
 * key are merged. The result is a flat list per type, kept for every later request with the
 * same `@skip`/`@include` variable values (the plan cache keys compiled selections by them).
 */
import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isEnumType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  Kind,
  type DirectiveNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLEnumType,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/** What compiling a selection needs: the API schema, the fragments, the condition variables. */
export interface CompileContext {
  readonly schema: GraphQLSchema;
  readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>;
  /** The request's coerced variables; only the `@skip`/`@include` ones are read. */
  readonly variables: Readonly<Record<string, unknown>>;
}

/** A type a selection is projected as: an object type, or an interface whose object is unknown. */
export type RuntimeType = GraphQLObjectType | GraphQLInterfaceType;

/** A field's type wrappers: non-null or not, and for a list, its items' shape. */
export interface Shape {
  readonly nonNull: boolean;
  /** Defined for a list: the shape of its items. */
  readonly item: Shape | undefined;
}

function shapeOf(type: GraphQLOutputType): Shape {
  const nonNull = isNonNullType(type);
  const nullable = nonNull ? type.ofType : type;
  return { nonNull, item: isListType(nullable) ? shapeOf(nullable.ofType as GraphQLOutputType) : undefined };
}

/** One field of a compiled selection. */
export interface FieldPlan {
  /** The response key (alias or name). */
  readonly key: string;
  readonly name: string;
  /** `typename`: answered from the runtime type; `passthrough`: copied as is (introspection); `value`: projected. */
  readonly kind: 'typename' | 'passthrough' | 'value';
  /** The field's type wrappers in the runtime type (`value` fields). */
  readonly shape: Shape;
  /** The named type of the field (`value` fields), for abstract types' runtime checks. */
  readonly namedType: GraphQLNamedType | undefined;
  /** True for a scalar (not enum) field that is not a list: copied without a call. */
  readonly plainScalar: boolean;
  /** The runtime type's name (for error messages). */
  readonly parentName: string;
  /** The sub-selection, for fields of object, interface or union type. */
  readonly selection: SelectionPlan | undefined;
  /** The enum type, for enum fields (values outside the API schema become null). */
  readonly enumType: GraphQLEnumType | undefined;
}

const NULLABLE: Shape = { nonNull: false, item: undefined };

function included(directives: readonly DirectiveNode[] | undefined, variables: Readonly<Record<string, unknown>>): boolean {
  if (directives === undefined || directives.length === 0) return true;
  for (const directive of directives) {
    const name = directive.name.value;
    if (name !== 'skip' && name !== 'include') continue;
    const argument = directive.arguments?.find((arg) => arg.name.value === 'if');
    if (argument === undefined) continue;
    const value = argument.value.kind === Kind.BOOLEAN
      ? argument.value.value
      : argument.value.kind === Kind.VARIABLE ? variables[argument.value.name.value] === true : false;
    if (name === 'skip' && value) return false;
    if (name === 'include' && !value) return false;
  }
  return true;
}

/** A selection (one or more merged selection sets) of a composite type, compiled per runtime type. */
export class SelectionPlan {
  private readonly byType = new Map<string, readonly FieldPlan[]>();

  constructor(
    private readonly context: CompileContext,
    private readonly selectionSets: readonly SelectionSetNode[],
    /** At the root of a query, `__schema` and `__type` are answered by introspection and copied. */
    private readonly root = false,
  ) {}

  /** The fields to project for an object of `runtime` type, in response order. */
  fieldsFor(runtime: RuntimeType): readonly FieldPlan[] {
    let fields = this.byType.get(runtime.name);
    if (fields === undefined) {
      fields = this.compile(runtime);
      this.byType.set(runtime.name, fields);
    }
    return fields;
  }

  private applies(condition: string, runtime: RuntimeType): boolean {
    if (condition === runtime.name) return true;
    const type = this.context.schema.getType(condition);
    if (!isAbstractType(type)) return false;
    if (isObjectType(runtime)) return this.context.schema.isSubType(type, runtime);
    return isInterfaceType(type) && runtime.getInterfaces().some((parent) => parent.name === condition);
  }

  private collect(runtime: RuntimeType, selectionSet: SelectionSetNode, fields: Map<string, FieldNode[]>, visited: Set<string>): void {
    const { variables, fragments } = this.context;
    for (const selection of selectionSet.selections) {
      if (!included(selection.directives, variables)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const nodes = fields.get(key);
        if (nodes === undefined) fields.set(key, [selection]);
        else nodes.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (selection.typeCondition && !this.applies(selection.typeCondition.name.value, runtime)) continue;
        this.collect(runtime, selection.selectionSet, fields, visited);
      } else {
        const name = selection.name.value;
        if (visited.has(name)) continue;
        visited.add(name);
        const fragment = fragments.get(name);
        if (fragment === undefined || !this.applies(fragment.typeCondition.name.value, runtime)) continue;
        this.collect(runtime, fragment.selectionSet, fields, visited);
      }
    }
  }

  private compile(runtime: RuntimeType): FieldPlan[] {
    const collected = new Map<string, FieldNode[]>();
    const visited = new Set<string>();
    for (const selectionSet of this.selectionSets) this.collect(runtime, selectionSet, collected, visited);
    const plans: FieldPlan[] = [];
    const definitions = runtime.getFields();
    for (const [key, nodes] of collected) {
      const name = nodes[0]!.name.value;
      const base = { key, name, parentName: runtime.name, shape: NULLABLE, namedType: undefined, plainScalar: false, selection: undefined, enumType: undefined };
      if (name === '__typename') {
        plans.push({ ...base, kind: 'typename' });
        continue;
      }
      if (this.root && (name === '__schema' || name === '__type')) {
        plans.push({ ...base, kind: 'passthrough' });
        continue;
      }
      const definition = definitions[name];
      if (definition === undefined) continue;
      const named = getNamedType(definition.type);
      const subSelections = nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
      const shape = shapeOf(definition.type);
      plans.push({
        ...base,
        kind: 'value',
        shape,
        namedType: named,
        plainScalar: shape.item === undefined && isScalarType(named),
        selection: isCompositeType(named) ? new SelectionPlan(this.context, subSelections) : undefined,
        enumType: isEnumType(named) ? named : undefined,
      });
    }
    return plans;
  }
}
