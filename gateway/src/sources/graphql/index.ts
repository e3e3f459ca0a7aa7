/**
 * GraphQL and Apollo Federation sources. A plain GraphQL source is delegated to as it is; the
 * schema file may add `@lookup`/`@internal` to its fields (merged over the subgraph's SDL), and
 * a query plan's `_entities` fetches are rewritten into its lookups (entities.ts). A federation
 * subgraph needs no annotation: its `@key`s become merge config over `_entities`, and its SDL
 * goes into the supergraph as it is.
 */
import { parse, type DocumentNode, type GraphQLSchema } from 'graphql';
import { buildASTSchema } from 'graphql';
import { mergeTypeDefs } from '@graphql-tools/merge';
import { GatewayError } from '../../errors/index.js';
import { DIRECTIVES_DOCUMENT } from '../../directives/index.js';
import { UpstreamClient } from '../../traffic/upstream/index.js';
import type { SourceAdapter, SourceDefinition, SourceDeps, SourceRuntime } from '../types.js';
import { withLookupEntities } from './entities.js';
import { createHttpExecutor } from './http-executor.js';
import { federationMergeConfig } from './federation-keys.js';
import { loadSourceSdl, probeGraphQLSource } from './sdl.js';

function parseSdl(definition: SourceDefinition, sdl: string): DocumentNode {
  try {
    return parse(sdl);
  } catch (error) {
    throw new GatewayError('SCHEMA_INVALID', `Source "${definition.name}": its SDL does not parse: ${(error as Error).message}`, { source: definition.name });
  }
}

function runtime(definition: SourceDefinition, client: UpstreamClient, deps: SourceDeps, url: string, schema: GraphQLSchema, federation?: DocumentNode): SourceRuntime {
  const executor = createHttpExecutor(client, deps.logger);
  return {
    name: definition.name,
    kind: definition.kind,
    url,
    schema,
    executor,
    // A federation subgraph answers `_entities` itself; a plain GraphQL source through its lookups.
    ...(federation ? {} : { planExecutor: withLookupEntities(schema, executor) }),
    ...(federation ? { merge: federationMergeConfig(federation), subgraphSdl: federation } : {}),
    check: () => probeGraphQLSource(client),
    close: () => client.close(),
  };
}

/** Adapter for `kind: GRAPHQL`: the subgraph's SDL, with the schema file's annotations merged over it. */
export const graphqlSource: SourceAdapter = async (definition, settings, deps) => {
  const client = new UpstreamClient({ source: definition.name, ...settings, upstreamHeaders: deps.upstreamHeaders });
  const sdl = parseSdl(definition, await loadSourceSdl(definition, client));
  let schema: GraphQLSchema;
  try {
    schema = buildASTSchema(mergeTypeDefs([DIRECTIVES_DOCUMENT, sdl, definition.typeDefs]));
  } catch (error) {
    await client.close();
    throw new GatewayError('SCHEMA_INVALID', `Source "${definition.name}" (${definition.label}): ${(error as Error).message}`, { source: definition.name });
  }
  return runtime(definition, client, deps, settings.url, schema);
};

/** Adapter for `kind: FEDERATION`: the subgraph schema as Apollo builds it, merged by its `@key`s. */
export const federationSource: SourceAdapter = async (definition, settings, deps) => {
  if (definition.typeDefs.definitions.length > 0) {
    throw new GatewayError('SCHEMA_INVALID', `Source "${definition.name}" (${definition.label}): a FEDERATION source takes its types from the subgraph; its schema file declares only @source.`, { source: definition.name });
  }
  const client = new UpstreamClient({ source: definition.name, ...settings, upstreamHeaders: deps.upstreamHeaders });
  const sdl = parseSdl(definition, await loadSourceSdl(definition, client));
  let schema: GraphQLSchema;
  try {
    const { buildSubgraphSchema } = await import('@apollo/subgraph');
    schema = buildSubgraphSchema(sdl);
  } catch (error) {
    await client.close();
    throw new GatewayError('SCHEMA_INVALID', `Source "${definition.name}": its federation SDL is not valid: ${(error as Error).message}`, { source: definition.name });
  }
  return runtime(definition, client, deps, settings.url, schema, sdl);
};
