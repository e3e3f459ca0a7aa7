/**
 * The plan engine's contracts: what it calls (one `SourceExecutor` per source) and what one
 * request's run of a plan reads and writes (`RequestState`).
 */
import type { GraphQLError } from 'graphql';
import type { SourceContext } from '../../sources/types.js';

/**
 * One source, whatever its protocol (sources/types.ts): a GraphQL request in, a GraphQL result
 * out. Over HTTP it posts the request; an in-process source (REST or gRPC) executes the parsed
 * `document` itself. It resolves with errors inside rather than rejecting; a rejection is still
 * caught and reported as that source's failure.
 */
export type { SourceExecutor } from '../../sources/types.js';

/** An object of the response tree: parsed from a source's JSON, merged in place. */
export type ResponseObject = Record<string, unknown>;

/** One request's run of a plan: the response tree it fills and the errors it collects. */
export interface RequestState {
  /** The merged response tree, keyed by the client's response keys. */
  readonly data: ResponseObject;
  /** Errors so far, each with the path in the client's response where it belongs. */
  readonly errors: GraphQLError[];
  /** The request's coerced variables. */
  readonly variables: Record<string, unknown>;
  /** The request's context with this operation's batch loaders (`withLoaders`). */
  readonly context: SourceContext;
  /**
   * Objects whose fetch failed and was reported already: a non-null field missing under them
   * is that failure's consequence, not a new error.
   */
  readonly covered: Set<object>;
  /** Root response keys whose fetch failed and was reported (same rule, at the root). */
  readonly coveredRootKeys: Set<string>;
}
