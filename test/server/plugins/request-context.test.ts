/**
 * The client's address: the socket's peer, unless that peer is a trusted proxy; then the
 * nearest address of X-Forwarded-For that is not one. A client cannot choose its address by
 * sending X-Forwarded-For itself.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ipaddr from 'ipaddr.js';
import { clientAddress } from '../../../gateway/src/server/plugins/request-context.js';
import { startDemoGateway } from '../../support/demo-gateway.js';

const ranges = [ipaddr.parseCIDR('10.0.0.0/8'), ipaddr.parseCIDR('::1/128')] as Array<[ipaddr.IPv4 | ipaddr.IPv6, number]>;

test('without trusted proxies, X-Forwarded-For is ignored', () => {
  assert.equal(clientAddress('203.0.113.9', '198.51.100.1', []), '203.0.113.9');
});

test('from an untrusted peer, X-Forwarded-For is ignored', () => {
  assert.equal(clientAddress('203.0.113.9', '198.51.100.1', ranges), '203.0.113.9');
});

test('behind trusted proxies, the nearest untrusted forwarded address is the client', () => {
  assert.equal(clientAddress('10.1.2.3', '198.51.100.1, 203.0.113.7, 10.9.9.9', ranges), '203.0.113.7');
  assert.equal(clientAddress('::1', '2001:db8::5', ranges), '2001:db8::5');
});

test('IPv4-mapped IPv6 peers and hops are read as IPv4', () => {
  assert.equal(clientAddress('::ffff:10.0.0.1', '198.51.100.4', ranges), '198.51.100.4');
  assert.equal(clientAddress('10.0.0.1', '::ffff:198.51.100.4', ranges), '198.51.100.4');
  assert.equal(clientAddress('10.0.0.1', '198.51.100.4, ::ffff:10.2.2.2', ranges), '198.51.100.4', 'a mapped trusted hop is trusted');
});

test('an unparseable hop is untrusted: it becomes the client address, never the proxy\'s', () => {
  assert.equal(clientAddress('10.0.0.1', 'not-an-ip', ranges), 'not-an-ip');
  assert.equal(clientAddress('10.0.0.1', '198.51.100.1, unknown', ranges), 'unknown');
  assert.equal(clientAddress('10.0.0.1', '198.51.100.1:443', ranges), '198.51.100.1:443');
  assert.equal(clientAddress('10.0.0.1', '10.1', ranges), '10.1', 'a shorthand ipaddr.js would read as 10.0.0.1');
  assert.equal(clientAddress('10.0.0.1', '198.51.100.1, , 10.9.9.9', ranges), 'unknown', 'an empty hop');
  assert.equal(clientAddress('10.0.0.1', 'x'.repeat(500), ranges).length, 64, 'kept short');
  assert.equal(clientAddress('10.0.0.1', 'garbage, 198.51.100.1', ranges), '198.51.100.1', 'garbage left of the client is never read');
});

test('HEAD /healthz and /readyz answer without a body', async () => {
  const demo = await startDemoGateway();
  try {
    for (const path of ['/healthz', '/readyz']) {
      const response = await fetch(`${demo.origin}${path}`, { method: 'HEAD' });
      assert.equal(response.status, 200, path);
      assert.equal(await response.text(), '');
    }
    const wrong = await fetch(`${demo.origin}/healthz`, { method: 'POST' });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD');
  } finally {
    await demo.close();
  }
});
