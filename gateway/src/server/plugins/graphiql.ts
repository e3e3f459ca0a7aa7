/**
 * GraphiQL on a browser's GET of the GraphQL path, served from the package's own files (the
 * gateway runs with no internet): React, ReactDOM and GraphiQL's UMD builds from node_modules.
 * A plugin: it answers the browser's navigation in `onRequest` and its files on a route.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError } from '../../errors/index.js';
import type { GatewayPlugin } from '../plugin.js';

/** URL prefix of GraphiQL's static files. */
export const GRAPHIQL_ASSETS_PREFIX = '/graphiql/';

const require = createRequire(import.meta.url);
const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

/** File name served -> [path on disk, content type]. Read lazily, kept in memory once read. */
const ASSETS: Record<string, [string, string]> = {
  'react.production.min.js': [join(packageDir('react'), 'umd', 'react.production.min.js'), 'text/javascript; charset=utf-8'],
  'react-dom.production.min.js': [join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'), 'text/javascript; charset=utf-8'],
  'graphiql.min.js': [join(packageDir('graphiql'), 'graphiql.min.js'), 'text/javascript; charset=utf-8'],
  'graphiql.min.css': [join(packageDir('graphiql'), 'graphiql.min.css'), 'text/css; charset=utf-8'],
};
const loaded = new Map<string, Buffer>();

/** The GraphiQL plugin for the GraphQL endpoint at `graphqlPath`. */
export function graphiqlPlugin(graphqlPath: string): GatewayPlugin {
  return {
    name: 'graphiql',
    routes: [
      {
        methods: ['GET'],
        path: GRAPHIQL_ASSETS_PREFIX,
        prefix: true,
        handle({ res, url }) {
          if (!sendGraphiQLAsset(res, url.pathname.slice(GRAPHIQL_ASSETS_PREFIX.length))) {
            throw new GatewayError('NOT_FOUND', `GraphiQL has no file ${url.pathname.slice(0, 200)}.`);
          }
        },
      },
    ],
    onRequest(exchange) {
      if (exchange.url.pathname !== graphqlPath || !wantsGraphiQL(exchange.req, exchange.url)) return;
      sendGraphiQL(exchange.res, graphqlPath);
      exchange.answered = true;
    },
  };
}

/** True when the request is a browser navigation to the GraphQL path (HTML wanted, no query). */
export function wantsGraphiQL(req: IncomingMessage, url: URL): boolean {
  return req.method === 'GET' && !url.searchParams.has('query') && (req.headers.accept ?? '').includes('text/html');
}

/** Sends the GraphiQL page, pointed at `graphqlPath`. */
export function sendGraphiQL(res: ServerResponse, graphqlPath: string): void {
  const asset = (name: string) => `${GRAPHIQL_ASSETS_PREFIX}${name}`;
  res.statusCode = 200;
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('content-security-policy', "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:");
  res.end(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>OpenClaw Gateway · GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset('graphiql.min.css')}">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="${asset('react.production.min.js')}"></script>
<script src="${asset('react-dom.production.min.js')}"></script>
<script src="${asset('graphiql.min.js')}"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: ${JSON.stringify(graphqlPath)} });
  const defaultQuery = '# Welcome to OpenClaw Gateway. Press the run button (or Ctrl-Enter).\\n{\\n  __typename\\n}\\n';
  ReactDOM.createRoot(document.getElementById('graphiql')).render(React.createElement(GraphiQL, { fetcher, defaultQuery, defaultEditorToolsVisibility: true }));
</script>
</body>
</html>`);
}

/** Serves one GraphiQL asset; false when `name` is not one. */
export function sendGraphiQLAsset(res: ServerResponse, name: string): boolean {
  const asset = ASSETS[name];
  if (asset === undefined) return false;
  let content = loaded.get(name);
  if (content === undefined) {
    content = readFileSync(asset[0]);
    loaded.set(name, content);
  }
  res.statusCode = 200;
  res.setHeader('content-type', asset[1]);
  res.setHeader('cache-control', 'public, max-age=86400');
  res.end(content);
  return true;
}
