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
import type { Logger } from '../telemetry/logger.js';
import type { GatewayPlugin } from './plugin.js';
import { errorMaskingPlugin } from './plugins/error-masking.js';
import { mediaTypePlugin } from './plugins/media-type.js';
import { requestContextPlugin } from './plugins/request-context.js';

/** The ordered plugin list for one gateway. */
export function createPipeline(logger: Logger): GatewayPlugin[] {
  return [requestContextPlugin(), mediaTypePlugin(), errorMaskingPlugin(logger)];
}
