/**
 * The gateway's HTTP contract beyond the audit: GET queries, refusals with the right status and
 * code (405, 413, 415, 400), health and readiness, GraphiQL and its bundled assets, request ids.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, createServer, type Socket } from 'node:net';
import { createLogger } from '../../gateway/src/telemetry/logger.js';
import { startDemoGateway, type DemoGateway } from '../support/demo-gateway.js';

describe('HTTP', () => {
  let demo: DemoGateway;
  before(async () => {
    demo = await startDemoGateway({ server: { bodyLimitBytes: 2048 } });
  });
  after(async () => {
    await demo.close();
  });

  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(demo.gateway.url, { method: 'POST', headers, body });

  test('GET runs a query', async () => {
    const response = await fetch(`${demo.gateway.url}?query=${encodeURIComponent('{ product(upc: "3") { name } }')}`, { headers: { accept: 'application/graphql-response+json' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/graphql-response\+json/);
    assert.deepEqual(await response.json(), { data: { product: { name: 'Glass' } } });
  });

  test('a mutation over GET is refused with 405', async () => {
    const response = await fetch(`${demo.gateway.url}?query=${encodeURIComponent('mutation { placeOrder(input: {userId: "1", upc: "1", quantity: 1}) { id } }')}`);
    assert.equal(response.status, 405);
    assert.equal(demo.subgraphs.orders.calls.length, 0, 'nothing reached the orders backend');
  });

  test('a body over server.bodyLimitBytes gets 413 PAYLOAD_TOO_LARGE', async () => {
    const response = await post(JSON.stringify({ query: `{ me { name } } # ${'x'.repeat(4096)}` }));
    assert.equal(response.status, 413);
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    assert.equal(body.errors[0]?.extensions.code, 'PAYLOAD_TOO_LARGE');
    assert.match(body.errors[0]?.message ?? '', /larger than the limit of 2048 bytes \(server\.bodyLimitBytes\)/);
  });

  test('a POST that is not application/json gets 415 (the CSRF rule)', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1']) {
      const response = await post('query={me{name}}', { 'content-type': type });
      assert.equal(response.status, 415, type);
      const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
      assert.equal(body.errors[0]?.extensions.code, 'UNSUPPORTED_MEDIA_TYPE');
    }
  });

  test('a body that is not JSON gets 400 BAD_REQUEST with the reason', async () => {
    const response = await post('{"query": ');
    assert.equal(response.status, 400);
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    assert.equal(body.errors[0]?.extensions.code, 'BAD_REQUEST');
    assert.match(body.errors[0]?.message ?? '', /^The request body is not valid JSON/);
  });

  test('an invalid document gets GRAPHQL_VALIDATION_FAILED naming the field', async () => {
    const { status, body } = await demo.query('{ product(upc: "1") { colour } }');
    assert.equal(status, 400);
    assert.equal(body.errors?.[0]?.extensions?.code, 'GRAPHQL_VALIDATION_FAILED');
    assert.match(body.errors?.[0]?.message ?? '', /Cannot query field "colour" on type "Product"/);
  });

  test('the x-request-id is echoed, or generated', async () => {
    const given = await demo.query('{ me { id } }', undefined, { 'x-request-id': 'trace-123' });
    assert.equal(given.headers.get('x-request-id'), 'trace-123');
    const generated = await demo.query('{ me { id } }', undefined, { 'x-request-id': 'has spaces and /slashes' });
    assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
  });

  test('/healthz is 200; /readyz is 200 while every source answers', async () => {
    const health = await fetch(`${demo.origin}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });
    const ready = await fetch(`${demo.origin}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), {
      status: 'ready',
      services: { store: 'ok' },
      sources: { accounts: 'ok', inventory: 'ok', orders: 'ok', products: 'ok', reviews: 'ok' },
    });
  });

  test('a browser GET of /graphql gets GraphiQL, its assets come from the package', async () => {
    const page = await fetch(demo.gateway.url, { headers: { accept: 'text/html,application/xhtml+xml' } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    const html = await page.text();
    assert.match(html, /<title>OpenClaw Gateway · GraphiQL<\/title>/);
    assert.doesNotMatch(html, /https?:\/\/(?!gateway)/, 'no CDN or external URL');
    for (const asset of html.matchAll(/(?:src|href)="(\/graphiql\/[^"]+)"/g)) {
      const response = await fetch(`${demo.origin}${asset[1]}`);
      assert.equal(response.status, 200, asset[1]);
      assert.ok((await response.arrayBuffer()).byteLength > 1000, `${asset[1]} has content`);
    }
  });

  test('an unknown route is 404 with a JSON error', async () => {
    const response = await fetch(`${demo.origin}/nope`);
    assert.equal(response.status, 404);
    const body = (await response.json()) as { errors: Array<{ extensions: { code: string } }> };
    assert.equal(body.errors[0]?.extensions.code, 'NOT_FOUND');
  });
});

test('/readyz stays 200 when one source is down: the source is listed as unreachable, its error only logged', async () => {
  const lines: string[] = [];
  const demo = await startDemoGateway({}, { logger: createLogger('warn', (line) => lines.push(line)) });
  try {
    await demo.subgraphs.products.close();
    const ready = await fetch(`${demo.origin}/readyz`);
    assert.equal(ready.status, 200, 'one backend down must not pull every replica out of service');
    const body = (await ready.json()) as { status: string; sources: Record<string, string> };
    assert.equal(body.status, 'ready');
    assert.equal(body.sources.products, 'unreachable', 'no internal error text for unauthenticated callers');
    assert.equal(body.sources.accounts, 'ok');
    const logged = lines.map((line) => JSON.parse(line) as { msg: string; source?: string; error?: string });
    assert.ok(logged.some((record) => record.msg === 'readiness: source unreachable' && record.source === 'products' && /ECONNREFUSED/.test(record.error ?? '')), lines.join(''));
  } finally {
    await demo.close();
  }
});

/** A TCP proxy to the test Redis whose connections can be cut and restored, on one port. */
async function redisProxy(): Promise<{ url: string; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const make = () => createServer((client) => {
    const upstream = connect(6379, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.pipe(upstream).pipe(client);
    const end = () => { client.destroy(); upstream.destroy(); };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  let server = make();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const stop = async () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    cut: stop,
    async restore() {
      server = make();
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    close: stop,
  };
}

test('/readyz is 503 `unavailable` while a service the gateway needs (Redis) cannot be reached, and 200 again once it can', async () => {
  const proxy = await redisProxy();
  const lines: string[] = [];
  // Probes are cached for server.readinessIntervalMs: the clock moves past it before each look.
  let now = 0;
  const demo = await startDemoGateway({ store: { redisUrl: proxy.url } }, { logger: createLogger('warn', (line) => lines.push(line)), clock: () => now });
  const interval = demo.config.server.readinessIntervalMs;
  try {
    assert.equal((await fetch(`${demo.origin}/readyz`)).status, 200);
    await proxy.cut();
    now += interval;
    const ready = await fetch(`${demo.origin}/readyz`);
    assert.equal(ready.status, 503);
    const body = (await ready.json()) as { status: string; services: Record<string, string> };
    assert.equal(body.status, 'unavailable');
    assert.equal(body.services.redis, 'unreachable');
    assert.equal(body.services.store, 'ok');
    assert.doesNotMatch(JSON.stringify(body), /ECONNREFUSED|127\.0\.0\.1|closed/i, 'no internal error text for unauthenticated callers');
    // Liveness is not readiness: the process still serves.
    assert.equal((await fetch(`${demo.origin}/healthz`)).status, 200);
    await proxy.restore();
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 200; attempt++) {
      now += interval;
      status = (await fetch(`${demo.origin}/readyz`)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(status, 200, 'ready again once Redis answers');
  } finally {
    await demo.close();
    await proxy.close();
  }
});
