/**
 * REST sources (`kind: REST`): each `@rest` field is one HTTP call to the source, checked at
 * start-up against the source's OpenAPI document. The subschema runs in-process (no
 * executor): its resolvers call the backend through the source's one keep-alive pool, and
 * identical GETs within one request share one call through the request's loaders.
 */
import { addResolversToSchema } from '@graphql-tools/schema';
import type { IResolvers } from '@graphql-tools/utils';
import type { GatewayContext } from '../../context.js';
import { UpstreamClient, type UpstreamResponse } from '../../traffic/upstream.js';
import { compileResultPath, createFieldResolver } from '../field-resolver.js';
import type { BatchLoad } from '../loaders.js';
import { buildSourceSchema, directiveFields, schemaInvalid, type DirectiveField } from '../source-schema.js';
import type { SourceAdapter, SourceDefinition, SourceSettings } from '../types.js';
import { compileRestCall, renderCall, type RenderedCall, type RestCall } from './call.js';
import { loadOperations, operationKey, type OpenApiOperations } from './openapi.js';
import { readResponse } from './response.js';

/** Loader name under which a request's GETs to one source are deduplicated. */
const LOADER = 'rest';

function checkOperation(definition: SourceDefinition, target: DirectiveField, call: RestCall, operations: OpenApiOperations): void {
  if (operations.keys.has(operationKey(call.method, call.path.source))) return;
  const listing = operations.listing.length > 0 ? operations.listing.join(', ') : 'none';
  throw schemaInvalid(
    definition,
    `${target.coordinate} is @rest(method: ${call.method}, path: "${call.path.source}"), but ${operations.label} has no such operation. Its operations: ${listing}.`,
  );
}

/**
 * Sends rendered calls: non-GETs always go out (a repeated POST is meant twice); GETs go
 * through the request's loader, so the same GET asked twice in one request is sent once.
 */
function createSender(source: string, client: UpstreamClient): (rendered: RenderedCall, context: GatewayContext) => Promise<UpstreamResponse> {
  const batch: BatchLoad<RenderedCall, UpstreamResponse> = (keys) =>
    Promise.all(keys.map((key) => client.request(key.request).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))));
  const cacheKey = (key: RenderedCall): string => key.cacheKey;
  return (rendered, context) => {
    if (rendered.request.method !== 'GET') return client.request(rendered.request);
    return context.loaders.get(source, LOADER, batch, cacheKey).load(rendered);
  };
}

/**
 * Adapter for `kind: REST`. Reads `definition.openapi`, checks every `@rest` against it and
 * builds the subschema `{ name, schema }` (compose adds merge config). Throws `SCHEMA_INVALID`
 * for a bad schema file or OpenAPI document, `CONFIG_INVALID` for a bad URL (UpstreamClient).
 * `check()` sends `GET` to the source URL: any HTTP status means reachable.
 */
export const restSource: SourceAdapter = async (definition: SourceDefinition, settings: SourceSettings) => {
  const schema = buildSourceSchema(definition);
  const targets = directiveFields(schema, definition, 'rest');
  const operations = await loadOperations(definition);
  const compiled = targets.map((target) => {
    const call = compileRestCall(definition, target);
    checkOperation(definition, target, call, operations);
    const resultPath = compileResultPath(target.args.resultPath, `${definition.label}: ${target.coordinate} @rest(resultPath:)`);
    return { target, call, resultPath };
  });

  const client = new UpstreamClient({ source: definition.name, ...settings });
  const send = createSender(definition.name, client);
  const resolvers: Record<string, Record<string, unknown>> = {};
  for (const { target, call, resultPath } of compiled) {
    (resolvers[target.typeName] ??= {})[target.field.name] = createFieldResolver(definition.name, target, resultPath, async (scope, context) => {
      const rendered = renderCall(call, scope, context);
      return readResponse(definition.name, rendered.label, await send(rendered, context), call.errorStatus);
    });
  }

  return {
    name: definition.name,
    kind: definition.kind,
    url: settings.url,
    subschema: { name: definition.name, schema: addResolversToSchema({ schema, resolvers: resolvers as IResolvers }) },
    check: async () => {
      await client.request({ method: 'GET', path: '' });
    },
    close: () => client.close(),
  };
};
