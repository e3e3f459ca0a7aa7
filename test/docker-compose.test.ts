/**
 * docker-compose.yml is valid for `docker compose config`: its gateway points every demo source
 * at the compose service that runs it, runs from the production image, and starts only once
 * every service it calls is healthy. The Dockerfile's gateway stage carries every file the demo
 * schema points at. (No Docker engine here: the images themselves are not built.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
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

interface Service {
  build?: { target?: string };
  environment?: Record<string, string>;
  command?: string[];
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] };
}

const BACKENDS = ['accounts', 'reviews', 'products', 'inventory', 'orders'];

test('docker-compose.yml validates and wires the gateway to every source of schema/', async () => {
  const config = parse(composeConfig()) as { services: Record<string, Service> };
  for (const service of ['gateway', ...BACKENDS, 'redis', 'postgres']) {
    assert.ok(config.services[service], `service ${service}`);
  }
  const sources = (await readdir(join(REPO_ROOT, 'schema'))).map((file) => file.replace(/\.graphql$/, ''));
  const env = config.services.gateway?.environment ?? {};
  for (const source of sources) {
    const url = env[`OPENCLAW_SOURCE_${source.toUpperCase()}_URL`];
    assert.ok(url?.includes(`${source}:`), `OPENCLAW_SOURCE_${source.toUpperCase()}_URL points at the ${source} service (${url})`);
  }
  // What instances share lives in the compose file's own PostgreSQL and Redis.
  assert.match(env.OPENCLAW_DATABASE_URL ?? '', /^postgres:\/\/[^@]+@postgres:5432\//);
  assert.equal(env.OPENCLAW_REDIS_URL, 'redis://redis:6379');
});

test('every service has a healthcheck; the gateway waits for all of them to be healthy', () => {
  const { services } = parse(composeConfig()) as { services: Record<string, Service> };
  for (const [name, service] of Object.entries(services)) {
    assert.ok((service.healthcheck?.test?.length ?? 0) > 1, `${name} has a healthcheck`);
  }
  const gateway = services.gateway ?? {};
  const waitsFor = Object.entries(gateway.depends_on ?? {}).filter(([, dependency]) => dependency.condition === 'service_healthy').map(([name]) => name);
  assert.deepEqual(waitsFor.sort(), [...BACKENDS, 'redis', 'postgres'].sort());
  // The gateway is the production image, listening on every interface; the backends the dev one.
  assert.equal(gateway.build?.target, 'gateway');
  assert.equal(gateway.environment?.OPENCLAW_HOST, '0.0.0.0');
  for (const backend of BACKENDS) {
    assert.equal(services[backend]?.build?.target, 'demo', backend);
    assert.equal(services[backend]?.environment?.SUBGRAPH_HOST, '0.0.0.0', backend);
  }
});

test('the Dockerfile: production dependencies only, non-root, 0.0.0.0, and every file the demo schema points at', async () => {
  const dockerfile = await readFile(join(REPO_ROOT, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const gateway = stages.find((stage) => /^\S+ AS gateway$/m.test(stage)) ?? '';
  assert.equal(stages.at(-1), gateway, 'the gateway is the last (default) stage');
  assert.match(gateway, /^RUN npm ci --omit=dev\b/m);
  assert.match(gateway, /^USER node$/m);
  assert.match(gateway, /^ENV OPENCLAW_HOST=0\.0\.0\.0\b/m);
  assert.doesNotMatch(gateway, /^COPY (--from=build \/app\/)?gateway\/src\b/m, 'no source: the bin then runs dist/');
  const copied = [...gateway.matchAll(/^COPY (?!--from)(.+) (\S+)$/gm)].flatMap((match) => (match[1] ?? '').split(' '));
  for (const file of await readdir(join(REPO_ROOT, 'schema'))) {
    const sdl = await readFile(join(REPO_ROOT, 'schema', file), 'utf8');
    for (const [, path] of sdl.matchAll(/\b(?:sdl|proto|openapi): "([^"]+)"/g)) {
      const fromRoot = posix.normalize(posix.join('schema', path ?? ''));
      assert.ok(copied.includes(fromRoot), `${fromRoot} (named in schema/${file}) is copied into the gateway image`);
    }
  }
});
