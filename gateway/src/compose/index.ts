/**
 * Compose: the step that runs once at start-up (and on reload). It reads the schema files,
 * builds one runtime per source, and stitches their subschemas into the unified graph. Nothing
 * on the request path derives any of this again.
 */
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { stitchSchemas } from '@graphql-tools/stitch';
import type { MergedTypeConfig, SubschemaConfig } from '@graphql-tools/delegate';
import { GatewayError } from '../errors/index.js';
import type { SourceDefinition, SourceRuntime, SourceSettings } from '../sources/types.js';
import type { ComposeConfig, ComposedGateway } from './types.js';
import { ADAPTERS } from './adapters.js';
import { loadSourceDefinitions } from './load-schema.js';
import { hiddenRootFields, lookupMergeConfig, withoutPlumbing } from './lookups.js';
import { composeSupergraph } from './supergraph.js';

export type { ComposeConfig, ComposedGateway } from './types.js';

/** Default timeout of a source call when config gives none. */
export const DEFAULT_SOURCE_TIMEOUT_MS = 10_000;

/** Composes the unified graph from `config` (the supergraph, when one is configured). */
export async function composeGateway(config: ComposeConfig): Promise<ComposedGateway> {
  if (config.supergraph !== undefined) return composeSupergraph(config.supergraph, config.sources);
  const definitions = await loadSourceDefinitions(config.schema, config.rootDir);
  checkConfiguredSources(definitions, config);
  const sources: SourceRuntime[] = [];
  try {
    for (const definition of definitions) {
      sources.push(await ADAPTERS[definition.kind](definition, settingsFor(definition, config)));
    }
    const schema = stitch(sources);
    return { schema, publicSdl: printSchema(lexicographicSortSchema(schema)), sources, close: () => closeAll(sources) };
  } catch (error) {
    await closeAll(sources);
    throw error;
  }
}

function stitch(sources: readonly SourceRuntime[]): GraphQLSchema {
  const hidden = new Set<string>();
  const subschemas: SubschemaConfig[] = sources.map((source) => {
    const lookups = lookupMergeConfig(source.name, source.subschema.schema);
    const merge: Record<string, MergedTypeConfig> = { ...source.subschema.merge, ...lookups };
    for (const field of hiddenRootFields(source.subschema.schema)) hidden.add(field);
    return { ...source.subschema, merge };
  });
  try {
    return withoutPlumbing(stitchSchemas({ subschemas, mergeDirectives: false }), hidden);
  } catch (error) {
    throw new GatewayError('SCHEMA_INVALID', `The sources do not stitch into one graph: ${(error as Error).message}`);
  }
}

function settingsFor(definition: SourceDefinition, config: ComposeConfig): SourceSettings {
  const configured = config.sources[definition.name];
  const url = configured?.url ?? definition.url;
  if (url === undefined) {
    const env = `OPENCLAW_SOURCE_${definition.name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_URL`;
    throw new GatewayError('CONFIG_INVALID', `Source "${definition.name}" has no URL: set sources.${definition.name}.url in openclaw.config.ts, the ${env} variable, or @source(url:) in its schema file.`);
  }
  return { url, timeoutMs: configured?.timeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS, headers: configured?.headers ?? {} };
}

function checkConfiguredSources(definitions: readonly SourceDefinition[], config: ComposeConfig): void {
  const declared = new Set(definitions.map((definition) => definition.name));
  for (const name of Object.keys(config.sources)) {
    if (!declared.has(name)) {
      throw new GatewayError('CONFIG_INVALID', `Invalid config: "sources.${name}" names no source declared under schema/; declared: ${[...declared].join(', ')}.`);
    }
  }
}

async function closeAll(sources: readonly SourceRuntime[]): Promise<void> {
  await Promise.allSettled(sources.map((source) => source.close()));
}
