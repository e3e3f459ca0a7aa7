/**
 * What protects each field of the graph, read once at start-up from the auth directives
 * (directives/auth.ts) on the sources' schemas, or from a federation supergraph's own
 * `@authenticated` / `@requiresScopes`. A field's requirements are its own directives plus
 * those on the type it returns; a field several sources serve gets all of theirs.
 *
 * A supergraph names its auth directives through `@link`, which may rename them (Apollo's
 * composition keeps a subgraph's `import: [{ name: "@authenticated", as: "@loggedIn" }]`), so
 * the names are read from its links. A `for: SECURITY` feature the gateway does not enforce
 * (`@policy`, say) refuses the supergraph: the link spec requires it, and serving it would
 * leave the fields it protects open. (`@inaccessible` is enforced by the API schema.)
 */
import {
  Kind,
  type ConstValueNode,
  getNamedType,
  isInterfaceType,
  isObjectType,
  valueFromASTUntyped,
  type ConstDirectiveNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { GatewayError } from '../../errors/index.js';

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
 * Federation's `@requiresScopes` (and `federation__`-prefixed names) read like ours;
 * `renamed` maps a local name to the directive it stands for (a supergraph's `@link` imports).
 */
export function requirementOf(directive: ConstDirectiveNode, renamed?: ReadonlyMap<string, string>): Requirement | undefined {
  const local = directive.name.value;
  const name = (renamed?.get(local) ?? local).replace(/^federation__/, '');
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

function requirementsOf(directives: readonly ConstDirectiveNode[] | undefined, renamed?: ReadonlyMap<string, string>): Requirement[] {
  return (directives ?? []).flatMap((directive) => requirementOf(directive, renamed) ?? []);
}

/** The auth features a supergraph may link, by their spec URL (any version). */
const AUTH_FEATURE = /^https:\/\/specs\.apollo\.dev\/(authenticated|requiresScopes)\/v\d+\.\d+$/;

/**
 * SECURITY features the gateway enforces elsewhere: `@inaccessible` elements are left out of
 * the API schema the supergraph is served with, so no document that names one validates.
 */
const ENFORCED_ELSEWHERE = /^https:\/\/specs\.apollo\.dev\/inaccessible\/v\d+\.\d+$/;

function argument(directive: ConstDirectiveNode, name: string): ConstValueNode | undefined {
  return directive.arguments?.find((arg) => arg.name.value === name)?.value;
}

/**
 * Local directive name -> the auth directive it is, from the supergraph's `@link`s: a linked
 * feature's own directive goes by the link's `as` or else its name, an import by its `as` or
 * its name. A feature that is not linked keeps its plain name. Throws `SCHEMA_INVALID` for a
 * `for: SECURITY` link to a feature other than these two.
 */
function linkedAuthNames(document: DocumentNode): Map<string, string> {
  const names = new Map<string, string>();
  const linked = new Set<string>();
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const url = argument(link, 'url');
      const purpose = argument(link, 'for');
      const feature = url?.kind === Kind.STRING ? AUTH_FEATURE.exec(url.value)?.[1] : undefined;
      if (feature === undefined) {
        const enforced = url?.kind === Kind.STRING && ENFORCED_ELSEWHERE.test(url.value);
        if (purpose?.kind === Kind.ENUM && purpose.value === 'SECURITY' && !enforced) {
          const where = url?.kind === Kind.STRING ? url.value : 'a feature without a url';
          throw new GatewayError('SCHEMA_INVALID', `The supergraph links the SECURITY feature ${where}, which OpenClaw does not enforce; serving it would leave the fields it protects open. OpenClaw enforces @authenticated and @requiresScopes.`);
        }
        continue;
      }
      linked.add(feature);
      const as = argument(link, 'as');
      names.set(as?.kind === Kind.STRING ? as.value : feature, feature);
      const imports = argument(link, 'import');
      for (const entry of imports?.kind === Kind.LIST ? imports.values : []) {
        if (entry.kind === Kind.STRING) names.set(entry.value.replace(/^@/, ''), feature);
        if (entry.kind !== Kind.OBJECT) continue;
        const field = (key: string) => entry.fields.find((candidate) => candidate.name.value === key)?.value;
        const name = field('name');
        const alias = field('as') ?? name;
        if (name?.kind === Kind.STRING && alias?.kind === Kind.STRING && name.value === `@${feature}`) names.set(alias.value.replace(/^@/, ''), feature);
      }
    }
  }
  for (const feature of ['authenticated', 'requiresScopes']) if (!linked.has(feature)) names.set(feature, feature);
  return names;
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

/**
 * The policies a supergraph's `@authenticated` / `@requiresScopes` state (and ours, if used),
 * under the names its `@link`s give them. Throws `SCHEMA_INVALID` for a SECURITY feature the
 * gateway does not enforce.
 */
export function policiesFromSupergraph(document: DocumentNode): FieldPolicies {
  const builder = new PolicyBuilder();
  const renamed = linkedAuthNames(document);
  for (const definition of document.definitions) {
    if (
      definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION
      && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_EXTENSION
    ) continue;
    builder.type(definition.name.value, requirementsOf(definition.directives, renamed));
    for (const field of definition.fields ?? []) {
      let named = field.type;
      while (named.kind !== Kind.NAMED_TYPE) named = named.type;
      builder.field(`${definition.name.value}.${field.name.value}`, named.name.value, requirementsOf(field.directives, renamed));
    }
  }
  return builder.build();
}
