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
 *
 * What a client can make the gateway do here is bounded: `requestsPerMinute` requests per client
 * address (on the one limiter; past it 429 `temporarily_unavailable` with `Retry-After`, and no
 * call to the provider), and at most `maxBodyBytes` of body read: a larger `Content-Length` is
 * answered 413 before reading anything, and a body that grows past the limit stops being read
 * at once (the connection is closed after the 413).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ResolvedTokenProvider } from '../../config/types.js';
import type { Logger } from '../../telemetry/logger.js';
import { rateLimitHeaders, type RateLimiter } from '../../traffic/rate-limit/index.js';
import { callProvider, clientAuthentication, isJsonObject, ProviderCallError } from './provider-http.js';

/** What the endpoint needs: the provider whose `client` it uses, and that provider's token endpoint. */
export interface RefreshEndpointOptions {
  provider: ResolvedTokenProvider;
  /** The provider's token endpoint (from discovery unless configured). */
  tokenEndpoint: () => Promise<string>;
  logger?: Logger;
  /** Largest request body read, in bytes. Default 16 KiB. */
  maxBodyBytes?: number;
  /** The one limiter, charged per client address for each request; without it requests are not limited. */
  limiter?: Pick<RateLimiter, 'consume'>;
  /** Requests per client address and minute (with `limiter`); 0: not limited. Default 30. */
  requestsPerMinute?: number;
}

/** A handler taking a node:http request from `clientIp` (default the socket's peer) and answering it. */
export type RefreshHandler = (req: IncomingMessage, res: ServerResponse, clientIp?: string) => Promise<void>;

/** The name of the per-client refresh policy in `RateLimit` headers. */
export const REFRESH_POLICY = 'token-refresh';

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

/**
 * The body as text, or `undefined` once it grows past `limit`: reading stops there (the rest is
 * never read; the caller answers 413 and the connection closes), so a client cannot make the
 * gateway take in more than `limit` bytes.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        done();
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error): void => {
      done();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
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

  const perMinute = options.limiter === undefined ? 0 : (options.requestsPerMinute ?? 30);
  const tooLarge = (res: ServerResponse): void =>
    oauthError(res, 413, 'invalid_request', `The body is larger than ${limit} bytes.`, { connection: 'close' });

  return async (req, res, clientIp = req.socket.remoteAddress ?? 'unknown') => {
    if (req.method !== 'POST') return oauthError(res, 405, 'invalid_request', 'The token endpoint takes POST requests.', { allow: 'POST' });
    if (perMinute > 0 && options.limiter !== undefined) {
      // The limiter's store (Redis) down: the bound is waived rather than every refresh refused.
      const decision = await options.limiter.consume(`refresh:${clientIp}`, { limit: perMinute, windowMs: 60_000 }, 1).catch(() => undefined);
      if (decision !== undefined && !decision.allowed) {
        const headers = rateLimitHeaders(REFRESH_POLICY, decision);
        return oauthError(res, 429, 'temporarily_unavailable', `Too many token requests from this address (${perMinute} a minute); retry in ${headers['retry-after'] ?? '60'} s.`, headers);
      }
    }
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      return oauthError(res, 415, 'invalid_request', 'The body must be application/x-www-form-urlencoded (RFC 6749 §3.2).');
    }
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return tooLarge(res);
    const body = await readBody(req, limit);
    if (body === undefined) return tooLarge(res);
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
