/**
 * The GraphQL over HTTP spec, checked by graphql-http's own audit suite against the gateway's
 * real HTTP server: every MUST passes; the SHOULDs are listed with the ones we knowingly skip.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { auditServer } from 'graphql-http';
import { startDemoGateway, type DemoGateway } from '../support/demo-gateway.js';

describe('GraphQL over HTTP audit', () => {
  let demo: DemoGateway;
  before(async () => {
    demo = await startDemoGateway();
  });
  after(async () => {
    await demo.close();
  });

  test('every MUST and SHOULD audit passes', async () => {
    const results = await auditServer({ url: demo.gateway.url });
    const failed = results.filter((result) => result.status !== 'ok').map((result) => `${result.name}: ${'reason' in result ? result.reason : ''}`);
    const musts = results.filter((result) => result.name.startsWith('MUST'));
    assert.ok(musts.length > 10, 'the audit ran its MUST checks');
    assert.deepEqual(failed, []);
  });
});
