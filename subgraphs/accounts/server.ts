/**
 * The accounts backend: a plain GraphQL service at `/graphql` (no federation), the kind of
 * backend the gateway joins to others through a batch field, `usersByIds`.
 */
import { readFileSync } from 'node:fs';
import { CallLog } from '../support/call-log.js';
import { buildExecutableSchema } from '../support/executable-schema.js';
import { startGraphQLServer } from '../support/graphql.js';
import type { RecordingOptions, RunningSubgraph } from '../support/running.js';
import { resolvers } from './resolvers.js';

/** Path of the accounts SDL, for gateways that read a subgraph's schema from a file. */
export const ACCOUNTS_SDL_PATH = new URL('./schema.graphql', import.meta.url);

/** Starts the accounts backend on 127.0.0.1; `port` 0 (the default) picks a free port. */
export async function startAccounts(options: { port?: number } & RecordingOptions = {}): Promise<RunningSubgraph> {
  const schema = buildExecutableSchema(readFileSync(ACCOUNTS_SDL_PATH, 'utf8'), resolvers);
  return startGraphQLServer({ name: 'accounts', schema, log: new CallLog(options), port: options.port ?? 0 });
}
