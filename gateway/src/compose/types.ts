/** The contracts of compose: what it reads from config, what it yields. */
import type { GraphQLSchema } from 'graphql';
import type { ResolvedConfig } from '../config/types.js';
import type { FieldPolicies } from '../auth/policy/requirements.js';
import type { FieldRateLimits } from '../traffic/rate-limit/index.js';
import type { CostModel } from '../traffic/demand-control/index.js';
import type { SourceDeps, SourceExecutor, SourceRuntime } from '../sources/types.js';

/** What compose reads of the resolved config. */
export type ComposeConfig = Pick<ResolvedConfig, 'schema' | 'supergraph' | 'rootDir' | 'sources'>;

/** The upstream services every source is built with (logger, per-request headers). */
export type ComposeDeps = SourceDeps;

/** The unified graph, ready to execute. */
export interface ComposedGateway {
  /** The stitched, executable schema (public: internal fields hidden). */
  schema: GraphQLSchema;
  /** The public graph as SDL, sorted (what `openclaw check` prints). */
  publicSdl: string;
  /** One runtime per source, in schema-file order. */
  sources: SourceRuntime[];
  /** What protects each field: the auth directives of the sources (or of the supergraph). */
  policies: FieldPolicies;
  /** The `@rateLimit`s of the graph, by field coordinate. */
  fieldRateLimits: FieldRateLimits;
  /** What each field costs: the `@cost` / `@listSize` directives of the sources (or of the supergraph). */
  costs: CostModel;
  /**
   * What the plan engine runs on: the supergraph SDL (the file in supergraph mode; the sources
   * composed as federation subgraphs in `schema/` mode) and one executor per subgraph, keyed by
   * the subgraph's name in the supergraph (`@join__graph(name:)`).
   */
  supergraph: { sdl: string; executors: ReadonlyMap<string, SourceExecutor> };
  /** Closes every source's connections. */
  close(): Promise<void>;
}
