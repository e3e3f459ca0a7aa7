/**
 * The IP allow and deny lists (`server.ipAllowList`, `server.ipDenyList`), over real sockets
 * from 127.0.0.1: every route is refused with 403 IP_NOT_ALLOWED for an address the lists keep
 * out, deny wins over allow, IPv4-mapped IPv6 addresses are matched as IPv4 on both sides, and
 * behind a trusted proxy the forwarded client address is what is checked — an unparseable
 * forwarded hop included, which never passes as the proxy's own (allowed) address.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../../../gateway/src/index.js';
import { isGatewayError } from '../../../gateway/src/errors/index.js';
import { REPO_ROOT, startDemoGateway, type DemoGateway } from '../../support/demo-gateway.js';

const QUERY = '{ product(upc: "1") { name } }';

async function codeOf(response: Response): Promise<string | undefined> {
  const body = (await response.json()) as { errors?: Array<{ extensions?: { code?: string } }> };
  return body.errors?.[0]?.extensions?.code;
}

const post = (url: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: QUERY }) });

describe('an allow list that leaves out the socket address', () => {
  let demo: DemoGateway;
  before(async () => {
    demo = await startDemoGateway({ server: { ipAllowList: ['10.0.0.0/8', '2001:db8::/32'] } });
  });
  after(() => demo.close());

  test('every route answers 403 IP_NOT_ALLOWED, before any other work', async () => {
    const graphql = await post(demo.gateway.url);
    assert.equal(graphql.status, 403);
    assert.equal(await codeOf(graphql), 'IP_NOT_ALLOWED');
    for (const path of ['/healthz', '/readyz', '/admin/graphql', '/nowhere']) {
      const response = await fetch(`${demo.origin}${path}`);
      assert.equal(response.status, 403, path);
      assert.equal(await codeOf(response), 'IP_NOT_ALLOWED', path);
    }
    assert.equal(demo.subgraphs.products.calls.length, 0, 'no backend was called');
  });

  test('X-Forwarded-For from a client that is not a trusted proxy changes nothing', async () => {
    const response = await post(demo.gateway.url, { 'x-forwarded-for': '10.1.2.3' });
    assert.equal(response.status, 403);
  });
});

test('an allow list naming the loopback address admits it; written as IPv4-mapped IPv6, too', async () => {
  for (const entry of ['127.0.0.1', '127.0.0.0/8', '::ffff:127.0.0.1', '::ffff:127.0.0.0/104']) {
    const demo = await startDemoGateway({ server: { ipAllowList: [entry] } });
    try {
      const response = await post(demo.gateway.url);
      assert.equal(response.status, 200, entry);
    } finally {
      await demo.close();
    }
  }
});

test('a deny list refuses its addresses and wins over the allow list', async () => {
  const demo = await startDemoGateway({ server: { ipAllowList: ['127.0.0.0/8'], ipDenyList: ['::ffff:127.0.0.1'] } });
  try {
    const response = await post(demo.gateway.url);
    assert.equal(response.status, 403);
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    assert.equal(body.errors[0]?.extensions.code, 'IP_NOT_ALLOWED');
    assert.match(body.errors[0]?.message ?? '', /127\.0\.0\.1 are refused \(server\.ipDenyList\)/);
  } finally {
    await demo.close();
  }
});

describe('behind a trusted proxy (loopback)', () => {
  let demo: DemoGateway;
  before(async () => {
    demo = await startDemoGateway({
      server: {
        trustedProxies: ['127.0.0.1', '::1'],
        // The proxy's own address is allowed, so a hop mistaken for it would pass.
        ipAllowList: ['127.0.0.1', '203.0.113.0/24', '2001:db8::/32'],
        ipDenyList: ['203.0.113.66'],
      },
    });
  });
  after(() => demo.close());

  const status = async (forwardedFor: string) => (await post(demo.gateway.url, { 'x-forwarded-for': forwardedFor })).status;

  test('the forwarded client address is what the lists check, v4, v6 and IPv4-mapped', async () => {
    assert.equal(await status('203.0.113.7'), 200);
    assert.equal(await status('2001:db8::5'), 200);
    assert.equal(await status('::ffff:203.0.113.9'), 200);
    assert.equal(await status('198.51.100.1'), 403);
    assert.equal(await status('2001:db9::1'), 403);
    assert.equal(await status('203.0.113.66'), 403, 'denied inside an allowed range');
    assert.equal(await status('::ffff:203.0.113.66'), 403, 'denied, written as IPv4-mapped IPv6');
  });

  test('the nearest untrusted hop counts: what the client wrote to its left does not', async () => {
    assert.equal(await status('203.0.113.7, 198.51.100.1'), 403);
    assert.equal(await status('198.51.100.1, 203.0.113.7'), 200);
  });

  test('an unparseable hop is the client address, never the proxy\'s own (allowed) one', async () => {
    for (const hop of ['not-an-ip', 'unknown', '203.0.113.7:5678', '10.1', '', '203.0.113.7, garbage']) {
      const response = await post(demo.gateway.url, { 'x-forwarded-for': hop });
      assert.equal(response.status, 403, JSON.stringify(hop));
      assert.equal(await codeOf(response), 'IP_NOT_ALLOWED');
    }
    assert.equal(await status('garbage, 203.0.113.7'), 200, 'garbage left of the client is not looked at');
  });
});

test('a list entry that is not a full address or CIDR is refused at start-up, naming the key', () => {
  for (const [key, entry] of [['ipAllowList', '10.1'], ['ipDenyList', '10.0.0.0/33'], ['ipAllowList', 'localhost']] as const) {
    try {
      resolveConfig({ server: { [key]: [entry] } }, { rootDir: REPO_ROOT });
      assert.fail(`${entry} was accepted`);
    } catch (error) {
      assert.ok(isGatewayError(error));
      assert.equal(error.code, 'CONFIG_INVALID');
      assert.match(error.message, new RegExp(`"server\\.${key}\\[0\\]" must be an IPv4 or IPv6 address or CIDR`));
      assert.match(error.message, new RegExp(JSON.stringify(entry).replace(/[./]/g, '\\$&')));
    }
  }
});
