/** The contracts of compose: what it reads from config, what it yields. */
import type { GraphQLSchema } from 'graphql';
import type { SourceRuntime } from '../sources/types.js';

/** What compose needs from the resolved config (`ResolvedConfig` satisfies it). */
export interface ComposeConfig {
  /** Absolute paths of schema folders or files. */
  schema: readonly string[];
  /** Absolute path of a federation supergraph; when set, `schema` is ignored. */
  supergraph?: string | undefined;
  /** Folder that relative names in errors are shown against. */
  rootDir: string;
  /** Per-source settings from config and env. */
  sources: Readonly<Record<string, { url?: string | undefined; timeoutMs: number; headers: Record<string, string> }>>;
}

/** The unified graph, ready to execute. */
export interface ComposedGateway {
  /** The stitched, executable schema (public: internal fields hidden). */
  schema: GraphQLSchema;
  /** The public graph as SDL, sorted (what `openclaw check` prints). */
  publicSdl: string;
  /** One runtime per source, in schema-file order. */
  sources: SourceRuntime[];
  /** Closes every source's connections. */
  close(): Promise<void>;
}
