// The RFC 6750 challenge for refused requests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bearerChallenge, challengeFor, createTokenService, tokenRefused } from '../../../gateway/src/auth/tokens/index.js';
import { GatewayError, isGatewayError } from '../../../gateway/src/errors/index.js';

test('a refused token gets error="invalid_token" and its reason as the description', async () => {
  const service = await createTokenService({ providers: {}, maxTokenBytes: 8192, verifiedTokenCacheSize: 0, propagation: {}, internalToken: { issuer: 'gw', algorithm: 'ES256', ttlSeconds: 60 } });
  const refusal = await service.verifyBearer('a'.repeat(9000)).catch((error: unknown) => error);
  assert.ok(isGatewayError(refusal));
  assert.equal(challengeFor(refusal), 'Bearer realm="openclaw", error="invalid_token", error_description="The bearer token is larger than 8192 bytes."');
});

test('a request without a credential gets the bare challenge (RFC 6750 §3.1: no error code)', () => {
  assert.equal(challengeFor(new GatewayError('UNAUTHENTICATED', 'This field needs a credential.')), 'Bearer realm="openclaw"');
  assert.equal(challengeFor(new Error('boom'), 'orders'), 'Bearer realm="orders"');
});

test('characters a quoted-string may not hold are dropped; insufficient_scope names the scope', () => {
  assert.equal(
    challengeFor(tokenRefused('bad_signature', 'He said "no" \\ here\r\nX-Injected: 1 ünicode')),
    'Bearer realm="openclaw", error="invalid_token", error_description="He said no  hereX-Injected: 1 nicode"',
  );
  assert.equal(bearerChallenge({ error: 'insufficient_scope', scope: 'orders:write' }), 'Bearer realm="openclaw", error="insufficient_scope", scope="orders:write"');
});
