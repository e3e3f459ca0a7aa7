/**
 * gRPC sources (`kind: GRPC`): each `@grpc` field is one unary call to the source's service,
 * checked at start-up against its `.proto`. The source answers operations in-process
 * (`createLocalExecutor`): its resolvers call through the source's one channel. Identical calls
 * of one request's queries share one call through the request's loaders; a mutation's calls
 * always go out.
 */
import { addResolversToSchema } from '@graphql-tools/schema';
import type { IResolvers } from '@graphql-tools/utils';
import { GrpcChannel, GrpcStatusError } from '../../traffic/upstream/index.js';
import { compileResultPath, createFieldResolver, logUpstreamFailure } from '../field-resolver.js';
import type { BatchLoad } from '../loaders.js';
import { withEntities } from '../entities.js';
import { createLocalExecutor } from '../local-executor.js';
import { buildSourceSchema, directiveFields, type DirectiveField } from '../source-schema.js';
import type { SourceAdapter, SourceContext } from '../types.js';
import { compileGrpcCall, renderRequest, statusError, type GrpcCall } from './call.js';
import { loadService } from './proto.js';

/** Loader name under which a request's identical calls to one source are deduplicated. */
const LOADER = 'grpc';

/** Longest wait of `check()`: a readiness probe must answer quickly, whatever the call timeout. */
const CHECK_DEADLINE_MS = 2_000;

/** One call as the loader sees it. */
interface PendingCall {
  readonly call: GrpcCall;
  readonly message: object;
  readonly context: SourceContext;
  readonly cacheKey: string;
}

/**
 * Adapter for `kind: GRPC`. Loads `definition.proto`, checks every `@grpc` against
 * `definition.service` and builds the source's schema with its resolvers. Throws
 * `SCHEMA_INVALID` for a bad schema file or proto, `CONFIG_INVALID` for a bad URL. `check()`
 * waits up to two seconds for the channel to be ready.
 */
export const grpcSource: SourceAdapter = async (definition, settings, deps) => {
  const source = definition.name;
  const schema = buildSourceSchema(definition);
  const targets = directiveFields(schema, definition, 'grpc');
  const service = await loadService(definition);
  const compiled = targets.map((target: DirectiveField) => ({
    target,
    call: compileGrpcCall(definition, target, service),
    resultPath: compileResultPath(target.args.resultPath, `${definition.label}: ${target.coordinate} @grpc(resultPath:)`),
  }));

  const channel = new GrpcChannel({ source, ...settings, upstreamHeaders: deps.upstreamHeaders });
  const send = async (pending: PendingCall): Promise<unknown> => {
    try {
      return await channel.unary(pending.call.method, pending.message, pending.context, pending.call.deadlineMs ?? settings.timeoutMs);
    } catch (error) {
      const failure = error instanceof GrpcStatusError ? statusError(source, error) : error;
      logUpstreamFailure(deps.logger, pending.context, source, pending.call.name, failure);
      throw failure;
    }
  };
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
  // `_entities` answered by the lookups: what a query plan's entity fetches ask.
  const executable = withEntities(addResolversToSchema({ schema, resolvers: resolvers as IResolvers }));

  return {
    name: source,
    kind: definition.kind,
    url: settings.url,
    schema: executable,
    executor: createLocalExecutor(executable),
    check: () => channel.ready(Math.min(settings.timeoutMs, CHECK_DEADLINE_MS)),
    close: async () => {
      channel.close();
    },
  };
};
