/**
 * The one backend contract. Every source, whatever its protocol, is declared by `@source` in a
 * file under `schema/` and becomes a `SourceRuntime` whose `executor` takes an operation and
 * answers a result: a GraphQL or Federation source sends it over HTTP; a REST or gRPC source
 * runs it in-process over its annotated schema, whose resolvers make the calls. Stitching and
 * the plan engine call every source the same way; the plan engine's entity fetches
 * (`_entities`) are answered by a source's `@lookup` fields (entities.ts, graphql/entities.ts). Protocol differences live in
 * `sources/<protocol>/` and nowhere else.
 */
import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import type { MergedTypeConfig } from '@graphql-tools/delegate';
import type { ExecutionRequest } from '@graphql-tools/utils';
import type { SourceSettings } from '../config/types.js';
import type { GatewayContext } from '../context.js';
import type { Logger } from '../telemetry/logger.js';
import type { UpstreamHeaders } from '../traffic/upstream/index.js';
import type { RequestLoaders } from './loaders.js';

export type { SourceSettings };

/** The protocols a source can speak. `federation` is a GraphQL subgraph merged by its `@key`s. */
export type SourceKind = 'graphql' | 'federation' | 'rest' | 'grpc';

/**
 * The context a source sees: the request's context plus its batch loaders, made once per
 * operation by the engine (`withLoaders`), never shared across requests.
 */
export interface SourceContext extends GatewayContext {
  readonly loaders: RequestLoaders;
}

/** One operation sent to a source (the shape graphql-tools' executors take). */
export type SourceRequest = ExecutionRequest<Record<string, unknown>, SourceContext>;

/**
 * The one way the gateway calls a source: an operation in, a result out. Failures come back
 * as errors in the result (with `extensions.code` and `extensions.source`), never as a throw.
 */
export type SourceExecutor = (request: SourceRequest) => Promise<ExecutionResult>;

/** What `@source(...)` in a schema file declares: what the source is (not where it runs). */
export interface SourceDefinition {
  /** Unique name; errors from this source carry it in `extensions.source`. */
  name: string;
  kind: SourceKind;
  /** Absolute path of the schema file that declared the source. */
  file: string;
  /** How errors name that file: relative to the config's folder (`schema/products.graphql`). */
  label: string;
  /**
   * The SDL of that file with the `@source` schema extension removed: every type and field in
   * it belongs to this source. For `graphql`/`federation` sources it is merged over the
   * subgraph's own SDL (to add `@lookup`, `@internal`); for `rest`/`grpc` it is the whole
   * subschema, fields annotated with `@rest` / `@grpc`.
   */
  typeDefs: DocumentNode;
  /** Default URL (config `sources.<name>.url` overrides it). */
  url?: string;
  /** Absolute path of the subgraph's SDL (`graphql`/`federation`; else introspected at start). */
  sdl?: string;
  /** Absolute path of the OpenAPI 3 document (`rest`). */
  openapi?: string;
  /** Absolute path of the `.proto` file (`grpc`). */
  proto?: string;
  /** Fully qualified gRPC service name, e.g. `inventory.Inventory` (`grpc`). */
  service?: string;
}

/** A source ready to serve. */
export interface SourceRuntime {
  readonly name: string;
  readonly kind: SourceKind;
  /** The URL it is reached at (from config, env or `@source(url:)`). */
  readonly url: string;
  /** Runs an operation against the source (see `SourceExecutor`). */
  readonly executor: SourceExecutor;
  /**
   * The executor the plan engine calls, when it must differ from `executor`: a plain GraphQL
   * source answers the plan's `_entities` through its `@lookup` fields. The stitcher never
   * sends `_entities`, so it keeps `executor` and pays nothing for the rewrite.
   */
  readonly planExecutor?: SourceExecutor;
  /** The source's schema as the gateway sees it: what its executor accepts, annotations kept. */
  readonly schema: GraphQLSchema;
  /** How the stitcher completes this source's entities from references (federation `@key`s). */
  readonly merge?: Record<string, MergedTypeConfig>;
  /**
   * A federation source's own subgraph SDL, which goes into the supergraph as it is. Other
   * sources have none: compose derives theirs from `schema` (`@lookup` -> `@key`).
   */
  readonly subgraphSdl?: DocumentNode;
  /** Resolves when the source answers; rejects with an Error that says why it does not. */
  check(): Promise<void>;
  /** Closes connections (keep-alive pools, gRPC channels). */
  close(): Promise<void>;
}

/** What every adapter is handed besides its declaration and settings: the upstream services. */
export interface SourceDeps {
  /** Where upstream failures are logged in full (clients see only the source and status). */
  readonly logger: Logger;
  /** Adds the headers every upstream call carries (request id, traceparent, identity). */
  readonly upstreamHeaders: UpstreamHeaders;
}

/** Builds a source's runtime from its declaration and settings (one per protocol). */
export type SourceAdapter = (definition: SourceDefinition, settings: SourceSettings, deps: SourceDeps) => Promise<SourceRuntime>;
