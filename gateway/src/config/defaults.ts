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
  store: {
    /** Beside the config file (its folder, else the working directory). */
    dataDir: '.openclaw',
    redisPrefix: 'openclaw:',
  },
  apiKeys: {
    /** 24 hours: time for every client of a rotated key to deploy the new one. */
    rotationGraceMs: 86_400_000,
    cacheSize: 10_000,
    changePollMs: 500,
  },
} as const;

/** The config file looked for in the working directory when `--config` is not given. */
export const DEFAULT_CONFIG_FILE = 'openclaw.config.ts';
