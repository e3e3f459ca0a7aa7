/**
 * A small router for the REST backends: routes are declared with their OpenAPI path template,
 * which is also what a call is recorded as, so tests count calls per endpoint.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog } from './call-log.js';
import { BodyError, closeServer, httpHeaderReader, listenOnLoopback, sendError } from './http.js';
import type { RunningSubgraph } from './running.js';

/** What a route handler gets. */
export interface RestRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** Values of the template's `{name}` segments. */
  params: Record<string, string>;
  query: URLSearchParams;
}

/** One endpoint: a method and an OpenAPI path template such as `/products/{upc}`. */
export interface RestRoute {
  method: 'GET' | 'POST';
  path: string;
  handle(request: RestRequest): void | Promise<void>;
}

/** Matches a path against a template; `null` when it does not match. */
function match(template: string, path: string): Record<string, string> | null {
  const expected = template.split('/');
  const actual = path.split('/');
  if (expected.length !== actual.length) return null;
  const params: Record<string, string> = {};
  for (const [index, part] of expected.entries()) {
    const value = actual[index] ?? '';
    if (part.startsWith('{') && part.endsWith('}')) {
      if (value === '') return null;
      try {
        params[part.slice(1, -1)] = decodeURIComponent(value);
      } catch {
        return null; // malformed percent-encoding: no resource can have that name
      }
    } else if (part !== value) {
      return null;
    }
  }
  return params;
}

/**
 * Starts a REST backend on loopback. Routes are tried in order, so a literal path
 * (`/products/batch`) must come before a template that would also match it.
 */
export async function startRestServer(options: {
  name: string;
  routes: readonly RestRoute[];
  log: CallLog;
  port: number;
}): Promise<RunningSubgraph> {
  const { name, routes, log } = options;

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    let route: RestRoute | undefined;
    let params: Record<string, string> | null = null;
    for (const candidate of routes) {
      params = candidate.method === method ? match(candidate.path, url.pathname) : null;
      if (params) {
        route = candidate;
        break;
      }
    }
    const query = Object.fromEntries(url.searchParams);
    const detail = {
      ...(params && Object.keys(params).length > 0 ? { params } : {}),
      ...(Object.keys(query).length > 0 ? { query } : {}),
    };
    log.record(`${method} ${route ? route.path : url.pathname}`, Object.keys(detail).length > 0 ? detail : undefined, httpHeaderReader(req.headers));
    if (!(await log.delayIfSlow())) return;
    if (log.mode === 'error') {
      sendError(res, 500, 'internal', `${name}: failure injected by failWith('error')`);
      return;
    }
    if (!route || !params) {
      sendError(res, 404, 'not_found', `${name} has no route ${method} ${url.pathname}`);
      return;
    }
    await route.handle({ req, res, params, query: url.searchParams });
  };

  const { server, port, connectionCount } = await listenOnLoopback((req, res) => {
    serve(req, res).catch((error: unknown) => {
      if (res.headersSent) return;
      if (error instanceof BodyError) sendError(res, error.status, error.error, error.message);
      else sendError(res, 500, 'internal', `${name}: ${error instanceof Error ? error.message : String(error)}`);
    });
  }, options.port);

  return log.running(name, `http://127.0.0.1:${port}`, () => closeServer(server), connectionCount);
}

/**
 * Reads a comma-separated list parameter (OpenAPI `style: form, explode: false`), skipping
 * empty items; `null` when the parameter is absent or lists nothing.
 */
export function parseList(value: string | null): string[] | null {
  const items = (value ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');
  return items.length > 0 ? items : null;
}
