/**
 * Pipeline step "guard": parse and validate, once per distinct document. The entry kept for a
 * document holds its parse or validation errors, its operations by name, and what each
 * plugin's `onDocument` worked out for it (the per-request hooks). A bounded LRU keeps
 * `documentCache.size` entries; 0 turns caching off (every request parses and validates).
 */
import {
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import { LRUCache } from 'lru-cache';
import type { GatewayPlugin, OperationHook } from './plugin.js';

/**
 * The spec's "Operation Type Existence": an operation whose type the schema lacks (a
 * subscription, here) is a validation failure, which graphql-js 16 does not check. Without it
 * such a document would reach the engine and fail there, differently per engine.
 */
const OperationTypeExistsRule: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (!context.getSchema().getRootType(node.operation)) context.reportError(new GraphQLError(`The schema has no ${node.operation} type.`, { nodes: node }));
  },
});

/** What the gateway knows about one document. */
export interface DocumentEntry {
  /** The parsed document, when it parsed and validated. */
  readonly document: DocumentNode | undefined;
  /** Why the document cannot run (parse or validation errors, with their codes), if it cannot. */
  readonly errors: readonly GraphQLFormattedError[] | undefined;
  /** Operations by name; the anonymous one under ''. */
  readonly operations: ReadonlyMap<string, OperationDefinitionNode>;
  /** The plugins' per-request hooks for this document, in pipeline order. */
  readonly hooks: readonly OperationHook[];
}

/** Settings of the document step. */
export interface DocumentOptions {
  /** Entries kept; 0 disables the cache. */
  readonly size: number;
  /** When false, introspection fields fail validation. */
  readonly introspection: boolean;
}

function formatted(error: GraphQLError, code: string): GraphQLFormattedError {
  const json = error.toJSON();
  return { ...json, extensions: { ...json.extensions, code } };
}

/** The cache of documents for one schema and plugin list. */
export class DocumentCache {
  private readonly cache: LRUCache<string, DocumentEntry> | undefined;
  private readonly rules: readonly ValidationRule[];

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly plugins: readonly GatewayPlugin[],
    options: DocumentOptions,
  ) {
    this.cache = options.size > 0 ? new LRUCache({ max: options.size }) : undefined;
    this.rules = options.introspection ? [...specifiedRules, OperationTypeExistsRule] : [...specifiedRules, OperationTypeExistsRule, NoSchemaIntrospectionCustomRule];
  }

  /** The entry for the document text `query`: from the cache, else parsed and validated now. */
  get(query: string): DocumentEntry {
    const cached = this.cache?.get(query);
    if (cached !== undefined) return cached;
    const entry = this.build(query);
    this.cache?.set(query, entry);
    return entry;
  }

  private build(query: string): DocumentEntry {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      return { document: undefined, errors: [formatted(error, 'GRAPHQL_PARSE_FAILED')], operations: new Map(), hooks: [] };
    }
    const errors = validate(this.schema, document, this.rules);
    if (errors.length > 0) {
      return { document: undefined, errors: errors.map((error) => formatted(error, 'GRAPHQL_VALIDATION_FAILED')), operations: new Map(), hooks: [] };
    }
    const operations = new Map<string, OperationDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) operations.set(definition.name?.value ?? '', definition);
    }
    const hooks: OperationHook[] = [];
    for (const plugin of this.plugins) {
      const hook = plugin.onDocument?.(document, this.schema);
      if (hook !== undefined) hooks.push(hook);
      if (plugin.onExecute !== undefined) hooks.push(plugin.onExecute.bind(plugin));
    }
    return { document, errors: undefined, operations, hooks };
  }
}
