/**
 * Test support for source adapters: the deps compose would hand them (a silent logger, and the
 * real request-context plugin's upstream headers), and a request context like the engine's.
 */
import { ANONYMOUS } from '../../gateway/src/auth/principal.js';
import { upstreamHeadersOf } from '../../gateway/src/server/pipeline.js';
import { requestContextPlugin } from '../../gateway/src/server/plugins/request-context.js';
import { RequestLoaders } from '../../gateway/src/sources/loaders.js';
import type { SourceContext, SourceDeps } from '../../gateway/src/sources/types.js';
import { createLogger, type Logger } from '../../gateway/src/telemetry/logger.js';

/** The deps of a source built outside a gateway; `logger` defaults to a silent one. */
export function sourceDeps(logger: Logger = createLogger('silent')): SourceDeps {
  return { logger, upstreamHeaders: upstreamHeadersOf([requestContextPlugin([])]) };
}

/** A request's context as sources see it (fresh loaders unless given). */
export function sourceContext(extra: { requestId?: string; traceparent?: string; loaders?: RequestLoaders; signal?: AbortSignal } = {}): SourceContext {
  return {
    requestId: extra.requestId ?? 'r1',
    traceparent: extra.traceparent,
    clientIp: '127.0.0.1',
    signal: extra.signal ?? new AbortController().signal,
    principal: ANONYMOUS,
    loaders: extra.loaders ?? new RequestLoaders(),
  };
}
