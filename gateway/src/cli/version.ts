/**
 * The version `openclaw --version` prints: the gateway package's own.
 */
import { readFileSync } from 'node:fs';

/** The `version` of the openclaw-gateway package.json (`unknown` if it cannot be read). */
export function gatewayVersion(): string {
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
