/**
 * The engine `config.engine` selects, built from what compose made: the plan engine (the
 * default) over the composed supergraph, in either mode, or the reference engine over the
 * stitched schema. `openclaw start` and `openclaw check` both build it, so a supergraph the
 * planner refuses fails `check` as it would fail `start`: SCHEMA_INVALID.
 */
import type { ComposedGateway } from '../compose/types.js';
import type { ResolvedConfig } from '../config/types.js';
import { GatewayError } from '../errors/index.js';
import { createReferenceEngine, type ExecutionEngine } from './engine.js';
import { createPlanEngine } from './plan/index.js';

/**
 * The engine for `engine` over `composed`, its plan cache bounded by `planCache` (count and
 * estimated bytes). Throws SCHEMA_INVALID when the planner refuses the supergraph.
 */
export function createEngine(engine: ResolvedConfig['engine'], composed: ComposedGateway, planCache?: ResolvedConfig['planCache']): ExecutionEngine {
  if (engine === 'reference') return createReferenceEngine(composed.schema);
  try {
    return createPlanEngine({
      supergraphSdl: composed.supergraph.sdl,
      schema: composed.schema,
      executors: composed.supergraph.executors,
      ...(planCache === undefined ? {} : { planCacheSize: planCache.size, planCacheMaxBytes: planCache.maxBytes }),
    });
  } catch (error) {
    throw new GatewayError('SCHEMA_INVALID', `The query planner cannot read the supergraph: ${(error as Error).message}`, {}, { cause: error });
  }
}
