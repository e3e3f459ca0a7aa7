/**
 * What start-up produced and the plugins read: the gateway's phase (starting, ready,
 * draining), the long-lived services it needs (stores), its sources, and the graph's auth
 * policies. Plugins are made before the graph is composed (their upstream hooks are part of
 * every source), so they read what compose yields from here.
 */
import type { FieldPolicies } from '../auth/policy/requirements.js';
import type { FieldRateLimits } from '../traffic/rate-limit/index.js';
import type { CostModel } from '../traffic/demand-control/index.js';

/** Something whose reachability can be probed: a store, a source. */
export interface Probe {
  readonly name: string;
  /** Resolves when reachable; rejects with an Error saying why not (logged, never shown). */
  check(): Promise<void>;
}

/** Where a gateway is in its life. */
export type GatewayPhase = 'starting' | 'ready' | 'draining';

/** The state the health routes read; start-up and shutdown change it. */
export interface GatewayState {
  phase: GatewayPhase;
  /** Services the gateway cannot serve without (a store): readiness fails when one fails. */
  services: readonly Probe[];
  /** The sources: reported as detail; one source down does not make the gateway unready. */
  sources: readonly Probe[];
  /** What protects each field (the auth directives), from compose. */
  policies: FieldPolicies;
  /** The graph's `@rateLimit`s by field coordinate, from compose. */
  fieldRateLimits: FieldRateLimits;
  /** What each field costs (the cost directives), from compose. */
  costs: CostModel;
}
