/**
 * What a GraphQL backend derives from a document once and then reuses: the parsed and
 * validated document, and the name a call is recorded under.
 */
import { GraphQLError, Kind, getOperationAST, parse, validate } from 'graphql';
import type { DocumentNode, GraphQLSchema, SelectionSetNode } from 'graphql';

/** A document parsed and validated against one schema; `document` is null when it did not parse. */
export interface PreparedDocument {
  document: DocumentNode | null;
  errors: readonly GraphQLError[];
}

// Test backends see a handful of distinct documents; when this many pile up the memory simply
// starts over, which bounds it without the bookkeeping of an LRU.
const MAX_DOCUMENTS = 500;

/** Names an operation as `type rootField ...`, looking through fragments at the root. */
export function describeOperation(document: DocumentNode, operationName?: string | null): string {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 'unknown operation';
  const fragments = new Map<string, SelectionSetNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition.selectionSet);
  }
  const names = new Set<string>();
  const visit = (set: SelectionSetNode, seen: Set<string>): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) names.add(selection.name.value);
      else if (selection.kind === Kind.INLINE_FRAGMENT) visit(selection.selectionSet, seen);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) visit(fragment, seen);
      }
    }
  };
  visit(operation.selectionSet, new Set());
  return [operation.operation, ...names].join(' ');
}

/** Parses and validates each distinct document once, as a real server's document cache does. */
export class DocumentCache {
  readonly #documents = new Map<string, PreparedDocument>();

  constructor(private readonly schema: GraphQLSchema) {}

  /** The prepared form of `query`, from memory when it was seen before. */
  prepare(query: string): PreparedDocument {
    let prepared = this.#documents.get(query);
    if (prepared) return prepared;
    try {
      const document = parse(query);
      prepared = { document, errors: validate(this.schema, document) };
    } catch (error) {
      prepared = { document: null, errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))] };
    }
    if (this.#documents.size >= MAX_DOCUMENTS) this.#documents.clear();
    this.#documents.set(query, prepared);
    return prepared;
  }

  /** The name a request for `query` is recorded under (see {@link describeOperation}). */
  describe(query: string, operationName?: string | null): string {
    const { document } = this.prepare(query);
    return document ? describeOperation(document, operationName) : 'invalid document';
  }
}
