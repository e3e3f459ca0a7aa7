/**
 * The start-up half shared by the REST and gRPC adapters: build a source's schema from its
 * file (with the directive definitions, so `@lookup` / `@internal` stay on the field AST nodes
 * for compose), find the fields a directive serves, and check what can be checked before the
 * first request. Every problem is a `SCHEMA_INVALID` error naming the schema file and field.
 */
import { relative, isAbsolute } from 'node:path';
import { isListType, isNonNullType, isObjectType, type GraphQLField, type GraphQLSchema, type GraphQLType } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { getDirective } from '@graphql-tools/utils';
import { DIRECTIVES_DOCUMENT } from '../directives/index.js';
import { GatewayError } from '../errors/index.js';
import { lookupKey } from './entity-lookups.js';
import type { Placeholder } from './template.js';
import type { SourceDefinition } from './types.js';

/** The directives that say how a field is fetched; a source uses exactly one of them. */
export type CallDirective = 'rest' | 'grpc';

/** A field served by a call directive, with what the resolver needs to know about it. */
export interface DirectiveField {
  /** `Type.field`, as errors name it. */
  readonly coordinate: string;
  readonly typeName: string;
  readonly field: GraphQLField<unknown, unknown>;
  /** The root operation the field belongs to, or undefined for a field of an object type. */
  readonly operation: 'query' | 'mutation' | 'subscription' | undefined;
  /** The directive's arguments, as written (defaults applied). */
  readonly args: Readonly<Record<string, unknown>>;
  /**
   * For a list `@lookup` (one list argument, list result): the argument holding the keys and
   * the entity property they match, so the answer can be put back in key order.
   */
  readonly lookup: { readonly argument: string; readonly key: string } | undefined;
}

/**
 * How errors name a file a schema file points to (an OpenAPI document, a `.proto`): relative
 * to the working directory when it is below it. The schema file itself is `definition.label`.
 */
export function fileLabel(file: string): string {
  const label = relative(process.cwd(), file);
  return label === '' || label.startsWith('..') || isAbsolute(label) ? file : label;
}

/** A `SCHEMA_INVALID` error for `definition`'s file; `message` follows the `file: ` prefix. */
export function schemaInvalid(definition: SourceDefinition, message: string): GatewayError {
  return new GatewayError('SCHEMA_INVALID', `${definition.label}: ${message}`, { source: definition.name });
}

/** Builds the source's (resolver-less) schema from the directive definitions and its file. */
export function buildSourceSchema(definition: SourceDefinition): GraphQLSchema {
  try {
    return makeExecutableSchema({ typeDefs: [DIRECTIVES_DOCUMENT, definition.typeDefs] });
  } catch (error) {
    throw schemaInvalid(definition, `the SDL of source "${definition.name}" is not valid: ${(error as Error).message}`);
  }
}

function unwrapNonNull(type: GraphQLType): GraphQLType {
  return isNonNullType(type) ? type.ofType : type;
}

function listLookup(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>): DirectiveField['lookup'] {
  const key = lookupKey(schema, field);
  const [argument] = field.args;
  // Single-key lookups need no reordering; compose rejects malformed ones with its own message.
  if (key === undefined || field.args.length !== 1 || argument === undefined) return undefined;
  if (!isListType(unwrapNonNull(argument.type)) || !isListType(unwrapNonNull(field.type))) return undefined;
  return { argument: argument.name, key };
}

/**
 * Every field of the schema that `directive` serves. A root field without it is an error (it
 * could only ever answer null), and so is the other protocol's directive.
 */
export function directiveFields(schema: GraphQLSchema, definition: SourceDefinition, directive: CallDirective): DirectiveField[] {
  const other: CallDirective = directive === 'rest' ? 'grpc' : 'rest';
  const roots = new Map<string | undefined, DirectiveField['operation']>([
    [schema.getQueryType()?.name, 'query'],
    [schema.getMutationType()?.name, 'mutation'],
    [schema.getSubscriptionType()?.name, 'subscription'],
  ]);
  const found: DirectiveField[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const operation = roots.get(type.name);
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      if (getDirective(schema, field, other)?.length) {
        throw schemaInvalid(definition, `${coordinate} uses @${other}, but source "${definition.name}" is ${definition.kind.toUpperCase()}; use @${directive}.`);
      }
      const args = getDirective(schema, field, directive)?.[0];
      if (args === undefined) {
        if (operation !== undefined) throw schemaInvalid(definition, `${coordinate} has no @${directive}; every root field of a ${definition.kind.toUpperCase()} source says how it is fetched.`);
        continue;
      }
      found.push({ coordinate, typeName: type.name, field, operation, args, lookup: listLookup(schema, field) });
    }
  }
  return found;
}

/**
 * Checks a field's placeholders against the field: `{args.x}` must name an argument, and
 * `{parent.x}` needs a parent object, which a root field does not have.
 */
export function checkPlaceholders(definition: SourceDefinition, target: DirectiveField, where: string, placeholders: readonly Placeholder[]): void {
  const argNames = target.field.args.map((arg) => arg.name);
  for (const placeholder of placeholders) {
    const [name] = placeholder.path;
    if (placeholder.root === 'args' && name !== undefined && !argNames.includes(name)) {
      const known = argNames.length > 0 ? `its arguments: ${argNames.join(', ')}` : 'it takes no arguments';
      throw schemaInvalid(definition, `${where}: ${placeholder.text} names no argument of ${target.coordinate} (${known}).`);
    }
    if (placeholder.root === 'parent' && target.operation !== undefined) {
      throw schemaInvalid(definition, `${where}: ${placeholder.text} is used on root field ${target.coordinate}, which has no parent object.`);
    }
  }
}
