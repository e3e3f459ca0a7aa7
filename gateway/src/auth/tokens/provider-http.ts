/**
 * The gateway's calls to a token provider (discovery, JWKS, introspection, the refresh grant):
 * a timeout on each, a cap on the answer's size (a provider's answer is read into memory), and
 * one error type for every way a call can fail, so callers decide in one place what a failure
 * means (keep stale keys, refuse the token, answer 503).
 */
import { request } from 'undici';

/** A provider call that did not produce a usable answer; the message names the URL, never a secret. */
export class ProviderCallError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProviderCallError';
  }
}

/** One call. `form` is sent as `application/x-www-form-urlencoded` (POST). */
export interface ProviderCall {
  url: string;
  timeoutMs: number;
  headers?: Record<string, string>;
  form?: Record<string, string>;
  /** Largest answer read, in bytes. Default 1 MiB. */
  maxBytes?: number;
}

/** The provider's answer: its status and its body parsed as JSON (`undefined` when it is not JSON). */
export interface ProviderAnswer {
  status: number;
  json: unknown;
}

const DEFAULT_MAX_BYTES = 1_048_576;

/**
 * Sends `call` and parses the answer as JSON. Resolves with any HTTP status; rejects with
 * `ProviderCallError` when the provider cannot be reached, does not answer within
 * `timeoutMs`, or sends more than `maxBytes`.
 */
export async function callProvider(call: ProviderCall): Promise<ProviderAnswer> {
  const maxBytes = call.maxBytes ?? DEFAULT_MAX_BYTES;
  const timeout = AbortSignal.timeout(call.timeoutMs);
  const headers: Record<string, string> = { accept: 'application/json', ...call.headers };
  let body: string | undefined;
  if (call.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(call.form).toString();
  }
  try {
    const response = await request(call.url, { method: body === undefined ? 'GET' : 'POST', headers, body, signal: timeout });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        response.body.destroy();
        throw new ProviderCallError(`${call.url} answered with more than ${maxBytes} bytes.`);
      }
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    let json: unknown;
    try {
      json = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, json };
  } catch (error) {
    if (error instanceof ProviderCallError) throw error;
    if (timeout.aborted) throw new ProviderCallError(`${call.url} did not answer within ${call.timeoutMs} ms.`, { cause: error });
    const code = (error as { code?: string } | null)?.code;
    throw new ProviderCallError(`${call.url} could not be reached${code ? ` (${code})` : ''}.`, { cause: error });
  }
}

/** Client authentication at a provider (RFC 6749 §2.3.1): the headers and form fields to add. */
export function clientAuthentication(
  client: { id: string; secret: string; authMethod: 'client_secret_basic' | 'client_secret_post' },
): { headers: Record<string, string>; form: Record<string, string> } {
  if (client.authMethod === 'client_secret_post') return { headers: {}, form: { client_id: client.id, client_secret: client.secret } };
  // RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded.
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+');
  const credentials = Buffer.from(`${encode(client.id)}:${encode(client.secret)}`).toString('base64');
  return { headers: { authorization: `Basic ${credentials}` }, form: {} };
}

/** True when `value` is a plain JSON object. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
