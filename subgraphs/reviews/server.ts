/**
 * The reviews backend: an Apollo Federation 2 subgraph at `/graphql`. It owns reviews and
 * extends the `User` and `Product` entities of other backends with their reviews; a gateway
 * reads its SDL through `_service { sdl }` and completes references through `_entities`.
 */
import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { parse } from 'graphql';
import { CallLog } from '../support/call-log.js';
import { startGraphQLServer } from '../support/graphql.js';
import type { RecordingOptions, RunningSubgraph } from '../support/running.js';
import { resolvers } from './resolvers.js';

/** Path of the reviews subgraph SDL. */
export const REVIEWS_SDL_PATH = new URL('./schema.graphql', import.meta.url);

/** Starts the reviews subgraph on 127.0.0.1; `port` 0 (the default) picks a free port. */
export async function startReviews(options: { port?: number } & RecordingOptions = {}): Promise<RunningSubgraph> {
  const typeDefs = parse(readFileSync(REVIEWS_SDL_PATH, 'utf8'));
  // Apollo types `__resolveReference` as a field resolver, which it is not; the generated
  // types describe it correctly, so the cast only bridges the two declarations.
  const schema = buildSubgraphSchema({ typeDefs, resolvers: resolvers as GraphQLResolverMap<unknown> });
  return startGraphQLServer({ name: 'reviews', schema, log: new CallLog(options), port: options.port ?? 0 });
}
