/**
 * The front door never answers client input with a 5xx, a stack trace or a hang. Generated
 * requests (fast-check) are thrown at the real HTTP server: random JSON shapes, wrong types
 * for every field, odd methods, paths, headers and content types, truncated and oversized
 * bodies, made-up credentials. Each must get a documented 4xx (or a 200, 204 for OPTIONS, with errors for a legacy
 * client) whose codes are documented with that status, and the gateway must still serve.
 * Generated hostile documents (fragment graphs, deep nesting, repetition, huge variables) must
 * each get a documented 4xx within a time budget (FRONT_DOOR_BUDGET_MS, default 1000).
 *
 * `npm test` runs a fixed seed; `npm run fuzz` runs many more cases with a random seed
 * (FRONT_DOOR_RUNS, FRONT_DOOR_SEED).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { ERROR_CODES } from '../../gateway/src/errors/index.js';
import { startDemoGateway, type DemoGateway } from '../support/demo-gateway.js';

const RUNS = Number(process.env.FRONT_DOOR_RUNS ?? 150);
const SEED = process.env.FRONT_DOOR_SEED === undefined ? 20261128 : Number(process.env.FRONT_DOOR_SEED);
const BODY_LIMIT = 4096;
const ALLOWED_STATUS = new Set([200, 204, 400, 401, 404, 405, 406, 413, 415]);

let demo: DemoGateway;
let host: string;
let port: number;

before(async () => {
  demo = await startDemoGateway({ server: { bodyLimitBytes: BODY_LIMIT } });
  const url = new URL(demo.gateway.url);
  host = url.hostname;
  port = Number(url.port);
});
after(async () => {
  await demo.close();
});

/** One generated request. */
interface Sample {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

const printable = fc.string({ maxLength: 40, unit: 'grapheme-ascii' });

/** Mostly `good`, sometimes `bad`: each request is a plausible one with a few things wrong. */
const usually = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>): fc.Arbitrary<T> => fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: bad });

const validQueries = fc.constantFrom(
  '{ product(upc: "1") { name } }',
  '{ topProducts(first: 2) { name inStock } }',
  'query Q($upc: ID!) { product(upc: $upc) { name price } }',
  'query A { me { name } } query B { users { id } }',
  'mutation { placeOrder(input: {userId: "1", upc: "2", quantity: 1}) { id } }',
  '{ __schema { queryType { name } } }',
);
const badQueries = fc.constantFrom('{ me { ', 'subscription { x }', '', '{ nope }', 'query ($a: Nope) { me { id } }', '{ product(upc: 1, upc: 2) { name } }');
const variables = usually(fc.constantFrom(undefined, null, {}, { upc: '2' }, { upc: 3 }), fc.jsonValue({ maxDepth: 2 }));
const operationNames = usually(fc.constantFrom(undefined, null, 'A', 'B', 'Q', 'Nope', ''), fc.jsonValue({ maxDepth: 1 }));
/** Request-shaped objects whose every field may be of the wrong type. */
const requestObjects = fc.record(
  {
    query: usually(validQueries, fc.oneof(badQueries, fc.jsonValue({ maxDepth: 2 }))),
    variables,
    operationName: operationNames,
    extensions: usually(fc.constantFrom(undefined, {}), fc.jsonValue({ maxDepth: 2 })),
  },
  { requiredKeys: [] },
);
const bodies = usually(
  requestObjects.map((value) => JSON.stringify(value)),
  fc.oneof(
    fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? 'null'),
    requestObjects.chain((value) => {
      const text = JSON.stringify(value);
      return fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut));
    }),
    fc.string({ maxLength: 200, unit: 'binary' }),
    fc.constant(`{"query": "{ me { name } }", "pad": "${'x'.repeat(BODY_LIMIT)}"}`),
    fc.constant(undefined),
  ),
);
const searches = usually(
  fc.record({ query: usually(validQueries, badQueries), variables: variables.map((v) => JSON.stringify(v) ?? ''), operationName: operationNames.map(String) }, { requiredKeys: [] })
    .map((params) => `?${new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString()}`),
  fc.oneof(fc.constant(''), printable.map((text) => `?${encodeURIComponent(text)}`), printable.map((text) => `?variables=${encodeURIComponent(text)}&query=%7Bme%7Bid%7D%7D`)),
);
const samples: fc.Arbitrary<Sample> = fc.record({
  method: usually(fc.constantFrom('GET', 'POST', 'POST'), fc.oneof(fc.constantFrom('PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'), fc.stringMatching(/^[A-Z]{3,8}$/))),
  path: fc.tuple(usually(fc.constant('/graphql'), fc.constantFrom('/healthz', '/readyz', '/graphiql/nope.js', '/', '//graphql', '/graphql/', '/%ZZ')), searches).map(([path, search]) => `${path}${search}`),
  headers: fc.record(
    {
      'content-type': usually(fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/graphql-response+json'), fc.constantFrom('text/plain', 'application/json; charset=latin1', 'multipart/form-data; boundary=x', ';;;', 'application/x-www-form-urlencoded')),
      accept: usually(fc.constantFrom('application/json', 'application/graphql-response+json', '*/*', 'application/graphql-response+json;q=0.9, application/json;q=0.1'), fc.constantFrom('text/html', 'text/csv', 'garbage/;;q=x')),
      'x-request-id': fc.oneof(fc.uuid(), printable),
      traceparent: printable,
      'x-api-key': printable,
      authorization: printable.map((text) => `Bearer ${text}`),
    },
    { requiredKeys: ['content-type'] },
  ),
  body: bodies,
});

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** Sends one sample; rejects if no answer comes within 5 s (a hang). */
function send(sample: Sample): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...sample.headers };
    const req = request({ host, port, method: sample.method, path: sample.path, headers, agent: false, timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within 5 s: ${JSON.stringify(sample).slice(0, 300)}`)));
    req.on('error', reject);
    req.end(sample.body);
  });
}

function check(sample: Sample, answer: Answer): void {
  const where = `${sample.method} ${sample.path} -> ${answer.status} ${answer.text.slice(0, 300)}`;
  assert.ok(ALLOWED_STATUS.has(answer.status), `documented status: ${where}`);
  assert.doesNotMatch(answer.text, /\n\s+at |node_modules|\.ts:\d+/, `no stack trace: ${where}`);
  if (sample.method === 'HEAD' || answer.status === 204 || !answer.contentType.includes('json')) return;
  const body = JSON.parse(answer.text) as { errors?: Array<{ message?: unknown; extensions?: { code?: unknown } }> };
  for (const error of body.errors ?? []) {
    const code = String(error.extensions?.code);
    assert.ok(code in ERROR_CODES && code !== 'INTERNAL_SERVER_ERROR', `documented code ${code}: ${where}`);
    assert.equal(typeof error.message, 'string', where);
    const documented = ERROR_CODES[code as keyof typeof ERROR_CODES].status;
    if (answer.status >= 400) assert.equal(answer.status, documented, `a refusal's status is its code's: ${where}`);
  }
}

test('generated requests get documented 4xx/2xx answers, never a 5xx, a stack or a hang', async () => {
  await fc.assert(
    fc.asyncProperty(samples, async (sample) => {
      check(sample, await send(sample));
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  );
  const health = await fetch(`${demo.origin}/healthz`);
  assert.equal(health.status, 200, 'still serving');
});

test('a body cut off mid-way (the client hangs up) does not crash or wedge the gateway', async () => {
  for (let i = 0; i < 20; i += 1) {
    await new Promise<void>((resolve) => {
      const socket = connect(port, host, () => {
        socket.write(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"query": "{ me`);
        socket.end();
      });
      socket.on('close', () => resolve());
      socket.on('error', () => resolve());
      socket.resume();
    });
  }
  const { status, body } = await demo.query('{ product(upc: "3") { name } }');
  assert.equal(status, 200);
  assert.deepEqual(body.data, { product: { name: 'Glass' } });
});

// Hostile documents, generated: fragment graphs, deep nesting, repetition, huge variables. Each
// must get a documented 4xx within the time budget, and the gateway must keep answering.
const HOSTILE_RUNS = Math.max(10, Math.ceil(RUNS / 5));
/** Generous for a shared CI machine; bench/ and the e2e tests hold refusals to 100 ms. */
const BUDGET_MS = Number(process.env.FRONT_DOOR_BUDGET_MS ?? 1000);

/** A fragment graph whose expansion exceeds limits.maxFields: each fragment spreads the next at least twice, plus random spreads (back edges make cycles). */
const fragmentGraphs = fc.record({
  size: fc.integer({ min: 12, max: 60 }),
  extra: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 }),
  twice: fc.integer({ min: 2, max: 4 }),
}).map(({ size, extra, twice }) => {
  const spreads: string[][] = Array.from({ length: size }, (_, index) => (index + 1 < size ? Array.from({ length: twice }, () => `...F${index + 1}`) : ['__typename']));
  for (const [from, to] of extra) spreads[from % size]?.push(`...F${to % size}`);
  return `query { ...F0 } ${spreads.map((selections, index) => `fragment F${index} on Query { ${selections.join(' ')} }`).join(' ')}`;
});
const deepNesting = fc.record({ depth: fc.integer({ min: 101, max: 50_000 }), kind: fc.constantFrom('selection', 'list', 'object') }).map(({ depth, kind }) => {
  if (kind === 'selection') return `${'{ me '.repeat(depth)}${'}'.repeat(depth)}`;
  if (kind === 'list') return `{ product(upc: ${'['.repeat(depth)}1${']'.repeat(depth)}) { name } }`;
  return `{ product(upc: ${'{a: '.repeat(depth)}1${'}'.repeat(depth)}) { name } }`;
});
const repetition = fc.record({ count: fc.integer({ min: 31, max: 200_000 }), field: fc.constantFrom('name', 'reviews { body }', 'n: name', '__typename', '...on User { name }') })
  .map(({ count, field }) => `{ me { ${`${field} `.repeat(count)}} }`);
const documents = fc.oneof(fragmentGraphs, deepNesting, repetition).map((query) => JSON.stringify({ query }));
const hugeVariables = fc.oneof(
  fc.integer({ min: 101, max: 400_000 }).map((depth) => `{"query":"query($upc: ID!) { product(upc: $upc) { name } }","variables":{"upc":${'['.repeat(depth)}${']'.repeat(depth)}}}`),
  fc.integer({ min: 1000, max: 300_000 }).map((length) => JSON.stringify({ query: 'query($upc: ID!) { product(upc: $upc) { name } }', variables: { upc: Array.from({ length }, (_, index) => index) } })),
);

let openDemo: DemoGateway;

test('generated hostile documents get a documented 4xx within the time budget, and the gateway keeps answering', async () => {
  openDemo = await startDemoGateway();
  try {
    const url = openDemo.gateway.url;
    await fc.assert(
      fc.asyncProperty(fc.oneof(documents, hugeVariables), async (body) => {
        const started = performance.now();
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' }, body });
        const text = await response.text();
        const elapsed = performance.now() - started;
        const where = `${body.slice(0, 200)} -> ${response.status} ${text.slice(0, 300)}`;
        assert.ok(response.status >= 400 && response.status < 500, `a 4xx: ${where}`);
        assert.ok(elapsed < BUDGET_MS, `answered in ${elapsed.toFixed(0)} ms (budget ${BUDGET_MS}): ${where}`);
        check({ method: 'POST', path: '/graphql', headers: {}, body }, { status: response.status, contentType: response.headers.get('content-type') ?? '', text });
        const normal = await openDemo.query('{ me { name } }');
        assert.equal(normal.status, 200, `still answering after ${where}`);
      }),
      { numRuns: HOSTILE_RUNS, seed: SEED, endOnFailure: true },
    );
  } finally {
    await openDemo.close();
  }
});
