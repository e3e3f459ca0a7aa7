/**
 * The `auth` section from what the user wrote to what the gateway runs with: the provider the
 * `OPENCLAW_JWT_*` variables describe is laid over `auth.providers.default` and checked like a
 * provider from the file, then every default is applied.
 */
import { CONFIG_DEFAULTS } from './defaults.js';
import { describeIssues, type ConfigProblem } from './issues.js';
import { AUTH_SCHEMA } from './schema.js';
import type {
  AuthConfig,
  JwtAlgorithm,
  PropagationConfig,
  ResolvedAuthConfig,
  ResolvedPropagation,
  ResolvedTokenProvider,
  TokenProviderConfig,
} from './types.js';

/** The provider name the `OPENCLAW_JWT_*` variables set. */
export const ENV_PROVIDER_NAME = 'default';

const D = CONFIG_DEFAULTS.auth;

/**
 * `auth` with the environment's provider fields laid over `auth.providers.default` (created
 * when the file has none). The result is validated as a whole when the environment set
 * something, so a provider made from variables alone is held to the same rules as one written
 * in the file (an issuer and an audience, algorithms that fit its keys); its problems are
 * reported as environment problems.
 */
export function withEnvProvider(
  auth: AuthConfig | undefined,
  fromEnv: Partial<TokenProviderConfig> | undefined,
  problems: ConfigProblem[],
): AuthConfig | undefined {
  if (fromEnv === undefined || Object.keys(fromEnv).length === 0) return auth;
  const merged = { ...auth?.providers?.[ENV_PROVIDER_NAME], ...fromEnv };
  const missing: string[] = [];
  if (merged.issuer === undefined) {
    missing.push('OPENCLAW_JWT_ISSUER must be set (or "auth.providers.default.issuer" in the config) when another OPENCLAW_JWT_* variable is.');
  }
  if (merged.audience === undefined) {
    missing.push('OPENCLAW_JWT_AUDIENCE must be set (or "auth.providers.default.audience" in the config) when another OPENCLAW_JWT_* variable is.');
  }
  if (missing.length > 0) {
    problems.push(...missing.map((text) => ({ scope: 'environment' as const, text })));
    return auth;
  }
  const parsed = AUTH_SCHEMA.safeParse({ ...auth, providers: { ...auth?.providers, [ENV_PROVIDER_NAME]: merged } }, { reportInput: true });
  if (parsed.success) return parsed.data;
  const texts = describeIssues(parsed.error.issues, ['auth']);
  problems.push(...texts.map((text) => ({ scope: 'environment' as const, text })));
  return auth;
}

function resolveProvider(name: string, provider: TokenProviderConfig): ResolvedTokenProvider {
  const defaults = D.provider;
  const algorithms: JwtAlgorithm[] = provider.algorithms ?? [...(provider.secret === undefined ? defaults.algorithms : defaults.hmacAlgorithms)];
  return {
    name,
    issuer: provider.issuer,
    audience: typeof provider.audience === 'string' ? [provider.audience] : [...provider.audience],
    ...(provider.jwksUrl === undefined ? {} : { jwksUrl: provider.jwksUrl }),
    ...(provider.keys === undefined ? {} : { keys: [...provider.keys] }),
    ...(provider.secret === undefined ? {} : { secret: provider.secret }),
    algorithms,
    ...(provider.typ === undefined ? {} : { typ: provider.typ }),
    clockToleranceSeconds: provider.clockToleranceSeconds ?? defaults.clockToleranceSeconds,
    ...(provider.scopeClaim === undefined ? {} : { scopeClaim: provider.scopeClaim }),
    timeoutMs: provider.timeoutMs ?? defaults.timeoutMs,
    jwksCache: {
      maxAgeSeconds: provider.jwksCache?.maxAgeSeconds ?? defaults.jwksCache.maxAgeSeconds,
      cooldownSeconds: provider.jwksCache?.cooldownSeconds ?? defaults.jwksCache.cooldownSeconds,
      staleLimitSeconds: provider.jwksCache?.staleLimitSeconds ?? defaults.jwksCache.staleLimitSeconds,
    },
    ...(provider.client === undefined
      ? {}
      : { client: { id: provider.client.id, secret: provider.client.secret, authMethod: provider.client.authMethod ?? defaults.clientAuthMethod } }),
    ...(provider.introspection === undefined
      ? {}
      : {
          introspection: {
            ...(provider.introspection.url === undefined ? {} : { url: provider.introspection.url }),
            cacheTtlSeconds: provider.introspection.cacheTtlSeconds ?? defaults.introspection.cacheTtlSeconds,
            inactiveCacheTtlSeconds: provider.introspection.inactiveCacheTtlSeconds ?? defaults.introspection.inactiveCacheTtlSeconds,
            clientCallsPerMinute: provider.introspection.clientCallsPerMinute ?? defaults.introspection.clientCallsPerMinute,
          },
        }),
  };
}

function resolvePropagation(policy: PropagationConfig): ResolvedPropagation {
  switch (policy.mode) {
    case 'claims':
      return { mode: 'claims', headers: { ...(policy.headers ?? D.claimHeaders) } };
    case 'jwt':
      return { mode: 'jwt', claims: [...(policy.claims ?? D.internalTokenClaims)], ...(policy.audience === undefined ? {} : { audience: policy.audience }) };
    default:
      return { mode: policy.mode };
  }
}

/** The `auth` section with every default applied (a validated `auth`, or none). */
export function resolveAuth(auth: AuthConfig | undefined): ResolvedAuthConfig {
  const providers: Record<string, ResolvedTokenProvider> = {};
  for (const [name, provider] of Object.entries(auth?.providers ?? {})) providers[name] = resolveProvider(name, provider);
  const propagation: Record<string, ResolvedPropagation> = {};
  for (const [source, policy] of Object.entries(auth?.propagation ?? {})) propagation[source] = resolvePropagation(policy);
  const internal = auth?.internalToken;
  const names = Object.keys(providers);
  const refreshProvider = auth?.refresh?.provider ?? (names.length === 1 ? names[0] : undefined);
  return {
    providers,
    maxTokenBytes: auth?.maxTokenBytes ?? D.maxTokenBytes,
    verifiedTokenCacheSize: auth?.verifiedTokenCacheSize ?? D.verifiedTokenCacheSize,
    propagation,
    internalToken: {
      issuer: internal?.issuer ?? D.internalToken.issuer,
      algorithm: internal?.algorithm ?? D.internalToken.algorithm,
      ...(internal?.privateKey === undefined ? {} : { privateKey: internal.privateKey }),
      ttlSeconds: internal?.ttlSeconds ?? D.internalToken.ttlSeconds,
    },
    ...(auth?.refresh === undefined || refreshProvider === undefined
      ? {}
      : {
          refresh: {
            provider: refreshProvider,
            path: auth.refresh.path ?? D.refreshPath,
            requestsPerMinute: auth.refresh.requestsPerMinute ?? D.refreshRequestsPerMinute,
            maxBodyBytes: auth.refresh.maxBodyBytes ?? D.refreshMaxBodyBytes,
          },
        }),
  };
}
