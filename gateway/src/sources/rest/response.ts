/**
 * What a REST source's answer means: a 2xx JSON body is the result; any other status is a
 * `GatewayError` with a stable code and `{ source, status }`. The upstream body is never
 * passed on verbatim (it may hold stack traces or secrets); only a short `message` of a 4xx
 * answer, which is usually written for the caller, is quoted.
 */
import { GatewayError, type ErrorCode } from '../../errors/index.js';
import type { UpstreamResponse } from '../../traffic/upstream/index.js';
import type { ErrorStatusMap } from './call.js';

/** The error code of an HTTP status a source answered (documented in docs/directives.md). */
export function httpErrorCode(status: number): ErrorCode {
  switch (status) {
    case 400:
    case 422:
      return 'BAD_USER_INPUT';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 429:
      return 'RATE_LIMITED';
    default:
      return 'UPSTREAM_ERROR';
  }
}

/** Longest upstream `message` quoted in an error. */
const MESSAGE_LIMIT = 200;

function headerValue(response: UpstreamResponse, name: string): string {
  const value = response.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

function isJsonType(contentType: string): boolean {
  const type = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return type === '' || type === 'application/json' || type.endsWith('+json');
}

/** The upstream's own `message`, when a 4xx body is JSON with a string `message`. */
function upstreamMessage(response: UpstreamResponse): string | undefined {
  if (response.status >= 500 || !isJsonType(headerValue(response, 'content-type'))) return undefined;
  try {
    const message = (JSON.parse(response.body) as { message?: unknown } | null)?.message;
    if (typeof message !== 'string' || message.trim() === '') return undefined;
    const text = message.trim();
    return text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}...` : text;
  } catch {
    return undefined;
  }
}

/**
 * Reads a source's answer: the parsed JSON of a 2xx body (null for an empty one,
 * `UPSTREAM_BAD_RESPONSE` for a body that is not JSON); otherwise the status's error, unless
 * `errorStatus` maps it to null (then null) or to another code. Messages name the source and
 * the status, never the call's method or path (they would map the backend for any client).
 */
export function readResponse(source: string, response: UpstreamResponse, errorStatus: ErrorStatusMap): unknown {
  const { status } = response;
  if (status >= 200 && status < 300) {
    if (response.body.trim() === '') return null;
    const contentType = headerValue(response, 'content-type');
    if (!isJsonType(contentType)) {
      throw new GatewayError('UPSTREAM_BAD_RESPONSE', `Source "${source}" answered with ${contentType.split(';', 1)[0]}, not JSON.`, { source, status });
    }
    try {
      return JSON.parse(response.body) as unknown;
    } catch {
      throw new GatewayError('UPSTREAM_BAD_RESPONSE', `Source "${source}" answered with a body that is not valid JSON.`, { source, status });
    }
  }
  const override = errorStatus.get(status);
  if (override === null) return null;
  const message = upstreamMessage(response);
  const text = `Source "${source}" answered HTTP ${status}.${message === undefined ? '' : ` Upstream message: "${message}".`}`;
  throw new GatewayError(override ?? httpErrorCode(status), text, { source, status });
}
