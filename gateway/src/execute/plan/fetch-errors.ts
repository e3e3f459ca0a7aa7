/**
 * Errors of fetches, placed in the client's response. A source's error keeps its message and
 * extensions (the source executor has already made them client-safe and named the source);
 * it gains the path where it belongs. A fetch that fails as a whole is one error, at the path
 * of the first place it would have filled, naming the source.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { GatewayError, isGatewayError } from '../../errors/index.js';

/** An error as a source executor returns it: a GraphQLError or its JSON form. */
export type SourceError = GraphQLError | GraphQLFormattedError;

/** The error at `path`, with the source's message and extensions (`source` added when missing). */
export function placeError(error: SourceError, source: string, path: ReadonlyArray<string | number> | undefined): GraphQLError {
  const extensions: Record<string, unknown> = { ...(error.extensions ?? {}) };
  if (extensions.source === undefined) extensions.source = source;
  if (extensions.code === undefined) extensions.code = 'UPSTREAM_ERROR';
  return new GraphQLError(error.message, { path, extensions });
}

/** The error of a source executor that rejected instead of answering. */
export function rejectionError(error: unknown, source: string): GraphQLError {
  const gatewayError = isGatewayError(error)
    ? error
    : new GatewayError('UPSTREAM_ERROR', `Source "${source}" failed.`, { source }, { cause: error });
  return gatewayError.toGraphQLError();
}

/** The error of a source that answered an entity fetch without its entities and without saying why. */
export function missingEntitiesError(source: string): GraphQLError {
  return new GatewayError('UPSTREAM_BAD_RESPONSE', `Source "${source}" answered without the entities it was asked for.`, { source }).toGraphQLError();
}
