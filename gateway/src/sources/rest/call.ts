/**
 * One `@rest(...)` compiled at start-up into templates, and rendered per call into the
 * request sent upstream plus the key that makes identical GETs of one request one call.
 */
import { ERROR_CODES, GatewayError, type ErrorCode } from '../../errors/index.js';
import type { UpstreamRequest } from '../../traffic/upstream/index.js';
import { checkPlaceholders, schemaInvalid, type DirectiveField } from '../source-schema.js';
import { compileParams, compileTemplate, compileText, type ParamsTemplate, type Template, type TemplateScope, type TextTemplate } from '../template.js';
import type { SourceDefinition } from '../types.js';

/** HTTP method of a call (the `OpenClawHttpMethod` enum). */
export type HttpMethod = UpstreamRequest['method'];

/** `errorStatus` overrides: an HTTP status answered as null, or as another error code. */
export type ErrorStatusMap = ReadonlyMap<number, ErrorCode | null>;

/** A compiled `@rest`. */
export interface RestCall {
  readonly method: HttpMethod;
  readonly path: TextTemplate;
  readonly query: ParamsTemplate | undefined;
  readonly headers: ParamsTemplate | undefined;
  readonly body: Template | undefined;
  readonly errorStatus: ErrorStatusMap;
}

/** A rendered call: the request, its dedupe key and how the log names it (`GET /products/{args.upc}`). */
export interface RenderedCall {
  readonly request: UpstreamRequest;
  readonly cacheKey: string;
  readonly label: string;
}

const METHODS: ReadonlySet<string> = new Set<HttpMethod>(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * `errorStatus: [[404, null], [409, "BAD_USER_INPUT"]]`: pairs, because a GraphQL object
 * literal cannot have `404` as a key.
 */
function compileErrorStatus(definition: SourceDefinition, where: string, value: unknown): ErrorStatusMap {
  const map = new Map<number, ErrorCode | null>();
  if (value === undefined || value === null) return map;
  const expected = `expected pairs such as [[404, null], [409, "BAD_USER_INPUT"]], received ${JSON.stringify(value)}.`;
  if (!Array.isArray(value)) throw schemaInvalid(definition, `${where}: ${expected}`);
  for (const pair of value) {
    if (!Array.isArray(pair) || pair.length !== 2) throw schemaInvalid(definition, `${where}: ${expected}`);
    const [status, code] = pair as [unknown, unknown];
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 599) {
      throw schemaInvalid(definition, `${where}: ${JSON.stringify(status)} is not an HTTP error status (400-599).`);
    }
    if (code !== null && !(typeof code === 'string' && code in ERROR_CODES)) {
      throw schemaInvalid(definition, `${where}: ${JSON.stringify(code)} for ${status} is neither null nor an error code (${Object.keys(ERROR_CODES).join(', ')}).`);
    }
    map.set(status, code as ErrorCode | null);
  }
  return map;
}

/**
 * Compiles the `@rest` of `target`: templates parsed, placeholders checked against the
 * field's arguments. Throws `SCHEMA_INVALID` naming the file, field and argument.
 */
export function compileRestCall(definition: SourceDefinition, target: DirectiveField): RestCall {
  const where = (argument: string): string => `${target.coordinate} @rest(${argument}:)`;
  // template.ts has no definition at hand, so its errors get the file label up front.
  const full = (argument: string): string => `${definition.label}: ${where(argument)}`;
  const { method = 'GET', path, query, headers, body, errorStatus } = target.args;
  if (typeof method !== 'string' || !METHODS.has(method)) throw schemaInvalid(definition, `${where('method')}: unknown method ${JSON.stringify(method)}.`);
  if (typeof path !== 'string' || !path.startsWith('/') || path.includes('?')) {
    throw schemaInvalid(definition, `${where('path')}: path must start with "/" and hold no query string (use query:), received ${JSON.stringify(path)}.`);
  }
  const call: RestCall = {
    method: method as HttpMethod,
    path: compileText(path, full('path')),
    query: query === undefined || query === null ? undefined : compileParams(query, full('query')),
    headers: headers === undefined || headers === null ? undefined : compileParams(headers, full('headers')),
    body: body === undefined || body === null ? undefined : compileTemplate(body, full('body')),
    errorStatus: compileErrorStatus(definition, where('errorStatus'), errorStatus),
  };
  checkPlaceholders(definition, target, where('path'), call.path.placeholders);
  checkPlaceholders(definition, target, where('query'), call.query?.placeholders ?? []);
  checkPlaceholders(definition, target, where('headers'), call.headers?.placeholders ?? []);
  checkPlaceholders(definition, target, where('body'), call.body?.placeholders ?? []);
  return call;
}

/**
 * A segment that URL resolution reads as "this folder" or "the folder above" (RFC 3986
 * §5.2.4): `.` and `..`, and their percent-encoded spellings, which the WHATWG URL parser,
 * Go's ServeMux and nginx all decode before they resolve dot segments.
 */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * The path of a call with each interpolated value percent-encoded. A value cannot add a `/`
 * (it is encoded as `%2F`), so the rendered path has the template's segments one for one; a
 * segment that the values turned into a dot segment (`{ product(upc: "..") }` would make
 * `/products/..`, the collection's parent route) is refused as `BAD_USER_INPUT`: no encoding
 * of it is safe, since the backends that normalise paths decode `%2E` first.
 */
function renderPath(template: TextTemplate, scope: TemplateScope): string {
  const path = template.render(scope, encodeURIComponent);
  if (!path.includes('.') && !path.includes('%')) return path;
  const rendered = path.split('/');
  const written = template.source.split('/');
  for (const [index, segment] of rendered.entries()) {
    if (DOT_SEGMENT.test(segment) && segment !== written[index]) {
      throw new GatewayError('BAD_USER_INPUT', `A value sent in the source's URL path makes the path segment ${JSON.stringify(segment)}, which would address another route; "." and ".." are not accepted there.`);
    }
  }
  return path;
}

/**
 * Renders a call for one resolver invocation (the transport adds the per-request headers). A
 * GET's key is its method, path, query and the field's own headers (two fields asking the
 * same URL with different headers are different calls).
 */
export function renderCall(call: RestCall, scope: TemplateScope): RenderedCall {
  const path = renderPath(call.path, scope);
  const query = call.query?.render(scope, encodeURIComponent) ?? [];
  const search = query.map(([name, value]) => `${encodeURIComponent(name)}=${value}`).join('&');
  const fieldHeaders = call.headers?.render(scope) ?? [];
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of fieldHeaders) headers[name.toLowerCase()] = value;
  const rendered = call.body?.render(scope);
  const body = rendered === undefined ? undefined : JSON.stringify(rendered);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const target = search === '' ? path : `${path}?${search}`;
  return {
    request: { method: call.method, path: target, headers, ...(body !== undefined ? { body } : {}) },
    cacheKey: `${call.method} ${target}\n${JSON.stringify(fieldHeaders)}\n${body ?? ''}`,
    label: `${call.method} ${call.path.source}`,
  };
}
