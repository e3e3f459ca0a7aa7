/**
 * `GET|HEAD /healthz` (liveness: the process serves) and `GET|HEAD /readyz` (readiness: send
 * traffic here). Readiness is the gateway's own: the graph is composed, the gateway is not
 * draining, and the services it needs (stores) answer. Sources are listed as detail and never
 * fail readiness, since every replica sees the same backend outage and pulling them all out of
 * service would turn a partial outage into a full one. Probe errors go to the log only: the
 * routes are unauthenticated.
 *
 * The routes are unauthenticated, so a hit never costs a backend call of its own: each target
 * is probed at most once per `server.readinessIntervalMs`, however many hits arrive, and every
 * hit in between answers from the last result (hits during a probe wait for that one probe).
 * The phase (starting, ready, draining) is read on every hit: a draining gateway answers 503
 * at once.
 */
import type { Logger } from '../../telemetry/logger.js';
import type { GatewayState, Probe } from '../state.js';
import type { GatewayPlugin } from '../plugin.js';
import { sendJson } from '../respond.js';

/** Longest a probe of one service or source may take. */
const PROBE_TIMEOUT_MS = 2000;

async function probe(target: Probe): Promise<Error | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([target.check(), timeout]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    clearTimeout(timer);
  }
}

/** What one target answered. */
type ProbeStatus = 'ok' | 'unreachable';

/** Settings of the health plugin. */
export interface HealthOptions {
  /** Least time between two probes of one target, ms (`server.readinessIntervalMs`). */
  readonly intervalMs: number;
  /** Time source, ms since the epoch. Default `Date.now`. */
  readonly clock?: () => number;
}

/**
 * The health plugin over `state`; failed probes are logged (once per change) to `logger`.
 * Each target is probed at most once per `options.intervalMs`.
 */
export function healthPlugin(state: GatewayState, logger: Logger, options: HealthOptions): GatewayPlugin {
  const clock = options.clock ?? Date.now;
  const last = new Map<string, string>();
  // Per target: when its latest probe started, and that probe's (possibly pending) result.
  const cached = new WeakMap<Probe, { startedAt: number; status: Promise<ProbeStatus> }>();
  const probeOnce = async (kind: string, target: Probe): Promise<ProbeStatus> => {
    const error = await probe(target);
    const status = error === undefined ? 'ok' : 'unreachable';
    const key = `${kind}:${target.name}`;
    if (last.get(key) !== status) {
      last.set(key, status);
      if (error !== undefined) logger.warn(`readiness: ${kind} unreachable`, { [kind]: target.name, error: error.message });
      else if (last.size > 0) logger.info(`readiness: ${kind} reachable`, { [kind]: target.name });
    }
    return status;
  };
  const statusOf = (kind: string, target: Probe, now: number): Promise<ProbeStatus> => {
    const entry = cached.get(target);
    if (entry !== undefined && now - entry.startedAt < options.intervalMs) return entry.status;
    const status = probeOnce(kind, target);
    cached.set(target, { startedAt: now, status });
    return status;
  };
  const probeAll = async (kind: string, targets: readonly Probe[], now: number): Promise<Record<string, ProbeStatus>> => {
    const results = await Promise.all(targets.map(async (target) => [target.name, await statusOf(kind, target, now)] as const));
    return Object.fromEntries(results);
  };
  return {
    name: 'health',
    routes: [
      {
        methods: ['GET'],
        path: '/healthz',
        handle({ res }) {
          sendJson(res, 200, { status: 'ok' });
        },
      },
      {
        methods: ['GET'],
        path: '/readyz',
        async handle({ res }) {
          const now = clock();
          const [services, sources] = await Promise.all([probeAll('service', state.services, now), probeAll('source', state.sources, now)]);
          const servicesOk = Object.values(services).every((status) => status === 'ok');
          const status = state.phase !== 'ready' ? state.phase : servicesOk ? 'ready' : 'unavailable';
          sendJson(res, status === 'ready' ? 200 : 503, { status, services, sources });
        },
      },
    ],
  };
}
