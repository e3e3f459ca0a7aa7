/**
 * What the health routes report: the gateway's phase (starting, ready, draining), the
 * long-lived services it needs (stores), and its sources. Start-up and shutdown move the phase;
 * the health plugin reads it.
 */

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
}
