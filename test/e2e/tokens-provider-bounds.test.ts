/**
 * Through the gateway's HTTP port, with a real OpenID provider counting the calls it gets: an
 * address that sends made-up opaque tokens causes at most `introspection.clientCallsPerMinute`
 * introspection calls, then 429 RATE_LIMITED with Retry-After; the refresh endpoint answers 429
 * past `auth.refresh.requestsPerMinute` without calling the provider, and stops reading a body
 * at `auth.refresh.maxBodyBytes` (413 before the body is all sent, or before any of it when the
 * declared length is too large).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { randomBytes } from 'node:crypto';
import { authFor, PROVIDER_NAME, startTokenGateway, type TokenGateway } from '../support/token-gateway.js';

const QUERY = '{ product(upc: "1") { name } }';

/** Sends `head` (and `body`) on a raw socket and resolves with the first response's status line and headers. */
function rawExchange(port: number, head: string, body = ''): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head);
      if (body !== '') socket.write(body);
      // The rest of the declared body is never sent: only a server that stops reading answers.
    });
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n\r\n')) {
        socket.destroy();
        resolve({ status: Number(text.split(' ')[1]), text });
      }
    });
    socket.on('error', reject);
    socket.setTimeout(5000, () => {
      socket.destroy();
      reject(new Error('no answer within 5 s: the server is still reading'));
    });
  });
}

describe('the calls a client can cause at the identity provider', () => {
  let gateway: TokenGateway;
  before(async () => {
    gateway = await startTokenGateway({
      config: (provider) => {
        const auth = authFor(provider);
        const main = auth.providers?.[PROVIDER_NAME];
        return {
          server: { trustedProxies: ['127.0.0.1', '::1'] },
          auth: {
            ...auth,
            providers: { [PROVIDER_NAME]: { ...main!, introspection: { ...main!.introspection, clientCallsPerMinute: 3 } } },
            refresh: { requestsPerMinute: 3, maxBodyBytes: 4096 },
          },
        };
      },
    });
  });
  after(() => gateway.close());

  test('made-up opaque tokens: 3 introspection calls from one address, then 429 without a call', async () => {
    const before = gateway.provider.requestCount('/token/introspection');
    const statuses: number[] = [];
    for (let index = 0; index < 10; index += 1) {
      const response = await gateway.query(QUERY, `made-up-${randomBytes(12).toString('base64url')}`, { 'x-forwarded-for': '203.0.113.7' });
      statuses.push(response.status);
      if (response.status === 429) {
        assert.equal(response.body.errors?.[0]?.extensions?.code, 'RATE_LIMITED');
        assert.ok(Number(response.headers.get('retry-after')) >= 1);
      }
    }
    assert.deepEqual(statuses, [401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
    assert.equal(gateway.provider.requestCount('/token/introspection'), before + 3);
    // Another address is introspected as usual; a good token from it works.
    const token = await gateway.provider.opaqueToken();
    const other = await gateway.query(QUERY, token, { 'x-forwarded-for': '198.51.100.9' });
    assert.equal(other.status, 200);
  });

  test('the refresh endpoint: 3 requests a minute per address, then 429 without a call to the provider', async () => {
    const form = () =>
      fetch(`${gateway.origin}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '203.0.113.8' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'not-a-refresh-token' }),
      });
    const calls = gateway.provider.requestCount('/token');
    for (let index = 0; index < 3; index += 1) assert.equal((await form()).status, 400, 'invalid_grant from the provider');
    assert.equal(gateway.provider.requestCount('/token'), calls + 3);
    const limited = await form();
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get('retry-after')) >= 1);
    assert.equal(limited.headers.get('cache-control'), 'no-store');
    const body = (await limited.json()) as { error: string; error_description: string };
    assert.equal(body.error, 'temporarily_unavailable');
    assert.match(body.error_description, /Too many token requests from this address/);
    assert.equal(gateway.provider.requestCount('/token'), calls + 3, 'no call for the refused request');
  });

  test('the refresh endpoint stops reading at its body limit', async () => {
    const port = Number(new URL(gateway.origin).port);
    const common = 'POST /auth/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Forwarded-For: 203.0.113.30\r\n';
    // A declared length past the limit: 413 before a byte of the body is sent.
    const declared = await rawExchange(port, `${common}Content-Length: 10000000\r\n\r\n`);
    assert.equal(declared.status, 413);
    assert.match(declared.text, /connection: close/i);
    // A chunked body that grows past the limit: 413 while the client is still sending.
    const chunk = 'a'.repeat(8192);
    const growing = await rawExchange(port.valueOf(), `${common.replace('203.0.113.30', '203.0.113.31')}Transfer-Encoding: chunked\r\n\r\n`, `${chunk.length.toString(16)}\r\n${chunk}\r\n`);
    assert.equal(growing.status, 413);
  });
});
