/**
 * The token endpoint for public clients (mobile apps, single-page apps): a client that cannot
 * keep a secret posts its refresh token here, and the gateway performs the refresh-token grant
 * (RFC 6749 §6) at the provider with its own client credentials, then relays the answer. The
 * client never holds a client secret; the provider still rotates refresh tokens and refuses a
 * reused one (its answer, `invalid_grant`, is relayed as it is).
 *
 * Only `grant_type=refresh_token` is accepted, as `application/x-www-form-urlencoded` (RFC 6749
 * §3.2) in a POST. Errors use the OAuth 2.0 shape `{ error, error_description }`; every answer
 * carries `Cache-Control: no-store` (RFC 6749 §5.1).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedTokenProvider } from '../../config/types.js';
import type { Logger } from '../../telemetry/logger.js';
import { callProvider, clientAuthentication, isJsonObject, ProviderCallError } from './provider-http.js';

/** What the endpoint needs: the provider whose `client` it uses, and that provider's token endpoint. */
export interface RefreshEndpointOptions {
  provider: ResolvedTokenProvider;
  /** The provider's token endpoint (from discovery unless configured). */
  tokenEndpoint: () => Promise<string>;
  logger?: Logger;
  /** Largest request body read, in bytes. Default 16 KiB. */
  maxBodyBytes?: number;
}

/** A handler taking a node:http request and answering it. */
export type RefreshHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const FORWARDED_FIELDS = ['refresh_token', 'scope'] as const;

function answer(res: ServerResponse, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function oauthError(res: ServerResponse, status: number, error: string, description: string, headers?: Record<string, string>): void {
  answer(res, status, { error, error_description: description }, headers);
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is read and dropped, so the client still gets the 413 answer.
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? undefined : Buffer.concat(chunks).toString('utf8');
}

/**
 * The refresh endpoint's handler. Answers 405 to anything but POST, 415 to a body that is not
 * form-encoded, 413 past the body limit, 400 `unsupported_grant_type` / `invalid_request` to
 * a request that is not a refresh-token grant, the provider's own status and body (access
 * token, rotated refresh token, or `invalid_grant`) otherwise, and 503 `temporarily_unavailable`
 * when the provider cannot be reached. A provider answer of `invalid_client` means the gateway's
 * own credentials are wrong: logged as an error, answered 500 `server_error`.
 */
export function createRefreshHandler(options: RefreshEndpointOptions): RefreshHandler {
  const { provider, logger } = options;
  const client = provider.client;
  if (client === undefined) throw new Error(`Provider "${provider.name}" has no client; the refresh endpoint needs one.`);
  const limit = options.maxBodyBytes ?? 16_384;

  return async (req, res) => {
    if (req.method !== 'POST') return oauthError(res, 405, 'invalid_request', 'The token endpoint takes POST requests.', { allow: 'POST' });
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      return oauthError(res, 415, 'invalid_request', 'The body must be application/x-www-form-urlencoded (RFC 6749 §3.2).');
    }
    const body = await readBody(req, limit);
    if (body === undefined) return oauthError(res, 413, 'invalid_request', `The body is larger than ${limit} bytes.`);
    const params = new URLSearchParams(body);
    for (const name of ['grant_type', ...FORWARDED_FIELDS]) {
      if (params.getAll(name).length > 1) return oauthError(res, 400, 'invalid_request', `The parameter ${name} is repeated.`);
    }
    const grantType = params.get('grant_type');
    if (grantType !== 'refresh_token') {
      return oauthError(res, 400, 'unsupported_grant_type', 'This endpoint performs the refresh_token grant only.');
    }
    const refreshToken = params.get('refresh_token');
    if (refreshToken === null || refreshToken === '') return oauthError(res, 400, 'invalid_request', 'The refresh_token parameter is missing.');

    const auth = clientAuthentication(client);
    const form: Record<string, string> = { grant_type: 'refresh_token', refresh_token: refreshToken, ...auth.form };
    const scope = params.get('scope');
    if (scope !== null && scope !== '') form.scope = scope;
    let status: number;
    let json: unknown;
    try {
      ({ status, json } = await callProvider({ url: await options.tokenEndpoint(), timeoutMs: provider.timeoutMs, headers: auth.headers, form }));
    } catch (error) {
      logger?.warn('refresh grant: provider unreachable', { provider: provider.name, error: error instanceof ProviderCallError ? error.message : String(error) });
      return oauthError(res, 503, 'temporarily_unavailable', 'The token provider cannot be reached; try again later.', { 'retry-after': '5' });
    }
    if (!isJsonObject(json)) {
      logger?.warn('refresh grant: provider answered without JSON', { provider: provider.name, status });
      return oauthError(res, 502, 'server_error', 'The token provider gave an answer the gateway cannot read.');
    }
    if (json.error === 'invalid_client' || status === 401) {
      logger?.error('refresh grant: the provider refused the gateway\'s own client credentials', { provider: provider.name, clientId: client.id });
      return oauthError(res, 500, 'server_error', 'The gateway is not configured correctly for this token provider.');
    }
    if (status >= 500) return oauthError(res, 503, 'temporarily_unavailable', 'The token provider failed; try again later.', { 'retry-after': '5' });
    return answer(res, status, json);
  };
}
