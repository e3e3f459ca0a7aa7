/**
 * What protects each field of the graph, read once at start-up from the auth directives
 * (directives/auth.ts) on the sources' schemas, or from a federation supergraph's own
 * `@authenticated` / `@requiresScopes`. A field's requirements are its own directives plus
 * those on the type it returns; a field several sources serve gets all of theirs.
 */
import {
  Kind,
  getNamedType,
  isInterfaceType,
  isObjectType,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';

/** One rule a field carries. */
export type Requirement =
  | { readonly kind: 'apiKey'; readonly scopes: readonly string[]; readonly withToken: boolean }
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'scopes'; readonly anyOf: ReadonlyArray<readonly string[]> }
  | { readonly kind: 'claim'; readonly name: string; readonly values: readonly string[] };

/** Requirements by field coordinate (`Query.orders`); fields not in it are public. */
export type FieldPolicies = ReadonlyMap<string, readonly Requirement[]>;

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * The requirement a directive states, or undefined for a directive that is not an auth one.
 * Federation's `@requiresScopes` (and `federation__`-prefixed names) read like ours.
 */
export function requirementOf(directive: ConstDirectiveNode): Requirement | undefined {
  const name = directive.name.value.replace(/^federation__/, '');
  const args: Record<string, unknown> = {};
  for (const arg of directive.arguments ?? []) args[arg.name.value] = valueFromASTUntyped(arg.value);
  switch (name) {
    case 'apiKey':
      return { kind: 'apiKey', scopes: strings(args.scopes), withToken: args.withToken === true };
    case 'authenticated':
      return { kind: 'authenticated' };
    case 'requiresScope':
    case 'requiresScopes':
      return { kind: 'scopes', anyOf: (Array.isArray(args.scopes) ? args.scopes : []).map(strings) };
    case 'requiresClaim':
      return { kind: 'claim', name: typeof args.name === 'string' ? args.name : '', values: strings(args.values) };
    default:
      return undefined;
  }
}

function requirementsOf(directives: readonly ConstDirectiveNode[] | undefined): Requirement[] {
  return (directives ?? []).flatMap((directive) => requirementOf(directive) ?? []);
}

/** Collects policies: type-level and field-level requirements, merged, then applied. */
class PolicyBuilder {
  private readonly types = new Map<string, Requirement[]>();
  private readonly fields = new Map<string, { returns: string; requirements: Requirement[] }>();

  type(name: string, requirements: Requirement[]): void {
    if (requirements.length > 0) this.types.set(name, [...(this.types.get(name) ?? []), ...requirements]);
  }

  field(coordinate: string, returns: string, requirements: Requirement[]): void {
    const entry = this.fields.get(coordinate) ?? { returns, requirements: [] };
    entry.requirements.push(...requirements);
    this.fields.set(coordinate, entry);
  }

  build(): FieldPolicies {
    const policies = new Map<string, readonly Requirement[]>();
    for (const [coordinate, { returns, requirements }] of this.fields) {
      const typeName = coordinate.slice(0, coordinate.indexOf('.'));
      const all = [...requirements, ...(this.types.get(returns) ?? []), ...(this.types.get(typeName) ?? [])];
      if (all.length > 0) policies.set(coordinate, all);
    }
    return policies;
  }
}

/** The policies the auth directives of `schemas` (one per source) state. */
export function policiesFromSchemas(schemas: readonly GraphQLSchema[]): FieldPolicies {
  const builder = new PolicyBuilder();
  for (const schema of schemas) {
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
      builder.type(type.name, requirementsOf([type.astNode, ...type.extensionASTNodes].flatMap((node) => node?.directives ?? [])));
      for (const field of Object.values(type.getFields())) {
        builder.field(`${type.name}.${field.name}`, getNamedType(field.type).name, requirementsOf(field.astNode?.directives));
      }
    }
  }
  return builder.build();
}

/** The policies a supergraph's `@authenticated` / `@requiresScopes` state (and ours, if used). */
export function policiesFromSupergraph(document: DocumentNode): FieldPolicies {
  const builder = new PolicyBuilder();
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION
      && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) continue;
    builder.type(definition.name.value, requirementsOf(definition.directives));
    for (const field of definition.fields ?? []) {
      let named = field.type;
      while (named.kind !== Kind.NAMED_TYPE) named = named.type;
      builder.field(`${definition.name.value}.${field.name.value}`, named.name.value, requirementsOf(field.directives));
    }
  }
  return builder.build();
}
