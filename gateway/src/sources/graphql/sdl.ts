/**
 * Where a GraphQL source's SDL comes from: the file named by `@source(sdl:)`, else the running
 * subgraph (introspection for plain GraphQL, `_service { sdl }` for federation), read once at
 * start-up.
 */
import { readFile } from 'node:fs/promises';
import { buildClientSchema, getIntrospectionQuery, printSchema, type IntrospectionQuery } from 'graphql';
import { GatewayError, isGatewayError } from '../../errors/index.js';
import type { UpstreamClient } from '../../traffic/upstream/index.js';
import type { SourceDefinition } from '../types.js';

/** Reads the source's SDL from its file, or asks the running subgraph for it. */
export async function loadSourceSdl(definition: SourceDefinition, client: UpstreamClient): Promise<string> {
  if (definition.sdl !== undefined) {
    try {
      return await readFile(definition.sdl, 'utf8');
    } catch (error) {
      throw new GatewayError('SCHEMA_INVALID', `Source "${definition.name}" (${definition.label}): cannot read its sdl file ${definition.sdl}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`, { source: definition.name });
    }
  }
  if (definition.kind === 'federation') {
    const data = await query<{ _service: { sdl: string } }>(client, '{ _service { sdl } }');
    return data._service.sdl;
  }
  const data = await query<IntrospectionQuery>(client, getIntrospectionQuery());
  return printSchema(buildClientSchema(data));
}

async function query<T>(client: UpstreamClient, text: string): Promise<T> {
  let response;
  try {
    response = await client.request({
      method: 'POST',
      path: '',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: text }),
    });
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    throw new GatewayError(error.code, `${error.message.replace(/\.$/, '')}, so its schema cannot be read at start-up: start it first, or give its SDL with @source(sdl: "...").`, error.details, { cause: error });
  }
  const body = JSON.parse(response.body) as { data?: T; errors?: unknown[] };
  if (response.status !== 200 || body.data === undefined || body.data === null) {
    throw new GatewayError('SCHEMA_INVALID', `Source "${client.source}": could not read its schema (HTTP ${response.status}). Give its SDL with @source(sdl: "...") or start it first.`, { source: client.source });
  }
  return body.data;
}

/** Probes a GraphQL source with `{ __typename }`: resolves when it answers a GraphQL response. */
export async function probeGraphQLSource(client: UpstreamClient): Promise<void> {
  const response = await client.request({
    method: 'POST',
    path: '',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: '{"query":"{ __typename }"}',
    timeoutMs: 2000,
  });
  if (response.status !== 200) throw new Error(`source "${client.source}" answered HTTP ${response.status}`);
}
