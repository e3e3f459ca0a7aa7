/**
 * Supergraph mode (`openclaw start --supergraph FILE`): an Apollo Federation supergraph is
 * served as it is, like `hive-gateway supergraph FILE`. The supergraph names each subgraph's
 * URL; config overrides it only where it names the subgraph on purpose (config/supergraph.ts
 * states the rule). Calls go through our upstream client, so
 * keep-alive, timeouts and error mapping are the same as for declared sources.
 */
import { readFile } from 'node:fs/promises';
import { lexicographicSortSchema, parse, printSchema } from 'graphql';
import { policiesFor } from '../auth/policy/model.js';
import { checkAuthDirectives } from '../auth/policy/requirements.js';
import { getStitchedSchemaFromSupergraphSdl } from '@graphql-tools/federation';
import { GatewayError } from '../errors/index.js';
import { supergraphSourceSettings, supergraphSubgraphs } from '../config/supergraph.js';
import type { Executor } from '@graphql-tools/utils';
import { fieldRateLimitsFromDocument } from '../traffic/rate-limit/index.js';
import { costModelFromSupergraph } from '../traffic/demand-control/index.js';
import { UpstreamClient } from '../traffic/upstream/index.js';
import { createHttpExecutor } from '../sources/graphql/http-executor.js';
import { probeGraphQLSource } from '../sources/graphql/sdl.js';
import { batchedExecutor } from '../sources/loaders.js';
import type { SourceExecutor, SourceRuntime } from '../sources/types.js';
import type { ComposeConfig, ComposeDeps, ComposedGateway } from './types.js';

/** Composes the unified graph from a supergraph file; each subgraph becomes one source. */
export async function composeSupergraph(file: string, config: ComposeConfig, deps: ComposeDeps): Promise<ComposedGateway> {
  let supergraphSdl: string;
  try {
    supergraphSdl = await readFile(file, 'utf8');
  } catch (error) {
    throw new GatewayError('CONFIG_INVALID', `Cannot read the supergraph file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  const subgraphs = supergraphSubgraphs(supergraphSdl, file);
  // Before anything connects: an unenforced security feature or a bad auth argument stops here.
  const definitions = parse(supergraphSdl).definitions;
  checkAuthDirectives({ label: file, definitions });
  const settingsByGraph = supergraphSourceSettings(config, subgraphs, file);
  // What query plans call each subgraph (`@join__graph(name:)`), by its join__Graph value (what the stitcher calls it).
  const planNames = new Map(subgraphs.map((subgraph) => [subgraph.graph, subgraph.name]));
  const sources: SourceRuntime[] = [];
  const executors = new Map<string, SourceExecutor>();
  try {
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
        executors.set(planNames.get(subschema.name) ?? name, executor);
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
      policies: policiesFor(schema, [{ label: file, definitions }]),
      fieldRateLimits: fieldRateLimitsFromDocument(parse(supergraphSdl)),
      costs: costModelFromSupergraph(parse(supergraphSdl), schema),
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

