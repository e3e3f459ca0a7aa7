/**
 * Supergraph mode (`openclaw start --supergraph FILE`): an Apollo Federation supergraph is
 * served as it is, like `hive-gateway supergraph FILE`. The supergraph names each subgraph's
 * URL; config overrides it only where it names the subgraph on purpose (config/supergraph.ts
 * states the rule). Calls go through our upstream client, so
 * keep-alive, timeouts and error mapping are the same as for declared sources.
 */
import { readFile } from 'node:fs/promises';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';
import { GatewayError } from '../errors/index.js';
import { supergraphSourceSettings, supergraphSubgraphs } from '../config/supergraph.js';
import { UpstreamClient } from '../traffic/upstream.js';
import { createHttpExecutor } from '../sources/graphql/http-executor.js';
import { probeGraphQLSource } from '../sources/graphql/sdl.js';
import type { SourceRuntime } from '../sources/types.js';
import type { ComposeConfig, ComposedGateway } from './types.js';

/** Composes the unified graph from a supergraph file. */
export async function composeSupergraph(file: string, config: ComposeConfig): Promise<ComposedGateway> {
  let supergraphSdl: string;
  try {
    supergraphSdl = await readFile(file, 'utf8');
  } catch (error) {
    throw new GatewayError('CONFIG_INVALID', `Cannot read the supergraph file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  const settingsByGraph = supergraphSourceSettings(config, supergraphSubgraphs(supergraphSdl, file), file);
  const sources: SourceRuntime[] = [];
  try {
    const schema = getStitchedSchemaFromSupergraphSdl({
      supergraphSdl,
      batch: true,
      onSubschemaConfig(subschema) {
        const name = subschema.name.toLowerCase();
        const settings = settingsByGraph.get(subschema.name);
        if (settings === undefined) throw new GatewayError('SCHEMA_INVALID', `The supergraph ${file} has no join__Graph value ${subschema.name}.`);
        const client = new UpstreamClient({ source: name, ...settings });
        subschema.executor = createHttpExecutor(client);
        sources.push({
          name,
          kind: 'federation',
          url: settings.url,
          subschema,
          check: () => probeGraphQLSource(client),
          close: () => client.close(),
        });
      },
    });
    return {
      schema,
      publicSdl: printSchema(lexicographicSortSchema(schema)),
      sources,
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
