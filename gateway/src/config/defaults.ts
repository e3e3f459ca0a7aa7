/**
 * Every config default, in one place. `resolve.ts` applies them; `docs/config.md` lists them.
 */

/** The value each optional config key takes when neither the file nor the environment sets it. */
export const CONFIG_DEFAULTS = {
  schema: 'schema',
  server: {
    port: 4000,
    host: '127.0.0.1',
    graphqlPath: '/graphql',
    bodyLimitBytes: 1_048_576,
    graphiql: true,
    introspection: true,
  },
  /** The reference engine until the plan engine is made the default (issue 16). */
  engine: 'reference',
  /** Applies to every entry of `sources` (and to sources the config does not name). */
  source: {
    timeoutMs: 10_000,
  },
  documentCache: {
    size: 1000,
  },
  logging: {
    level: 'info',
  },
} as const;

/** The config file looked for in the working directory when `--config` is not given. */
export const DEFAULT_CONFIG_FILE = 'openclaw.config.ts';
