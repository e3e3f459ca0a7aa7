/**
 * openclaw-gateway: the public API. `openclaw.config.ts` imports `defineConfig` from here;
 * programs that embed the gateway use `loadConfig` + `startGateway`.
 */
export { defineConfig, loadConfig, resolveConfig, type OpenClawConfig, type ResolvedConfig } from './config/index.js';
export { startGateway, type RunningGateway, type StartOptions } from './server/start.js';
export type {
  AfterExecute,
  GatewayPlugin,
  GatewayResponse,
  GraphQLParams,
  GraphQLResult,
  HttpExchange,
  Operation,
  OperationHook,
  Route,
} from './server/plugin.js';
export { composeGateway, type ComposedGateway, type ComposeConfig, type ComposeDeps } from './compose/index.js';
export { ANONYMOUS, type Principal, type PrincipalKind, type RateLimitPolicy } from './auth/principal.js';
export { ERROR_CODES, GatewayError, type ErrorCode } from './errors/index.js';
export type { GatewayContext } from './context.js';
export type { ExecutionEngine } from './execute/engine.js';
export type { SourceContext, SourceDefinition, SourceExecutor, SourceKind, SourceRequest, SourceRuntime, SourceSettings } from './sources/types.js';
