/**
 * REST sources (`kind: REST`): each `@rest` field is one HTTP call to the source, checked at
 * start-up against the source's OpenAPI document. The source answers operations in-process
 * (`createLocalExecutor`): its resolvers call the backend through the source's one keep-alive
 * pool, and identical GETs within one request share one call through the request's loaders.
 */
import { addResolversToSchema } from '@graphql-tools/schema';
import type { IResolvers } from '@graphql-tools/utils';
import { UpstreamClient, type UpstreamResponse } from '../../traffic/upstream/index.js';
import { compileResultPath, createFieldResolver, logUpstreamFailure } from '../field-resolver.js';
import type { BatchLoad } from '../loaders.js';
import { withEntities } from '../entities.js';
import { createLocalExecutor } from '../local-executor.js';
import { buildSourceSchema, directiveFields, schemaInvalid, type DirectiveField } from '../source-schema.js';
import type { SourceAdapter, SourceContext, SourceDefinition } from '../types.js';
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

/** A GET as the loader sees it: the rendered call and the request it belongs to. */
interface PendingGet {
  readonly rendered: RenderedCall;
  readonly context: SourceContext;
}

/**
 * Sends rendered calls: non-GETs always go out (a repeated POST is meant twice); GETs go
 * through the request's loader, so the same GET asked twice in one request is sent once.
 */
function createSender(source: string, client: UpstreamClient): (rendered: RenderedCall, context: SourceContext) => Promise<UpstreamResponse> {
  const batch: BatchLoad<PendingGet, UpstreamResponse> = (keys) =>
    Promise.all(keys.map((key) => client.request(key.rendered.request, key.context).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))));
  const cacheKey = (key: PendingGet): string => key.rendered.cacheKey;
  return (rendered, context) => {
    if (rendered.request.method !== 'GET') return client.request(rendered.request, context);
    return context.loaders.get(source, LOADER, batch, cacheKey).load({ rendered, context });
  };
}

/**
 * Adapter for `kind: REST`. Reads `definition.openapi`, checks every `@rest` against it and
 * builds the source's schema with its resolvers. Throws `SCHEMA_INVALID` for a bad schema file
 * or OpenAPI document, `CONFIG_INVALID` for a bad URL (UpstreamClient). `check()` sends `GET`
 * to the source URL: any HTTP status means reachable.
 */
export const restSource: SourceAdapter = async (definition, settings, deps) => {
  const source = definition.name;
  const schema = buildSourceSchema(definition);
  const targets = directiveFields(schema, definition, 'rest');
  const operations = await loadOperations(definition);
  const compiled = targets.map((target) => {
    const call = compileRestCall(definition, target);
    checkOperation(definition, target, call, operations);
    const resultPath = compileResultPath(target.args.resultPath, `${definition.label}: ${target.coordinate} @rest(resultPath:)`);
    return { target, call, resultPath };
  });

  const client = new UpstreamClient({ source, ...settings, upstreamHeaders: deps.upstreamHeaders });
  const send = createSender(source, client);
  const resolvers: Record<string, Record<string, unknown>> = {};
  for (const { target, call, resultPath } of compiled) {
    (resolvers[target.typeName] ??= {})[target.field.name] = createFieldResolver(source, target, resultPath, async (scope, context) => {
      const rendered = renderCall(call, scope);
      try {
        return readResponse(source, await send(rendered, context), call.errorStatus);
      } catch (error) {
        logUpstreamFailure(deps.logger, context, source, rendered.label, error);
        throw error;
      }
    });
  }
  // `_entities` answered by the lookups: what a query plan's entity fetches ask.
  const executable = withEntities(addResolversToSchema({ schema, resolvers: resolvers as IResolvers }));

  return {
    name: source,
    kind: definition.kind,
    url: settings.url,
    schema: executable,
    executor: createLocalExecutor(executable),
    check: async () => {
      await client.request({ method: 'GET', path: '', timeoutMs: 2000 });
    },
    close: () => client.close(),
  };
};
