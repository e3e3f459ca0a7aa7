/**
 * What the operator wrote: the auth directives on each type and field of a schema's SDL, read
 * once at start-up, before any inheritance (model.ts applies that). A directive's arguments
 * are coerced and checked exactly as GraphQL does it, against the directive's definition
 * (directives/auth.ts): `@apiKey(scopes: "admin")` is a list of one scope, as in any GraphQL
 * value, and `@apiKey(scopes: 5)` stops start-up with `SCHEMA_INVALID`, naming the file, the
 * field and the argument, instead of being read as "no scope needed".
 */
import {
  Kind,
  buildASTSchema,
  isNonNullType,
  isTypeDefinitionNode,
  isTypeExtensionNode,
  parse,
  print,
  valueFromAST,
  type ConstDirectiveNode,
  type DefinitionNode,
  type GraphQLDirective,
  type GraphQLSchema,
} from 'graphql';
import { AUTH_DIRECTIVES_SDL, FEDERATION_AUTH_DIRECTIVES_SDL } from '../../directives/index.js';
import { GatewayError } from '../../errors/index.js';
import { authDirectiveNames, type AuthDirective, type AuthDirectiveNames } from './links.js';

/** One rule a field carries. */
export type Requirement =
  | { readonly kind: 'apiKey'; readonly scopes: readonly string[]; readonly withToken: boolean }
  | { readonly kind: 'authenticated' }
  | { readonly kind: 'scopes'; readonly anyOf: ReadonlyArray<readonly string[]> }
  | { readonly kind: 'claim'; readonly name: string; readonly values: readonly string[] };

/**
 * Requirements by field coordinate (`Query.orders`, `Account.balance`), for every object and
 * interface type of the public graph (model.ts); a coordinate not in it is public.
 */
export type FieldPolicies = ReadonlyMap<string, readonly Requirement[]>;

/** What the SDL of the graph's sources says, by type name and by field coordinate, before inheritance. */
export interface Annotations {
  /** Type-level requirements, by type name (objects, interfaces, unions, scalars, enums). */
  readonly types: Map<string, Requirement[]>;
  /** A field's own requirements, by coordinate. */
  readonly fields: Map<string, Requirement[]>;
}

/** One SDL the policy is read from, and how errors name where it came from. */
export interface PolicyDocument {
  /** `schema/bank.graphql`; `supergraph.graphql`; a federation source's file and name. */
  readonly label: string;
  readonly definitions: readonly DefinitionNode[];
}

let definitions: GraphQLSchema | undefined;

/** The definitions every auth directive is coerced against, built once. */
function definitionOf(directive: AuthDirective): GraphQLDirective {
  definitions ??= buildASTSchema(parse(`${AUTH_DIRECTIVES_SDL}\n${FEDERATION_AUTH_DIRECTIVES_SDL}\ntype Query { _: Int }`));
  const found = definitions.getDirective(directive);
  if (found === null || found === undefined) throw new Error(`no definition of @${directive}`);
  return found;
}

/** The directive's arguments as GraphQL coerces them (a single value is a list of one), defaults applied. */
function coerce(directive: ConstDirectiveNode, definition: GraphQLDirective, where: string): Record<string, unknown> {
  const local = `@${directive.name.value}`;
  const invalid = (message: string) => new GatewayError('SCHEMA_INVALID', `${where}: ${message}`);
  const given = new Map((directive.arguments ?? []).map((arg) => [arg.name.value, arg.value]));
  for (const name of given.keys()) {
    if (!definition.args.some((arg) => arg.name === name)) {
      const takes = definition.args.length === 0 ? 'it takes no arguments' : `it takes ${definition.args.map((arg) => arg.name).join(', ')}`;
      throw invalid(`${local} has no argument "${name}"; ${takes}.`);
    }
  }
  const values: Record<string, unknown> = {};
  for (const arg of definition.args) {
    const node = given.get(arg.name);
    if (node === undefined) {
      if (arg.defaultValue !== undefined) values[arg.name] = arg.defaultValue;
      else if (isNonNullType(arg.type)) throw invalid(`${local}(${arg.name}:) is required: ${String(arg.type)}.`);
      continue;
    }
    const value = valueFromAST(node, arg.type);
    if (value === undefined) throw invalid(`${local}(${arg.name}:) must be ${String(arg.type)}; received ${print(node)}.`);
    values[arg.name] = value;
  }
  return values;
}

/**
 * The requirement `directive` states (it is the auth directive `meaning`), its arguments
 * coerced. `where` names the file and coordinate in errors. `@policy` is refused.
 */
export function requirementOf(directive: ConstDirectiveNode, meaning: AuthDirective, where: string): Requirement {
  const args = coerce(directive, definitionOf(meaning), where);
  switch (meaning) {
    case 'apiKey':
      return { kind: 'apiKey', scopes: (args.scopes as string[] | null) ?? [], withToken: args.withToken === true };
    case 'authenticated':
      return { kind: 'authenticated' };
    case 'requiresScope':
    case 'requiresScopes':
      return { kind: 'scopes', anyOf: args.scopes as string[][] };
    case 'requiresClaim':
      return { kind: 'claim', name: args.name as string, values: args.values as string[] };
    case 'policy':
      throw new GatewayError('SCHEMA_INVALID', `${where}: @${directive.name.value} is Apollo's @policy, which OpenClaw does not enforce; serving it would leave the field open. Protect it with @authenticated, @requiresScopes or @apiKey instead.`);
  }
}

function requirementsOf(directives: readonly ConstDirectiveNode[] | undefined, names: AuthDirectiveNames, where: string): Requirement[] {
  return (directives ?? []).flatMap((directive) => {
    const meaning = names.get(directive.name.value);
    return meaning === undefined ? [] : [requirementOf(directive, meaning, where)];
  });
}

function add(map: Map<string, Requirement[]>, key: string, requirements: readonly Requirement[]): void {
  if (requirements.length > 0) map.set(key, [...(map.get(key) ?? []), ...requirements]);
}

/** Adds what `document` says to `into`. Throws `SCHEMA_INVALID` for a bad argument or an unenforced feature. */
export function annotate(into: Annotations, document: PolicyDocument): void {
  const names = authDirectiveNames(document.definitions, document.label);
  for (const definition of document.definitions) {
    // Input types are not read: nothing selects them.
    if (!(isTypeDefinitionNode(definition) || isTypeExtensionNode(definition)) || definition.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION || definition.kind === Kind.INPUT_OBJECT_TYPE_EXTENSION) continue;
    const typeName = definition.name.value;
    add(into.types, typeName, requirementsOf(definition.directives, names, `${document.label}: ${typeName}`));
    if (!('fields' in definition)) continue;
    for (const field of definition.fields ?? []) {
      const coordinate = `${typeName}.${field.name.value}`;
      add(into.fields, coordinate, requirementsOf(field.directives, names, `${document.label}: ${coordinate}`));
    }
  }
}

/**
 * Checks the auth directives of `document` as `policiesFor` reads them, before anything else
 * reads the SDL (a source adapter's own directive reading would otherwise report a bad
 * argument without naming the file): throws `SCHEMA_INVALID` as `annotate` does.
 */
export function checkAuthDirectives(document: PolicyDocument): void {
  annotate({ types: new Map(), fields: new Map() }, document);
}

/** A built schema's SDL as it was written: its schema node and each type's definition and extensions. */
export function definitionsOf(schema: GraphQLSchema): DefinitionNode[] {
  const nodes: Array<DefinitionNode | null | undefined> = [schema.astNode, ...schema.extensionASTNodes];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!type.name.startsWith('__')) nodes.push(type.astNode, ...type.extensionASTNodes);
  }
  return nodes.filter((node): node is DefinitionNode => node !== null && node !== undefined);
}
