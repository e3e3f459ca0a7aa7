/**
 * GraphiQL in a real browser: headless Chromium (Debian's, never a downloaded one) opens the
 * gateway's GraphQL path, gets the page and its bundled assets from the gateway alone, renders
 * the editor, runs a query with the run button and shows the answer the demo backends gave.
 *
 * Set OPENCLAW_GRAPHIQL_SCREENSHOT=/tmp/graphiql.png to keep a screenshot of the final page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { startDemoGateway } from '../support/demo-gateway.js';

const CHROMIUM = '/usr/bin/chromium';
/** No internet here: besides headless, these flags stop Chromium from calling Google by itself. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOT = process.env.OPENCLAW_GRAPHIQL_SCREENSHOT ?? '';
const QUERY = '{ product(upc: "1") { name inStock } }';

/** What the page did, gathered from the browser's events. */
interface PageLog {
  /** Every request, as `METHOD url`. */
  requests: string[];
  /** Bodies of the POSTs to the GraphQL path (GraphiQL's introspection, then each run). */
  posted: string[];
  /** Requests to any origin other than the gateway's. */
  foreign: string[];
  /** Requests that failed at the network level or got an HTTP error. */
  failed: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** console.error output, which includes CSP refusals and failed resource loads. */
  consoleErrors: string[];
}

function watch(page: Page, origin: string, graphqlUrl: string): PageLog {
  const log: PageLog = { requests: [], posted: [], foreign: [], failed: [], pageErrors: [], consoleErrors: [] };
  page.on('pageerror', (error) => log.pageErrors.push(String(error)));
  page.on('console', (message) => {
    const url = message.location().url;
    if (message.type() === 'error') log.consoleErrors.push(`${message.text()} (${url})`);
  });
  page.on('request', (request) => {
    const url = request.url();
    log.requests.push(`${request.method()} ${url}`);
    if (request.method() === 'POST' && url === graphqlUrl) log.posted.push(request.postData() ?? '');
    // data: URLs (GraphiQL's inline icons and fonts) never leave the page.
    if (!url.startsWith('data:') && !(URL.canParse(url) && new URL(url).origin === origin)) log.foreign.push(url);
  });
  page.on('requestfailed', (request) => log.failed.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'failed'}`));
  page.on('response', (response) => {
    if (response.status() >= 400) log.failed.push(`${response.request().method()} ${response.url()}: HTTP ${response.status()}`);
  });
  return log;
}

/** The tsconfig has no DOM lib: the little of `document` the page scripts below use. */
type Doc = { querySelector(selector: string): unknown };

test('GraphiQL works in a real browser, served only by the gateway', { skip: existsSync(CHROMIUM) || process.env.CI ? false : `no browser at ${CHROMIUM} (apt-get install chromium; CI never skips)`, timeout: 30_000 }, async (t) => {
  const demo = await startDemoGateway();
  let browser: Browser | undefined;
  let page: Page | undefined;
  let log: PageLog | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    log = watch(page, demo.origin, demo.gateway.url);

    const response = await page.goto(demo.gateway.url, { waitUntil: 'load' });
    assert.equal(response?.status(), 200);
    assert.match((await response?.headerValue('content-type')) ?? '', /^text\/html/);

    // (2) GraphiQL rendered, with its query editor (CodeMirror mounts after the first render).
    await page.waitForSelector('.graphiql-container', { timeout: 10_000 });
    await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 10_000 });

    // (3) Replace the query, run it with the run button, see the answer in the result pane.
    demo.resetCalls();
    await page.evaluate((query) => {
      const doc = (globalThis as unknown as { document: Doc }).document;
      const editor = doc.querySelector('.graphiql-query-editor .CodeMirror') as { CodeMirror: { setValue(value: string): void } } | null;
      if (editor === null) throw new Error('no query editor');
      editor.CodeMirror.setValue(query);
    }, QUERY);
    await page.click('.graphiql-execute-button');
    await page.locator('.graphiql-response .result-window').filter({ hasText: 'Table' }).waitFor({ timeout: 10_000 });
    const shown = await page.evaluate(() => {
      const doc = (globalThis as unknown as { document: Doc }).document;
      const editor = doc.querySelector('.graphiql-response .result-window .CodeMirror') as { CodeMirror: { getValue(): string } } | null;
      return editor?.CodeMirror.getValue() ?? '';
    });
    assert.deepEqual(JSON.parse(shown), { data: { product: { name: 'Table', inStock: true } } });
    assert.ok(
      log.posted.some((body) => (JSON.parse(body) as { query?: unknown }).query === QUERY),
      "the editor's query was POSTed to the GraphQL path",
    );

    // (4) The answer came through the gateway from the products backend.
    assert.deepEqual(demo.subgraphs.products.calls, [{ operation: 'GET /products/{upc}', detail: { params: { upc: '1' } } }], 'the products backend was asked for product 1');

    if (SCREENSHOT !== '') await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // (1) Over the whole visit: nothing failed, nothing left the gateway's origin, no error.
    assert.deepEqual(log.pageErrors, [], 'no page errors');
    assert.deepEqual(log.failed, [], 'no failed requests');
    assert.deepEqual(log.foreign, [], `every request went to ${demo.origin}`);
    assert.deepEqual(log.consoleErrors, [], 'no console errors');
  } catch (error) {
    if (page !== undefined && SCREENSHOT !== '') await page.screenshot({ path: SCREENSHOT, fullPage: true }).catch(() => undefined);
    if (log !== undefined) t.diagnostic(`page log: ${JSON.stringify(log)}`);
    throw error;
  } finally {
    await browser?.close();
    await demo.close();
  }
});
