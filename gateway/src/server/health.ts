/**
 * `GET /healthz` (the process is alive and serving) and `GET /readyz` (every source answers:
 * a load balancer should send traffic only when this is 200).
 */
import type { ServerResponse } from 'node:http';
import type { SourceRuntime } from '../sources/types.js';
import { sendJson } from './respond.js';

/** Longest a readiness probe waits for one source. */
const PROBE_TIMEOUT_MS = 2000;

/** Answers `/healthz`. */
export function sendHealth(res: ServerResponse): void {
  sendJson(res, 200, { status: 'ok' });
}

/** Answers `/readyz`: 200 when every source answers its probe, else 503 naming the ones that do not. */
export async function sendReadiness(res: ServerResponse, sources: readonly SourceRuntime[]): Promise<void> {
  const results = await Promise.all(sources.map(async (source) => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
    });
    try {
      await Promise.race([source.check(), timeout]);
      return [source.name, 'ok'] as const;
    } catch (error) {
      return [source.name, `unreachable: ${(error as Error).message}`] as const;
    } finally {
      clearTimeout(timer);
    }
  }));
  const ready = results.every(([, state]) => state === 'ok');
  sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'unavailable', sources: Object.fromEntries(results) });
}
