/**
 * The GraphQL over HTTP spec's rules, in one place: which response media type a client gets
 * (`Accept`), how a request's parameters are read (GET query string, POST JSON body with a
 * size limit), and which HTTP status a result gets. Every refusal is a `GatewayError` with
 * the documented code: 400 BAD_REQUEST, 405 METHOD_NOT_ALLOWED, 406 NOT_ACCEPTABLE,
 * 413 PAYLOAD_TOO_LARGE.
 */
import Negotiator from 'negotiator';
import getRawBody from 'raw-body';
import { GatewayError } from '../errors/index.js';
import type { GraphQLParams, HttpExchange, RequestParams } from './plugin.js';

/** The media types a GraphQL response can have. */
export type ResponseMediaType = 'application/graphql-response+json' | 'application/json';

// Order matters for ties (`*/*`, no preference): legacy clients get application/json.
const MEDIA_TYPES: ResponseMediaType[] = ['application/json', 'application/graphql-response+json'];

/**
 * The response media type for `accept`: the client's preference among the two the spec
 * defines; `application/json` when it states none. A client accepting neither gets 406.
 */
export function negotiateMediaType(accept: string | undefined): ResponseMediaType {
  if (accept === undefined || accept.trim() === '') return 'application/json';
  const chosen = new Negotiator({ headers: { accept } }).mediaType(MEDIA_TYPES) as ResponseMediaType | undefined;
  if (chosen === undefined) {
    throw new GatewayError('NOT_ACCEPTABLE', `The Accept header allows neither application/graphql-response+json nor application/json; received ${JSON.stringify(accept.slice(0, 200))}.`);
  }
  return chosen;
}

/**
 * The HTTP status of a GraphQL result. A document that fails to parse or validate, or
 * variables that fail coercion, get 400 with `application/graphql-response+json` and 200 with
 * legacy `application/json` (whose clients read errors from the body, as the spec says).
 * Every result of an operation that ran is 200, errors or not.
 */
export function resultStatus(mediaType: ResponseMediaType, documentFailure: boolean): number {
  return documentFailure && mediaType === 'application/graphql-response+json' ? 400 : 200;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)?.slice(0, 60)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as an optional JSON object parameter (`variables`, `extensions`). */
function objectParam(name: string, value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isPlainObject(value)) throw new GatewayError('BAD_REQUEST', `"${name}" must be a JSON object or null; received ${describe(value)}.`);
  return value;
}

const NO_QUERY = 'The request has no "query": send the GraphQL document as a string in "query".';

/** The names a persisted document's id may come under: GraphQL over HTTP's, then Relay's. */
const DOCUMENT_ID_PARAMS = ['documentId', 'doc_id', 'id'] as const;

/**
 * The persisted document id of a request, from whichever of `documentId`, `doc_id` and `id`
 * it sets (`read` gives each one's value); several must agree.
 */
function documentIdFrom(read: (name: string) => unknown): string | undefined {
  let found: { name: string; value: string } | undefined;
  for (const name of DOCUMENT_ID_PARAMS) {
    const value = read(name);
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || value === '') throw new GatewayError('BAD_REQUEST', `"${name}" must be a non-empty string (a persisted document's id); received ${describe(value)}.`);
    if (found !== undefined && found.value !== value) throw new GatewayError('BAD_REQUEST', `"${found.name}" and "${name}" name different persisted documents; send one id.`);
    found ??= { name, value };
  }
  return found?.value;
}

/** The request names a document without sending it (a persisted one). */
function namesPersisted(documentId: string | undefined, extensions: Record<string, unknown> | undefined): boolean {
  return documentId !== undefined || extensions?.persistedQuery !== undefined;
}

/**
 * The parameters the pipeline runs with, once `onParams` had its say: a request that still has
 * no document is refused.
 */
export function toGraphQLParams(params: RequestParams): GraphQLParams {
  if (params.query === undefined) throw new GatewayError('BAD_REQUEST', NO_QUERY);
  return { query: params.query, operationName: params.operationName, variables: params.variables, extensions: params.extensions };
}

/** The parameters of a JSON body, checked field by field. */
export function paramsFromBody(body: unknown): RequestParams {
  if (Array.isArray(body)) throw new GatewayError('BAD_REQUEST', 'Batched requests (a JSON array) are not supported; send one JSON object per request.');
  if (!isPlainObject(body)) throw new GatewayError('BAD_REQUEST', `The POST body must be a JSON object with a "query" field; received ${describe(body)}.`);
  const { query, operationName } = body;
  const documentId = documentIdFrom((name) => body[name]);
  const extensions = objectParam('extensions', body.extensions);
  if ((query === undefined || query === null) && !namesPersisted(documentId, extensions)) throw new GatewayError('BAD_REQUEST', NO_QUERY);
  if (query !== undefined && query !== null && typeof query !== 'string') throw new GatewayError('BAD_REQUEST', `"query" must be a string; received ${describe(query)}.`);
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    throw new GatewayError('BAD_REQUEST', `"operationName" must be a string or null; received ${describe(operationName)}.`);
  }
  return {
    query: typeof query === 'string' ? query : undefined,
    documentId,
    operationName: typeof operationName === 'string' && operationName !== '' ? operationName : undefined,
    variables: objectParam('variables', body.variables),
    extensions,
  };
}

/**
 * The first nesting depth of `[` and `{` in the JSON `text` that passes `max`, or undefined.
 * One loop over the characters (strings skipped), run before JSON.parse: V8 takes some 400 ms
 * to build a megabyte of nested arrays, and nothing a client sends needs more than a few levels.
 */
export function jsonNestingOver(text: string, max: number): number | undefined {
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 0x22 /* " */) {
      for (index++; index < text.length; index++) {
        const inner = text.charCodeAt(index);
        if (inner === 0x5c /* \ */) index++;
        else if (inner === 0x22) break;
      }
    } else if (code === 0x5b /* [ */ || code === 0x7b /* { */) {
      if (++depth > max) return depth;
    } else if (code === 0x5d /* ] */ || code === 0x7d /* } */) {
      depth--;
    }
  }
  return undefined;
}

function checkNesting(what: string, text: string, max: number | undefined): void {
  const found = max === undefined ? undefined : jsonNestingOver(text, max);
  if (found !== undefined) throw new GatewayError('BAD_REQUEST', `${what} nests JSON ${found} levels deep, over the limit of ${max} (limits.maxNesting).`);
}

function jsonParam(name: string, text: string | null, maxNesting?: number): unknown {
  if (text === null || text === '') return undefined;
  checkNesting(`The "${name}" query parameter`, text, maxNesting);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new GatewayError('BAD_REQUEST', `The "${name}" query parameter is not valid JSON.`);
  }
}

/** The parameters of a GET request's query string; JSON nested deeper than `maxNesting` is refused. */
export function paramsFromSearch(search: URLSearchParams, maxNesting?: number): RequestParams {
  const query = search.get('query');
  const documentId = documentIdFrom((name) => search.get(name) ?? undefined);
  const extensions = objectParam('extensions', jsonParam('extensions', search.get('extensions'), maxNesting));
  const hasQuery = query !== null && query !== '';
  if (!hasQuery && !namesPersisted(documentId, extensions)) throw new GatewayError('BAD_REQUEST', 'A GraphQL GET request needs a "query" parameter holding the document.');
  const operationName = search.get('operationName');
  return {
    query: hasQuery ? query : undefined,
    documentId,
    operationName: operationName === null || operationName === '' ? undefined : operationName,
    variables: objectParam('variables', jsonParam('variables', search.get('variables'), maxNesting)),
    extensions,
  };
}

/** Reads a POST body as UTF-8 text within `limit` bytes (413 beyond it). */
async function readBody(exchange: HttpExchange, limit: number): Promise<string> {
  try {
    return await getRawBody(exchange.req, { limit, encoding: 'utf8', length: exchange.req.headers['content-length'] });
  } catch (error) {
    if ((error as { type?: string }).type === 'entity.too.large') {
      throw new GatewayError('PAYLOAD_TOO_LARGE', `The request body is larger than the limit of ${limit} bytes (server.bodyLimitBytes).`);
    }
    throw new GatewayError('BAD_REQUEST', 'The request body could not be read (it ended early or its length does not match Content-Length).');
  }
}

/**
 * Reads the GraphQL parameters of a GET or POST request. Other methods get 405 with an
 * `Allow` header; a POST body over `bodyLimit` bytes gets 413; JSON nested deeper than
 * `maxNesting` (`limits.maxNesting`, when the limits are on) gets 400 before it is parsed.
 */
export async function readParams(exchange: HttpExchange, bodyLimit: number, maxNesting?: number): Promise<RequestParams> {
  if (exchange.method === 'GET') return paramsFromSearch(exchange.url.searchParams, maxNesting);
  if (exchange.method !== 'POST') {
    throw new GatewayError('METHOD_NOT_ALLOWED', `GraphQL requests use GET or POST; received ${exchange.method.slice(0, 20)}.`, {}, { headers: { allow: 'GET, POST' } });
  }
  const text = await readBody(exchange, bodyLimit);
  if (text.trim() === '') throw new GatewayError('BAD_REQUEST', 'The POST body is empty; send a JSON object with a "query" field.');
  checkNesting('The request body', text, maxNesting);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new GatewayError('BAD_REQUEST', `The request body is not valid JSON: ${(error as Error).message.slice(0, 200)}.`);
  }
  return paramsFromBody(body);
}
