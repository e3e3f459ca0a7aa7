/**
 * `GET|HEAD /healthz` (liveness: the process serves) and `GET|HEAD /readyz` (readiness: send
 * traffic here). Readiness is the gateway's own: the graph is composed, the gateway is not
 * draining, and the services it needs (stores) answer. Sources are listed as detail and never
 * fail readiness, since every replica sees the same backend outage and pulling them all out of
 * service would turn a partial outage into a full one. Probe errors go to the log only: the
 * routes are unauthenticated.
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

/** The health plugin over `state`; failed probes are logged (once per change) to `logger`. */
export function healthPlugin(state: GatewayState, logger: Logger): GatewayPlugin {
  const last = new Map<string, string>();
  const probeAll = async (kind: string, targets: readonly Probe[]): Promise<Record<string, 'ok' | 'unreachable'>> => {
    const results = await Promise.all(targets.map(async (target) => [target, await probe(target)] as const));
    const out: Record<string, 'ok' | 'unreachable'> = {};
    for (const [target, error] of results) {
      const status = error === undefined ? 'ok' : 'unreachable';
      out[target.name] = status;
      const key = `${kind}:${target.name}`;
      if (last.get(key) !== status) {
        last.set(key, status);
        if (error !== undefined) logger.warn(`readiness: ${kind} unreachable`, { [kind]: target.name, error: error.message });
        else if (last.size > 0) logger.info(`readiness: ${kind} reachable`, { [kind]: target.name });
      }
    }
    return out;
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
          const [services, sources] = await Promise.all([probeAll('service', state.services), probeAll('source', state.sources)]);
          const servicesOk = Object.values(services).every((status) => status === 'ok');
          const status = state.phase !== 'ready' ? state.phase : servicesOk ? 'ready' : 'unavailable';
          sendJson(res, status === 'ready' ? 200 : 503, { status, services, sources });
        },
      },
    ],
  };
}
