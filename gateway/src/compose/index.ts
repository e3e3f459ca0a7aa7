/**
 * Compose: the step that runs once at start-up (and on reload). It reads the schema files,
 * builds one runtime per source, stitches their subschemas into the unified graph (the
 * contract: validation, introspection, the reference engine) and composes them as federation
 * subgraphs into a supergraph (what the plan engine plans on, subgraphs.ts). Nothing on the
 * request path derives any of this again.
 */
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { stitchSchemas } from '@graphql-tools/stitch';
import type { MergedTypeConfig, SubschemaConfig } from '@graphql-tools/delegate';
import type { Executor } from '@graphql-tools/utils';
import { policiesFor } from '../auth/policy/model.js';
import { definitionsOf, type PolicyDocument } from '../auth/policy/requirements.js';
import { GatewayError } from '../errors/index.js';
import { settingsForSource, sourceEnvName } from '../config/sources.js';
import { batchedExecutor } from '../sources/loaders.js';
import type { SourceDefinition, SourceRuntime } from '../sources/types.js';
import { createLogger } from '../telemetry/logger.js';
import { fieldRateLimitsFromSchemas } from '../traffic/rate-limit/index.js';
import { costModelFromSources } from '../traffic/demand-control/index.js';
import { NO_UPSTREAM_HEADERS } from '../traffic/upstream/index.js';
import type { ComposeConfig, ComposeDeps, ComposedGateway } from './types.js';
import { ADAPTERS } from './adapters.js';
import { loadSourceDefinitions } from './load-schema.js';
import { withFieldErrorPaths } from './error-paths.js';
import { hiddenRootFields, lookupMergeConfig, withoutPlumbing } from './lookups.js';
import { composeSupergraph } from './supergraph.js';
import { composeSourceSupergraph } from './subgraphs.js';

export type { ComposeConfig, ComposeDeps, ComposedGateway } from './types.js';

/** Deps for a compose that serves no requests (`openclaw check`): silent, no headers added. */
const CHECK_DEPS: ComposeDeps = { logger: createLogger('silent'), upstreamHeaders: NO_UPSTREAM_HEADERS };

/**
 * Composes the unified graph from `config` (the supergraph, when one is configured). `deps`
 * are the upstream services every source is built with; the default suits a compose that
 * serves no requests.
 */
export async function composeGateway(config: ComposeConfig, deps: ComposeDeps = CHECK_DEPS): Promise<ComposedGateway> {
  if (config.supergraph !== undefined) return composeSupergraph(config.supergraph, config, deps);
  const definitions = await loadSourceDefinitions(config.schema, config.rootDir);
  checkConfiguredSources(definitions, config);
  const sources: SourceRuntime[] = [];
  try {
    for (const definition of definitions) {
      sources.push(await ADAPTERS[definition.kind](definition, settingsForSource(config, definition), deps));
    }
    const schema = stitch(sources);
    return {
      schema,
      publicSdl: printSchema(lexicographicSortSchema(schema)),
      sources,
      policies: policiesFor(schema, sources.map((source, index) => policyDocument(source, definitions[index]!))),
      fieldRateLimits: fieldRateLimitsFromSchemas(sources.map((source) => source.schema)),
      costs: costModelFromSources(sources, schema),
      supergraph: composeSourceSupergraph(sources),
      close: () => closeAll(sources),
    };
  } catch (error) {
    await closeAll(sources);
    throw error;
  }
}

function stitch(sources: readonly SourceRuntime[]): GraphQLSchema {
  const hidden = new Set<string>();
  const subschemas: SubschemaConfig[] = sources.map((source) => {
    const lookups = lookupMergeConfig(source.name, source.schema);
    const merge: Record<string, MergedTypeConfig> = { ...source.merge, ...lookups };
    for (const field of hiddenRootFields(source.schema)) hidden.add(field);
    return { name: source.name, schema: source.schema, executor: batchedExecutor(source.name, source.executor) as Executor, merge };
  });
  try {
    return withFieldErrorPaths(withoutPlumbing(stitchSchemas({ subschemas, mergeDirectives: false }), hidden));
  } catch (error) {
    throw new GatewayError('SCHEMA_INVALID', `The sources do not stitch into one graph: ${(error as Error).message}`);
  }
}

/**
 * Where a source's auth directives are read: a federation subgraph's own SDL (its `@link`s
 * name them), any other source's annotated schema (the schema file merged over its SDL).
 */
function policyDocument(source: SourceRuntime, definition: SourceDefinition): PolicyDocument {
  if (source.subgraphSdl !== undefined) return { label: `${definition.label} (the SDL of federation source "${source.name}")`, definitions: source.subgraphSdl.definitions };
  return { label: definition.label, definitions: definitionsOf(source.schema) };
}

function checkConfiguredSources(definitions: readonly SourceDefinition[], config: ComposeConfig): void {
  // Matched as settingsForSource matches: exactly, or by the OPENCLAW_SOURCE_<NAME> form, since
  // a source first named in the environment is stored lower-cased.
  const declared = new Set(definitions.map((definition) => sourceEnvName(definition.name)));
  for (const name of Object.keys(config.sources)) {
    if (!declared.has(sourceEnvName(name))) {
      throw new GatewayError('CONFIG_INVALID', `Invalid config: "sources.${name}" names no source declared under schema/; declared: ${definitions.map((definition) => definition.name).join(', ')}.`);
    }
  }
}

async function closeAll(sources: readonly SourceRuntime[]): Promise<void> {
  await Promise.allSettled(sources.map((source) => source.close()));
}
