/**
 * Pipeline step "guard": the operation limits, parse and validate, once per distinct document.
 * The entry kept for a document holds its parse or validation errors, its operations by name,
 * and what each plugin's `onDocument` worked out for it (the per-request hooks). A bounded LRU
 * keeps `documentCache.size` entries and about `documentCache.maxBytes` bytes; size 0 turns
 * caching off (every request parses and validates).
 *
 * Order matters: the lexical limits (tokens, nesting) run before the recursive parser, the
 * limits that expand fragments (document-limits.ts) before validation, whose overlap rule is
 * quadratic in the fields it compares. A document over a limit is refused with
 * GRAPHQL_VALIDATION_FAILED and HTTP 400, whatever the response media type.
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
import type { ResolvedLimitsConfig } from '../config/types.js';
import { checkLexical, checkOperations, type LimitExceeded } from './document-limits.js';
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
  /** The HTTP status of a document refused by an operation limit (400); otherwise unset. */
  readonly status?: number;
}

/** Settings of the document step. */
export interface DocumentOptions {
  /** Entries kept; 0 disables the cache. */
  readonly size: number;
  /** Estimated bytes the entries may hold. Default: no bound but `size`. */
  readonly maxBytes?: number;
  /** When false, introspection fields fail validation. */
  readonly introspection: boolean;
  /** When false, "Did you mean ...?" is cut from error messages. Default true. */
  readonly suggestions?: boolean;
  /** The operation limits; absent or `enabled: false` checks none. */
  readonly limits?: ResolvedLimitsConfig;
}

const SUGGESTION = / ?Did you mean .*\?$/s;

/** `message` without graphql-js's "Did you mean ...?" sentence (schema names a client need not learn). */
export function withoutSuggestion(message: string): string {
  return message.replace(SUGGESTION, '');
}

/**
 * An estimate of the bytes an entry holds: the text as a string and its syntax tree, which
 * takes about ten times the text's length (measured on graphql-js 16 ASTs), plus its errors.
 */
function entryBytes(entry: DocumentEntry, query: string): number {
  let bytes = 2 * query.length + (entry.document === undefined ? 0 : 10 * query.length) + 256;
  for (const error of entry.errors ?? []) bytes += 2 * error.message.length + 128;
  return bytes;
}

/** The cache of documents for one schema and plugin list. */
export class DocumentCache {
  private readonly cache: LRUCache<string, DocumentEntry> | undefined;
  private readonly rules: readonly ValidationRule[];
  private readonly limits: ResolvedLimitsConfig | undefined;
  private readonly suggestions: boolean;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly plugins: readonly GatewayPlugin[],
    options: DocumentOptions,
  ) {
    this.cache = options.size > 0
      ? new LRUCache<string, DocumentEntry>({
        max: options.size,
        ...(options.maxBytes === undefined ? {} : { maxSize: options.maxBytes, sizeCalculation: (entry, query) => Math.min(entryBytes(entry, query), options.maxBytes!) }),
      })
      : undefined;
    this.rules = options.introspection ? [...specifiedRules, OperationTypeExistsRule] : [...specifiedRules, OperationTypeExistsRule, NoSchemaIntrospectionCustomRule];
    this.limits = options.limits?.enabled === false ? undefined : options.limits;
    this.suggestions = options.suggestions ?? true;
  }

  /** Estimated bytes the cached entries hold (0 without a byte bound). */
  get bytes(): number {
    return this.cache?.calculatedSize ?? 0;
  }

  /** Number of cached entries. */
  get size(): number {
    return this.cache?.size ?? 0;
  }

  private formatted(error: GraphQLError, code: string): GraphQLFormattedError {
    const json = error.toJSON();
    return { ...json, ...(this.suggestions ? {} : { message: withoutSuggestion(json.message) }), extensions: { ...json.extensions, code } };
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
    const limits = this.limits;
    const lexical = limits === undefined ? undefined : checkLexical(query, limits);
    if (lexical !== undefined) return refused(lexical);
    let document: DocumentNode;
    try {
      document = parse(query, limits === undefined ? {} : { maxTokens: limits.maxTokens });
    } catch (error) {
      if (error instanceof RangeError) return failed('The document is nested too deeply to parse.', 'GRAPHQL_PARSE_FAILED');
      if (!(error instanceof GraphQLError)) throw error;
      return { document: undefined, errors: [this.formatted(error, 'GRAPHQL_PARSE_FAILED')], operations: new Map(), hooks: [] };
    }
    if (limits !== undefined) {
      const verdict = checkOperations(document, limits);
      if (verdict !== undefined) return 'limit' in verdict ? refused(verdict.limit) : failed(verdict.invalid, 'GRAPHQL_VALIDATION_FAILED');
    }
    let errors: readonly GraphQLError[];
    try {
      errors = validate(this.schema, document, this.rules);
    } catch (error) {
      // Without limits, a deep enough document exhausts the stack in validation's visitors.
      if (error instanceof RangeError) return failed('The document is nested too deeply to validate.', 'GRAPHQL_VALIDATION_FAILED');
      throw error;
    }
    if (errors.length > 0) {
      return { document: undefined, errors: errors.map((error) => this.formatted(error, 'GRAPHQL_VALIDATION_FAILED')), operations: new Map(), hooks: [] };
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

function failed(message: string, code: string): DocumentEntry {
  return { document: undefined, errors: [{ message, extensions: { code } }], operations: new Map(), hooks: [] };
}

/** A document over an operation limit: 400 and GRAPHQL_VALIDATION_FAILED naming the limit. */
function refused(limit: LimitExceeded): DocumentEntry {
  const error: GraphQLFormattedError = { message: limit.message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED', limit: limit.key, maximum: limit.limit, found: limit.found } };
  return { document: undefined, errors: [error], operations: new Map(), hooks: [], status: 400 };
}
