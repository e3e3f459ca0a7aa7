/**
 * The node:http plumbing the HTTP backends share: binding to loopback, a close that does not
 * wait for idle keep-alive sockets, and JSON in and out.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HeaderReader } from './call-log.js';

/** Largest request body the demo backends read; a larger one is refused with 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Interface the demo backends bind: loopback, unless SUBGRAPH_HOST says otherwise (the
 * docker-compose services set 0.0.0.0 so that the gateway container can reach them).
 */
export const BIND_HOST = process.env.SUBGRAPH_HOST ?? '127.0.0.1';

/** Starts an HTTP server on 127.0.0.1 (`port` 0 picks a free one) and resolves with its port. */
export async function listenOnLoopback(
  listener: RequestListener,
  port: number,
): Promise<{ server: Server; port: number; connectionCount: () => number }> {
  const server = createServer(listener);
  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, BIND_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return { server, port: (server.address() as AddressInfo).port, connectionCount: () => connections };
}

/**
 * Stops accepting connections and destroys every open one. `server.close()` alone waits for
 * clients' idle keep-alive sockets to time out, which would stall test teardown for seconds.
 */
export async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/** Reads node:http request headers for the call record; repeated headers are joined with ", ". */
export function httpHeaderReader(headers: IncomingHttpHeaders): HeaderReader {
  return (name) => {
    const value = headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
}

/** Answers with a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Answers with the error shape every REST backend uses: `{ error, message }`. */
export function sendError(res: ServerResponse, status: number, error: string, message: string): void {
  sendJson(res, status, { error, message });
}

/** Why a request body could not be read; `status` is the HTTP status to answer with. */
export class BodyError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

/** Reads and parses a JSON request body; throws {@link BodyError} when too large or not JSON. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new BodyError(413, 'payload_too_large', `request body exceeds ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BodyError(400, 'invalid_json', 'request body is not valid JSON');
  }
}
