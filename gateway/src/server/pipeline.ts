/**
 * The request pipeline, in order. Each cross-cutting concern is one plugin (see plugin.ts);
 * this list is the only place their order is decided.
 *
 *   context     request-context: correlation id, traceparent
 *   guard       media-type: the CSRF rule (POST needs application/json)
 *               (parse/validate: Apollo Server, results cached per document)
 *   execute     the ExecutionEngine over the composed graph (execute/)
 *   respond     error-masking: documented codes only, unexpected errors masked and logged
 *
 * Later steps (identity, limits, rate limit, authorize, cache, observe) slot in here.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.js';
import type { Logger } from '../telemetry/logger.js';
import type { GatewayPlugin, HttpExchange } from './plugin.js';
import { errorMaskingPlugin } from './plugins/error-masking.js';
import { mediaTypePlugin } from './plugins/media-type.js';
import { requestContextPlugin } from './plugins/request-context.js';

/** The ordered plugin list for one gateway. */
export function createPipeline(logger: Logger): GatewayPlugin[] {
  return [requestContextPlugin(), mediaTypePlugin(), errorMaskingPlugin(logger)];
}

/** The plugins' hooks, grouped by step once at start-up: a request runs only hooks that exist. */
export interface PipelineHooks {
  readonly onHttpRequest: ReadonlyArray<(exchange: HttpExchange) => void>;
  readonly onContext: ReadonlyArray<(exchange: HttpExchange, context: GatewayContext) => void>;
  readonly apollo: ReadonlyArray<ApolloServerPlugin<GatewayContext>>;
}

/** Groups the hooks of `plugins` by step, keeping the plugins' order. */
export function hooksOf(plugins: readonly GatewayPlugin[]): PipelineHooks {
  return {
    onHttpRequest: plugins.flatMap((plugin) => (plugin.onHttpRequest ? [plugin.onHttpRequest.bind(plugin)] : [])),
    onContext: plugins.flatMap((plugin) => (plugin.onContext ? [plugin.onContext.bind(plugin)] : [])),
    apollo: plugins.flatMap((plugin) => (plugin.apollo ? [plugin.apollo] : [])),
  };
}
