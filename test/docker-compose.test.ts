/**
 * docker-compose.yml is valid for `docker compose config`, and its gateway points every demo
 * source at the compose service that runs it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './support/demo-gateway.js';

/** `docker compose config` when the compose plugin exists, else Debian's docker-compose. */
function composeConfig(): string {
  try {
    return execFileSync('docker', ['compose', 'config'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch {
    return execFileSync('docker-compose', ['config'], { cwd: REPO_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  }
}

test('docker-compose.yml validates and wires the gateway to every source of schema/', async () => {
  const config = parse(composeConfig()) as { services: Record<string, { environment?: Record<string, string>; command?: string[] }> };
  for (const service of ['gateway', 'accounts', 'reviews', 'products', 'inventory', 'orders', 'redis', 'postgres']) {
    assert.ok(config.services[service], `service ${service}`);
  }
  const sources = (await readdir(join(REPO_ROOT, 'schema'))).map((file) => file.replace(/\.graphql$/, ''));
  const env = config.services.gateway?.environment ?? {};
  for (const source of sources) {
    const url = env[`OPENCLAW_SOURCE_${source.toUpperCase()}_URL`];
    assert.ok(url?.includes(`${source}:`), `OPENCLAW_SOURCE_${source.toUpperCase()}_URL points at the ${source} service (${url})`);
  }
});
