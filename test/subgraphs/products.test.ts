import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { PRODUCTS_OPENAPI_PATH, startProducts } from '../../subgraphs/products/server.js';
import type { RunningSubgraph } from '../../subgraphs/support/running.js';
import { elapsedMs, openApiOperations, requestJson } from './helpers.js';

describe('products backend (REST)', () => {
  let products: RunningSubgraph;
  before(async () => {
    products = await startProducts();
  });
  after(() => products.close());

  it('listens on loopback and answers its health check', async () => {
    assert.match(products.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(await requestJson(`${products.url}/`).then((answer) => answer.body), { service: 'products' });
  });

  it('returns one product in the documented JSON shape', async () => {
    const response = await fetch(`${products.url}/products/1`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(await response.text(), '{"upc":"1","name":"Table","price":899,"weight":100}');
  });

  it('answers 404 with a JSON error for an unknown upc', async () => {
    const { status, body } = await requestJson(`${products.url}/products/42`);
    assert.equal(status, 404);
    assert.deepEqual(body, { error: 'not_found', message: 'no product with upc "42"' });
  });

  it('lists the first products in upc order, 5 by default', async () => {
    const upcs = async (query: string): Promise<string[]> => {
      const { body } = await requestJson(`${products.url}/products${query}`);
      return (body as { upc: string }[]).map((product) => product.upc);
    };
    assert.deepEqual(await upcs(''), ['1', '2', '3', '4', '5']);
    assert.deepEqual(await upcs('?limit=2'), ['1', '2']);
    assert.deepEqual(await upcs('?limit=50'), ['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const bad = await requestJson(`${products.url}/products?limit=-1`);
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, { error: 'bad_request', message: 'limit must be a non-negative integer, got "-1"' });
  });

  it('answers a batch in the reverse of the requested order, leaving unknown upcs out', async () => {
    const { status, body } = await requestJson(`${products.url}/products/batch?upc=1,42,3,8`);
    assert.equal(status, 200);
    assert.deepEqual(body, [
      { upc: '8', name: 'Fridge', price: 100000, weight: 6000 },
      { upc: '3', name: 'Glass', price: 15, weight: 20 },
      { upc: '1', name: 'Table', price: 899, weight: 100 },
    ]);
    assert.equal((await requestJson(`${products.url}/products/batch`)).status, 400);
  });

  it('records calls by route template, with parameters as detail', async () => {
    products.resetCalls();
    await requestJson(`${products.url}/products/batch?upc=2,1`);
    await requestJson(`${products.url}/products/7`);
    await requestJson(`${products.url}/nowhere`);
    assert.deepEqual(products.calls, [
      { operation: 'GET /products/batch', detail: { query: { upc: '2,1' } } },
      { operation: 'GET /products/{upc}', detail: { params: { upc: '7' } } },
      { operation: 'GET /nowhere' },
    ]);
  });

  it("answers HTTP 500 with a JSON body in failWith('error') mode until reset", async () => {
    products.failWith('error');
    const failed = await requestJson(`${products.url}/products/1`);
    assert.equal(failed.status, 500);
    assert.deepEqual(failed.body, { error: 'internal', message: "products: failure injected by failWith('error')" });
    products.failWith(null);
    assert.equal((await requestJson(`${products.url}/products/1`)).status, 200);
  });

  it("waits 2 s before answering in failWith('slow') mode", async () => {
    products.failWith('slow');
    try {
      const ms = await elapsedMs(async () => assert.equal((await requestJson(`${products.url}/products/1`)).status, 200));
      assert.ok(ms >= 1900, `answered after ${ms} ms`);
    } finally {
      products.failWith(null);
    }
  });

  it('documents every route, parameter and schema in openapi.yaml', () => {
    const { operations, undocumented } = openApiOperations(readFileSync(PRODUCTS_OPENAPI_PATH, 'utf8'));
    assert.deepEqual(operations, ['GET /', 'GET /products', 'GET /products/batch', 'GET /products/{upc}']);
    assert.deepEqual(undocumented, []);
  });
});
