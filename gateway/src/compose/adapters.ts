/** The one place a protocol is mapped to its adapter. */
import type { SourceAdapter, SourceKind } from '../sources/types.js';
import { federationSource, graphqlSource } from '../sources/graphql/index.js';
import { restSource } from '../sources/rest/index.js';
import { grpcSource } from '../sources/grpc/index.js';

/** Adapter per source kind. */
export const ADAPTERS: Record<SourceKind, SourceAdapter> = {
  graphql: graphqlSource,
  federation: federationSource,
  rest: restSource,
  grpc: grpcSource,
};
