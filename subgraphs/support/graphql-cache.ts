/**
 * A response cache in front of a GraphQL endpoint whose answers depend on nothing but the
 * request (the benchmark's subgraphs). A repeated request is answered with the stored bytes:
 * no JSON parsing, no execution, no serialisation. Under load the backend then costs next to
 * nothing and the CPU a benchmark measures is the gateway's, as with the benchmark's own
 * subgraphs, which are written in Rust.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Handler } from 'graphql-http';
import type { CallLog } from './call-log.js';
import type { DocumentCache } from './graphql-documents.js';
import { BodyError, httpHeaderReader, MAX_BODY_BYTES, sendError } from './http.js';

interface StoredResponse {
  operation: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

// When this many distinct requests are stored the cache starts over: a workload that never
// repeats (a per-request variable) then costs a bounded amount of memory.
const MAX_RESPONSES = 2000;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyError(413, 'payload_too_large', `request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// The operation a stored response is recorded under on each hit; derived once, on the miss.
function operationOf(body: string, documents: DocumentCache): string {
  try {
    const { query, operationName } = JSON.parse(body) as { query?: unknown; operationName?: unknown };
    if (typeof query !== 'string') return 'invalid request';
    return documents.describe(query, typeof operationName === 'string' ? operationName : null);
  } catch {
    return 'invalid request';
  }
}

function write(res: ServerResponse, stored: Omit<StoredResponse, 'operation'>): void {
  res.writeHead(stored.status, { ...stored.headers, 'content-length': stored.body.length });
  res.end(stored.body);
}

/**
 * Wraps graphql-http's transport-neutral `handler`: POSTs that succeed without errors are
 * stored by (accept header, body) and replayed; hits are still recorded in `log` under
 * `label`. Everything else goes to the handler unchanged.
 */
export function createCachingListener(options: {
  handler: Handler<IncomingMessage, undefined>;
  log: CallLog;
  label: string;
  documents: DocumentCache;
}): RequestListener {
  const { handler, log, label, documents } = options;
  const stored = new Map<string, StoredResponse>();

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const body = method === 'POST' ? await readBody(req) : null;
    const key = body === null || log.mode !== null ? null : `${req.headers.accept ?? ''}\n${body}`;
    const hit = key === null ? undefined : stored.get(key);
    if (hit) {
      log.record(hit.operation, undefined, httpHeaderReader(req.headers));
      write(res, hit);
      return;
    }
    const request = { method, url: req.url ?? '/', headers: req.headers, body, raw: req, context: undefined };
    const [answer, init] = await handler(request);
    const text = answer ?? '';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(init.headers ?? {})) if (value !== undefined) headers[name] = value;
    const response = { status: init.status, headers, body: Buffer.from(text) };
    write(res, response);
    if (key === null || init.status !== 200 || (JSON.parse(text) as { errors?: unknown }).errors !== undefined) return;
    if (stored.size >= MAX_RESPONSES) stored.clear();
    stored.set(key, { ...response, operation: label + operationOf(body ?? '', documents) });
  };

  return (req, res) => {
    serve(req, res).catch((error: unknown) => {
      if (res.headersSent) return;
      if (error instanceof BodyError) sendError(res, error.status, error.error, error.message);
      else sendError(res, 500, 'internal', error instanceof Error ? error.message : String(error));
    });
  };
}
