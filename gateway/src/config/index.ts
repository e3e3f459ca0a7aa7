/**
 * Config: the step before everything else. `openclaw.config.ts` (written with `defineConfig`)
 * is loaded, validated strictly against one schema, layered with `OPENCLAW_*` / `PORT`
 * environment variables and command-line options, completed with the defaults from
 * `defaults.ts`, and handed to the rest of the gateway as one `ResolvedConfig`. Any bad value
 * is a `GatewayError('CONFIG_INVALID')` naming the key (or variable), the expected shape and
 * the value received. Documented in `docs/config.md`.
 */
export { defineConfig } from './define.js';
export { loadConfig, type LoadConfigOptions } from './load.js';
export { resolveConfig, type ConfigOverrides, type ResolveOptions } from './resolve.js';
export { CONFIG_DEFAULTS, DEFAULT_CONFIG_FILE } from './defaults.js';
export { ENGINES, LOG_FORMATS, LOG_LEVELS } from './schema.js';
export { settingsForSource, sourceEnvName } from './sources.js';
export { isHttpUrl, supergraphSourceSettings, supergraphSubgraphs, type SupergraphSubgraph } from './supergraph.js';
export { suggestClosest } from './suggest.js';
export type {
  AuthConfig,
  AdminConfig,
  ApiKeysConfig,
  DemandControlConfig,
  DemandControlMode,
  DocumentCacheConfig,
  LimitsConfig,
  PlanCacheConfig,
  ResolvedLimitsConfig,
  InternalTokenConfig,
  IntrospectionConfig,
  JwksCacheConfig,
  JwtAlgorithm,
  PropagationConfig,
  RefreshEndpointConfig,
  ResolvedAuthConfig,
  ResolvedPropagation,
  ResolvedTokenProvider,
  TokenClientConfig,
  TokenProviderConfig,
  LogFormat,
  EngineName,
  LogLevel,
  LoggingConfig,
  OpenClawConfig,
  ResolvedConfig,
  ResolvedApiKeysConfig,
  ResolvedSourceConfig,
  CorsConfig,
  ResolvedServerConfig,
  ResolvedStoreConfig,
  ServerConfig,
  SourceConfig,
  SourceSettings,
  StoreConfig,
} from './types.js';
