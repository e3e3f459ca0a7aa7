/**
 * An HTTP request as the pipeline's steps first see it (`HttpExchange`), made in one place for
 * every listener: the public one (pipeline.ts) and the admin API's own (admin-listener.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpExchange } from './plugin.js';

/**
 * The request URL: the path and query string of the request line, whatever its form. The
 * origin is a placeholder: `//host/x` stays a path (never a host), and an absolute-form target
 * (a proxy's) keeps only its path and query.
 */
export function requestUrl(target: string | undefined): URL {
  const url = new URL('http://gateway.local/');
  if (target === undefined || !target.startsWith('/')) {
    const parsed = target !== undefined && URL.canParse(target) ? new URL(target) : undefined;
    url.pathname = parsed?.pathname ?? '/*';
    url.search = parsed?.search ?? '';
    return url;
  }
  const question = target.indexOf('?');
  url.pathname = question < 0 ? target : target.slice(0, question);
  url.search = question < 0 ? '' : target.slice(question);
  return url;
}

/** The exchange of a request that has just arrived: no correlation id yet, the socket's peer as the client. */
export function newExchange(req: IncomingMessage, res: ServerResponse): HttpExchange {
  return {
    req,
    res,
    url: requestUrl(req.url),
    method: (req.method ?? 'GET').toUpperCase(),
    requestId: '',
    traceparent: undefined,
    clientIp: req.socket.remoteAddress ?? '',
    answered: false,
  };
}
