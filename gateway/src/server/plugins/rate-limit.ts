/**
 * Pipeline step "rate limit": every request-level limit, enforced before execution with the
 * one limiter (traffic/rate-limit/), shared by every instance when Redis is configured.
 *
 * What a request is charged (docs/rate-limits.md, "What a request costs"):
 * - a key's `rateLimit`, and the `rateLimits.perSubject`, `perIp` and `global` policies count
 *   the root fields the operation selects (aliases and fragments included; at least 1), so 40
 *   aliased `placeOrder` are 40, not one request;
 * - a key's `costLimit` (its cost budget) spends the operation's estimated cost
 *   (`operation.estimatedCost`, from demand control) or, without one, its root fields.
 *
 * Policies are checked in the order key, cost, subject, IP, global; the first that refuses
 * ends the request (429 `RATE_LIMITED`, `Retry-After` when waiting helps) and the later ones
 * spend nothing. An admitted request carries `RateLimit-Policy` / `RateLimit` headers listing
 * every policy that applied. A request no policy applies to costs one map lookup.
 */
import type { OperationDefinitionNode } from 'graphql';
import type { Principal } from '../../auth/principal.js';
import type { ResolvedRateLimitsConfig } from '../../config/types.js';
import { GatewayError } from '../../errors/index.js';
import {
  chargeOf,
  mergeRateLimitHeaders,
  parseRatePolicy,
  rateLimitedError,
  rateLimitHeaders,
  rootFieldCount,
  type RateLimiter,
  type RatePolicy,
} from '../../traffic/rate-limit/index.js';
import type { GatewayPlugin } from '../plugin.js';

/** The gateway-wide request policies (`rateLimits.*` in config), parsed. */
export interface RequestRatePolicies {
  readonly perIp?: RatePolicy;
  readonly perSubject?: RatePolicy;
  readonly global?: RatePolicy;
}

/**
 * The config's `rateLimits` policies, read with the limiter's parser. Throws `CONFIG_INVALID`
 * naming the key when one is out of range (the config's validator checks only their shape).
 */
export function requestRatePolicies(config: Pick<ResolvedRateLimitsConfig, 'perIp' | 'perSubject' | 'global'>): RequestRatePolicies {
  const policies: { -readonly [K in keyof RequestRatePolicies]: RatePolicy } = {};
  for (const name of ['perIp', 'perSubject', 'global'] as const) {
    const text = config[name];
    if (text === undefined) continue;
    try {
      policies[name] = parseRatePolicy(text);
    } catch (error) {
      throw new GatewayError('CONFIG_INVALID', `Invalid config: "rateLimits.${name}" is not a rate the limiter can enforce: ${(error as Error).message}`);
    }
  }
  return policies;
}

/** One policy a request is checked against. */
interface Check {
  /** Its name in headers and errors. */
  readonly name: string;
  readonly key: string;
  readonly policy: RatePolicy;
  readonly charge: number;
}

/** The key a caller is counted under per subject: its issuer (when a token has one) and subject. */
export function subjectKey(principal: Principal): string | undefined {
  if (principal.kind === 'anonymous' || principal.subject === '') return undefined;
  const issuer = typeof principal.claims.iss === 'string' ? principal.claims.iss : principal.kind;
  return `${issuer}\u0000${principal.subject}`;
}

/** The rate-limit plugin over `limiter`, with the config's request policies. */
export function rateLimitPlugin(limiter: RateLimiter, policies: RequestRatePolicies = {}): GatewayPlugin {
  const configured = policies.perIp !== undefined || policies.perSubject !== undefined || policies.global !== undefined;
  return {
    name: 'rate-limit',
    onDocument(document) {
      const rootFields = new Map<OperationDefinitionNode, number>();
      return async (operation) => {
        const { principal } = operation.context;
        const key = principal.kind === 'apiKey' ? principal : principal.apiKey;
        const keyId = key?.keyId;
        const keyed = keyId !== undefined && (key?.limits !== undefined || key?.costLimits !== undefined);
        if (!configured && !keyed) return;
        let units = rootFields.get(operation.definition);
        if (units === undefined) rootFields.set(operation.definition, (units = rootFieldCount(document, operation.definition)));
        const checks: Check[] = [];
        if (keyId !== undefined && key?.limits !== undefined) checks.push({ name: 'key', key: `key:${keyId}`, policy: key.limits, charge: units });
        if (keyId !== undefined && key?.costLimits !== undefined) {
          const cost = operation.estimatedCost === undefined ? units : chargeOf(operation.estimatedCost);
          checks.push({ name: 'cost', key: `cost:${keyId}`, policy: key.costLimits, charge: cost });
        }
        const subject = policies.perSubject === undefined ? undefined : subjectKey(principal);
        if (subject !== undefined && policies.perSubject !== undefined) checks.push({ name: 'subject', key: `subject:${subject}`, policy: policies.perSubject, charge: units });
        if (policies.perIp !== undefined) checks.push({ name: 'ip', key: `ip:${operation.exchange.clientIp}`, policy: policies.perIp, charge: units });
        if (policies.global !== undefined) checks.push({ name: 'global', key: 'global', policy: policies.global, charge: units });
        const parts: Array<Record<string, string>> = [];
        for (const check of checks) {
          const decision = await limiter.consume(check.key, check.policy, check.charge);
          parts.push(rateLimitHeaders(check.name, decision));
          if (!decision.allowed) {
            const refusal = rateLimitedError(check.name, decision);
            throw new GatewayError(refusal.code, refusal.message, refusal.details, { headers: mergeRateLimitHeaders(parts) });
          }
        }
        for (const [name, value] of Object.entries(mergeRateLimitHeaders(parts))) operation.exchange.res.setHeader(name, value);
      };
    },
  };
}
