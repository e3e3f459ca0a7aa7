/**
 * gRPC sources (`kind: GRPC`): each `@grpc` field is one unary call to the source's service,
 * checked at start-up against its `.proto`. The subschema runs in-process (no executor): its
 * resolvers call through the source's one channel. Identical calls of one request's queries
 * share one call through the request's loaders; a mutation's calls always go out.
 */
import { Client, credentials, Metadata } from '@grpc/grpc-js';
import { addResolversToSchema } from '@graphql-tools/schema';
import type { IResolvers } from '@graphql-tools/utils';
import type { GatewayContext } from '../../context.js';
import { GatewayError } from '../../errors/index.js';
import { compileResultPath, createFieldResolver } from '../field-resolver.js';
import type { BatchLoad } from '../loaders.js';
import { buildSourceSchema, directiveFields, type DirectiveField } from '../source-schema.js';
import type { SourceAdapter, SourceDefinition, SourceSettings } from '../types.js';
import { compileGrpcCall, renderRequest, unaryCall, type GrpcCall } from './call.js';
import { loadService } from './proto.js';

/** Loader name under which a request's identical calls to one source are deduplicated. */
const LOADER = 'grpc';

/** Longest wait of `check()`: a readiness probe must answer quickly, whatever the call timeout. */
const CHECK_DEADLINE_MS = 2_000;

/** One call as the loader sees it. */
interface PendingCall {
  readonly call: GrpcCall;
  readonly message: object;
  readonly context: GatewayContext;
  readonly cacheKey: string;
}

/** The channel target of a source URL: `host:port` as it is, `grpc://host:port` without the scheme. */
export function grpcTarget(source: string, url: string): string {
  const target = url.startsWith('grpc://') ? url.slice('grpc://'.length).replace(/\/$/, '') : url;
  if (target === '' || target.includes('://')) {
    throw new GatewayError('CONFIG_INVALID', `Source "${source}": url ${JSON.stringify(url)} is not host:port or grpc://host:port (config sources.${source}.url).`, { source });
  }
  return target;
}

function metadataFor(settings: SourceSettings, context: GatewayContext): Metadata {
  const metadata = new Metadata();
  for (const [name, value] of Object.entries(settings.headers)) metadata.set(name.toLowerCase(), value);
  metadata.set('x-request-id', context.requestId);
  if (context.traceparent !== undefined) metadata.set('traceparent', context.traceparent);
  return metadata;
}

/**
 * Adapter for `kind: GRPC`. Loads `definition.proto`, checks every `@grpc` against
 * `definition.service` and builds the subschema `{ name, schema }` (compose adds merge
 * config). Throws `SCHEMA_INVALID` for a bad schema file or proto, `CONFIG_INVALID` for a bad
 * URL. `check()` waits up to two seconds for the channel to be ready.
 */
export const grpcSource: SourceAdapter = async (definition: SourceDefinition, settings: SourceSettings) => {
  const source = definition.name;
  const schema = buildSourceSchema(definition);
  const targets = directiveFields(schema, definition, 'grpc');
  const service = await loadService(definition);
  const compiled = targets.map((target: DirectiveField) => ({
    target,
    call: compileGrpcCall(definition, target, service),
    resultPath: compileResultPath(target.args.resultPath, `${definition.label}: ${target.coordinate} @grpc(resultPath:)`),
  }));

  const target = grpcTarget(source, settings.url);
  const client = new Client(target, credentials.createInsecure());
  const send = (pending: PendingCall): Promise<unknown> =>
    unaryCall(client, source, pending.call, pending.message, {
      metadata: metadataFor(settings, pending.context),
      deadlineMs: pending.call.deadlineMs ?? settings.timeoutMs,
      signal: pending.context.signal,
    });
  const batch: BatchLoad<PendingCall, unknown> = (keys) =>
    Promise.all(keys.map((key) => send(key).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))));
  const cacheKey = (key: PendingCall): string => key.cacheKey;

  const resolvers: Record<string, Record<string, unknown>> = {};
  for (const { target: field, call, resultPath } of compiled) {
    // A mutation may change state: asking twice means calling twice.
    const dedupe = field.operation !== 'mutation';
    (resolvers[field.typeName] ??= {})[field.field.name] = createFieldResolver(source, field, resultPath, (scope, context) => {
      const message = renderRequest(call, scope);
      const pending: PendingCall = { call, message, context, cacheKey: `${call.name}\n${JSON.stringify(message)}` };
      return dedupe ? context.loaders.get(source, LOADER, batch, cacheKey).load(pending) : send(pending);
    });
  }

  return {
    name: source,
    kind: definition.kind,
    url: settings.url,
    subschema: { name: source, schema: addResolversToSchema({ schema, resolvers: resolvers as IResolvers }) },
    check: () =>
      new Promise<void>((resolve, reject) => {
        client.waitForReady(Date.now() + Math.min(settings.timeoutMs, CHECK_DEADLINE_MS), (error) => {
          if (error === undefined) resolve();
          else reject(new GatewayError('UPSTREAM_UNAVAILABLE', `Source "${source}" is not ready: ${error.message}`, { source }, { cause: error }));
        });
      }),
    close: async () => {
      client.close();
    },
  };
};
