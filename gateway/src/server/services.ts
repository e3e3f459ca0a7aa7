/**
 * Long-lived services, in one place: created once at start-up from config, handed to the
 * plugins that need them, probed by readiness, and closed on shutdown. Stores, the rate
 * limiter, caches and telemetry are added here as they arrive.
 */
import type { ResolvedConfig } from '../config/types.js';
import type { Logger } from '../telemetry/logger.js';
import type { Probe } from './state.js';

/** The services of one gateway. */
export interface GatewayServices {
  readonly logger: Logger;
  /** Probes of what readiness depends on (stores); a failing one makes `/readyz` 503. */
  readonly probes: readonly Probe[];
  /** Closes every service; called once, after the HTTP server has drained. */
  close(): Promise<void>;
}

/**
 * Creates the services `config` asks for. If one fails to start, those already started are
 * closed before the error is rethrown, so a failed start leaves no connection open.
 */
export async function createServices(_config: ResolvedConfig, logger: Logger): Promise<GatewayServices> {
  const closers: Array<() => Promise<void>> = [];
  return {
    logger,
    probes: [],
    async close() {
      await Promise.allSettled(closers.reverse().map((close) => close()));
    },
  };
}
