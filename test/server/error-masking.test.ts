/**
 * An unexpected error never reaches a client: it gets INTERNAL_SERVER_ERROR, a fixed message
 * and a request id, and the log holds the real error under that id.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GatewayPlugin } from '../../gateway/src/index.js';
import { createLogger } from '../../gateway/src/telemetry/logger.js';
import { startDemoGateway } from '../support/demo-gateway.js';

test('a plugin that throws a plain Error: masked for the client, logged with the request id', async () => {
  const lines: string[] = [];
  const failing: GatewayPlugin = {
    name: 'failing',
    onRequest() {
      throw new Error('secret connection string postgres://admin:hunter2@db');
    },
  };
  const demo = await startDemoGateway({}, { plugins: [failing], logger: createLogger('error', (line) => lines.push(line)) });
  try {
    const { status, headers, body } = await demo.query('{ me { name } }', undefined, { 'x-request-id': 'req-42' });
    assert.equal(status, 500);
    assert.equal(headers.get('x-request-id'), 'req-42');
    assert.deepEqual(body, {
      errors: [{ message: 'Unexpected error. The gateway log has the details under this request id.', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42' } }],
    });
    const logged = lines.map((line) => JSON.parse(line) as { level: string; requestId?: string; error?: string });
    assert.ok(logged.some((record) => record.level === 'error' && record.requestId === 'req-42' && record.error?.includes('secret connection string')), lines.join(''));
  } finally {
    await demo.close();
  }
});
