/**
 * The one backend contract. Every source, whatever its protocol, is declared by `@source` in a
 * file under `schema/` and becomes a `SourceRuntime`: a subschema the stitcher can delegate to
 * (with its executor), a readiness probe and a close. Protocol differences live in
 * `sources/<protocol>/` and nowhere else.
 */
import type { DocumentNode } from 'graphql';
import type { SubschemaConfig } from '@graphql-tools/delegate';

/** The protocols a source can speak. `federation` is a GraphQL subgraph merged by its `@key`s. */
export type SourceKind = 'graphql' | 'federation' | 'rest' | 'grpc';

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

/** Where and how to reach a source: deployment settings from config and `OPENCLAW_*` env. */
export interface SourceSettings {
  /** Base URL: `http(s)://host:port[/path]` for HTTP sources, `host:port` or `grpc://host:port` for gRPC. */
  url: string;
  /** Per-call timeout (gRPC deadline) in milliseconds. */
  timeoutMs: number;
  /** Headers sent with every call to this source. */
  headers: Record<string, string>;
}

/** A source ready to serve: its subschema for the stitcher, a readiness probe and a close. */
export interface SourceRuntime {
  readonly name: string;
  readonly kind: SourceKind;
  /** The URL it is reached at (from config, env or `@source(url:)`). */
  readonly url: string;
  /** Subschema (schema, executor, merge config) handed to `stitchSchemas`. */
  readonly subschema: SubschemaConfig;
  /** Resolves when the source answers; rejects with an Error that says why it does not. */
  check(): Promise<void>;
  /** Closes connections (keep-alive pools, gRPC channels). */
  close(): Promise<void>;
}

/** Builds a source's runtime from its declaration and settings (one per protocol). */
export type SourceAdapter = (definition: SourceDefinition, settings: SourceSettings) => Promise<SourceRuntime>;
