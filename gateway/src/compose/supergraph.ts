/**
 * Supergraph mode (`openclaw start --supergraph FILE`): an Apollo Federation supergraph is
 * served as it is, like `hive-gateway supergraph FILE`. The supergraph names each subgraph's
 * URL; config overrides it only where it names the subgraph on purpose (config/supergraph.ts
 * states the rule). Calls go through our upstream client, so
 * keep-alive, timeouts and error mapping are the same as for declared sources.
 */
import { readFile } from 'node:fs/promises';
import { Kind, lexicographicSortSchema, parse, printSchema } from 'graphql';
import { policiesFromSupergraph } from '../auth/policy/requirements.js';
import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';
import { GatewayError } from '../errors/index.js';
import { supergraphSourceSettings, supergraphSubgraphs } from '../config/supergraph.js';
import type { Executor } from '@graphql-tools/utils';
import { UpstreamClient } from '../traffic/upstream/index.js';
import { createHttpExecutor } from '../sources/graphql/http-executor.js';
import { probeGraphQLSource } from '../sources/graphql/sdl.js';
import { batchedExecutor } from '../sources/loaders.js';
import type { SourceRuntime } from '../sources/types.js';
import type { SourceExecutor } from '../sources/types.js';
import type { ComposeConfig, ComposeDeps, ComposedGateway } from './types.js';

/** Composes the unified graph from a supergraph file; each subgraph becomes one source. */
export async function composeSupergraph(file: string, config: ComposeConfig, deps: ComposeDeps): Promise<ComposedGateway> {
  let supergraphSdl: string;
  try {
    supergraphSdl = await readFile(file, 'utf8');
  } catch (error) {
    throw new GatewayError('CONFIG_INVALID', `Cannot read the supergraph file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  const settingsByGraph = supergraphSourceSettings(config, supergraphSubgraphs(supergraphSdl, file), file);
  const sources: SourceRuntime[] = [];
  const executors = new Map<string, SourceExecutor>();
  try {
    const graphNames = joinGraphNames(supergraphSdl);
    const schema = getStitchedSchemaFromSupergraphSdl({
      supergraphSdl,
      // Operations to one subgraph are merged per tick by the request's loaders instead.
      batch: false,
      onSubschemaConfig(subschema) {
        const name = subschema.name.toLowerCase();
        const settings = settingsByGraph.get(subschema.name);
        if (settings === undefined) throw new GatewayError('SCHEMA_INVALID', `The supergraph ${file} has no join__Graph value ${subschema.name}.`);
        const client = new UpstreamClient({ source: name, ...settings, upstreamHeaders: deps.upstreamHeaders });
        const executor = createHttpExecutor(client, deps.logger);
        subschema.executor = batchedExecutor(name, executor) as Executor;
        executors.set(graphNames.get(subschema.name) ?? name, executor);
        sources.push({
          name,
          kind: 'federation',
          url: settings.url,
          schema: subschema.schema,
          executor,
          check: () => probeGraphQLSource(client),
          close: () => client.close(),
        });
      },
    });
    return {
      schema,
      publicSdl: printSchema(lexicographicSortSchema(schema)),
      sources,
      policies: policiesFromSupergraph(parse(supergraphSdl)),
      supergraph: { sdl: supergraphSdl, executors },
      close: async () => {
        await Promise.allSettled(sources.map((source) => source.close()));
      },
    };
  } catch (error) {
    await Promise.allSettled(sources.map((source) => source.close()));
    if (error instanceof GatewayError) throw error;
    throw new GatewayError('SCHEMA_INVALID', `The supergraph ${file} is not valid: ${(error as Error).message}`);
  }
}

/**
 * The subgraph names of the supergraph (`@join__graph(name:)`, what query plans call them) by
 * their `join__Graph` enum value (what the stitcher calls them).
 */
function joinGraphNames(supergraphSdl: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const definition of parse(supergraphSdl, { noLocation: true }).definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const graph = value.directives?.find((directive) => directive.name.value === 'join__graph');
      const name = graph?.arguments?.find((argument) => argument.name.value === 'name')?.value;
      if (name?.kind === Kind.STRING) names.set(value.name.value, name.value);
    }
  }
  return names;
}
