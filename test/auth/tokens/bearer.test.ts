// Reading the bearer token from Authorization (RFC 6750 §2.1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bearerTokenFrom } from '../../../gateway/src/auth/tokens/index.js';
import { isGatewayError } from '../../../gateway/src/errors/index.js';

test('bearerTokenFrom reads "Bearer <token>" in any case; other schemes are not its business', () => {
  assert.equal(bearerTokenFrom('Bearer abc.def-ghi_~+/=='), 'abc.def-ghi_~+/==');
  assert.equal(bearerTokenFrom('bearer   xyz  '), 'xyz');
  assert.equal(bearerTokenFrom(undefined), undefined);
  assert.equal(bearerTokenFrom('Basic dXNlcjpwYXNz'), undefined);
  for (const bad of ['Bearer', 'Bearer   ', 'Bearer a b', 'Bearer ab"c']) {
    assert.throws(() => bearerTokenFrom(bad), (error: unknown) => isGatewayError(error) && error.code === 'UNAUTHENTICATED' && error.details.reason === 'malformed', bad);
  }
  assert.throws(() => bearerTokenFrom(['Bearer a', 'Bearer b']), /more than one Authorization header/);
});
