/**
 * The admin API over HTTP: GraphQL by POST with a JSON body, for the admin credential only
 * (`Authorization: Bearer <admin.token>`, compared in constant time). Standalone: the server
 * mounts `handle` on its own path (`/admin/graphql`) or port. Responses are never cached
 * (`cache-control: no-store`: created and rotated keys are in them).
 *
 * Failed authentications are throttled per client address with the one limiter: after
 * `failuresPerMinute` failures in a sliding minute, every request from that address gets 429
 * `RATE_LIMITED` with `Retry-After` until the oldest failure leaves the window, the right token
 * included, so the token cannot be guessed at speed. Successful requests cost nothing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { execute, parse, specifiedRules, validate, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import getRawBody from 'raw-body';
import { GatewayError, isGatewayError, type ErrorCode } from '../../../errors/index.js';
import type { Logger } from '../../../telemetry/logger.js';
import { rateLimitedError, rateLimitHeaders, type RateLimiter } from '../../../traffic/rate-limit/index.js';
import type { ApiKeyService } from '../service.js';
import type { TokenService } from '../../tokens/service.js';
import { createAdminSchema } from './schema.js';

/** What the admin API is built from. */
export interface AdminApiOptions {
  service: ApiKeyService;
  /** The token service: adds `revokeToken` to the API. */
  tokens?: Pick<TokenService, 'revokeToken' | 'sharedRevocations'>;
  /** The admin credential (`admin.token` / `OPENCLAW_ADMIN_TOKEN`); without it every request gets 401. */
  token?: string;
  /** Where unexpected errors are logged (masked for the client). */
  logger?: Logger;
  /** Largest request body, bytes. Default 1 MiB. */
  bodyLimitBytes?: number;
  /** Throttling of failed authentications per client address (admin.failuresPerMinute); 0 or absent: none. */
  throttle?: { limiter: Pick<RateLimiter, 'consume'>; failuresPerMinute: number };
}

/** The admin API: one request handler. */
export interface AdminApi {
  /**
   * Answers one HTTP request (any method; only POST runs GraphQL) from `clientIp` (the address
   * failures are counted against; default the socket's peer). Never rejects.
   */
  handle(req: IncomingMessage, res: ServerResponse, clientIp?: string): Promise<void>;
  readonly schema: GraphQLSchema;
}

const REALM = 'Bearer realm="openclaw-admin"';
/** The name of the failed-authentication policy in `RateLimit` headers and messages. */
export const ADMIN_FAILURE_POLICY = 'admin-auth';
const MINUTE_MS = 60_000;
const MASKED = 'Unexpected error in the admin API; the gateway log has the details.';

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.end(JSON.stringify(body));
}

function refuse(res: ServerResponse, code: ErrorCode, message: string, headers: Record<string, string> = {}): void {
  const error = new GatewayError(code, message);
  send(res, error.httpStatus, { errors: [{ message, extensions: { code } }] }, headers);
}

/** `createAdminApi({ service, token })`: the handler to mount on the admin path. */
export function createAdminApi(options: AdminApiOptions): AdminApi {
  const schema = createAdminSchema(options.service, options.tokens);
  const expected = options.token === undefined ? undefined : sha256(options.token);
  const limit = options.bodyLimitBytes ?? 1_048_576;

  // Both sides hashed first: equal lengths for timingSafeEqual, and no early exit on length.
  const authorized = (header: string | undefined): boolean => {
    if (expected === undefined || header === undefined) return false;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    return match?.[1] !== undefined && timingSafeEqual(sha256(match[1]), expected);
  };

  const mask = (error: GraphQLError): Record<string, unknown> => {
    const original = error.originalError;
    if (original === undefined || original === null || isGatewayError(original)) return error.toJSON() as unknown as Record<string, unknown>;
    options.logger?.error('Admin API error', { error: original.message, path: error.path?.join('.') });
    return { message: MASKED, ...(error.path ? { path: error.path } : {}), extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };

  const throttle = options.throttle !== undefined && options.throttle.failuresPerMinute > 0 ? options.throttle : undefined;
  const policy = { limit: throttle?.failuresPerMinute ?? 1, windowMs: MINUTE_MS };

  /** True (and answered 429) when `ip` has no failure left in the window. */
  const throttled = async (res: ServerResponse, ip: string, cost: 0 | 1): Promise<boolean> => {
    if (throttle === undefined) return false;
    // The limiter's store (Redis) down: admin requests are not held up by the throttle.
    const decision = await throttle.limiter.consume(`admin-auth:${ip}`, policy, cost).catch(() => undefined);
    if (decision === undefined) return false;
    if (decision.allowed && (cost === 1 || decision.remaining > 0)) return false;
    // A zero-cost look that finds the window full: refused as the next failure would be.
    const refused = decision.allowed ? { ...decision, allowed: false, retryAfterMs: decision.reset, reason: 'limit-reached' as const } : decision;
    const error = rateLimitedError(ADMIN_FAILURE_POLICY, refused);
    send(res, 429, { errors: [{ message: `Too many failed admin authentications from this address. ${error.message}`, extensions: { code: 'RATE_LIMITED', ...error.details } }] }, rateLimitHeaders(ADMIN_FAILURE_POLICY, refused));
    return true;
  };

  return {
    schema,
    async handle(req, res, clientIp = req.socket.remoteAddress ?? 'unknown') {
      try {
        if (await throttled(res, clientIp, 0)) return;
        if (expected === undefined) {
          refuse(res, 'UNAUTHENTICATED', 'The admin API is disabled: no admin token is configured (admin.token or OPENCLAW_ADMIN_TOKEN).', { 'www-authenticate': REALM });
          return;
        }
        if (!authorized(req.headers.authorization)) {
          if (await throttled(res, clientIp, 1)) return;
          const message = req.headers.authorization === undefined
            ? 'The admin API needs the admin token: send "Authorization: Bearer <token>".'
            : 'The admin token is not valid.';
          refuse(res, 'UNAUTHENTICATED', message, { 'www-authenticate': `${REALM}${req.headers.authorization === undefined ? '' : ', error="invalid_token"'}` });
          return;
        }
        if (req.method !== 'POST') {
          refuse(res, 'METHOD_NOT_ALLOWED', `The admin API takes POST only; received ${req.method ?? 'no method'}.`, { allow: 'POST' });
          return;
        }
        const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
        if (type !== 'application/json') {
          refuse(res, 'UNSUPPORTED_MEDIA_TYPE', `The admin API takes Content-Type application/json; received ${JSON.stringify(type ?? '')}.`);
          return;
        }
        let raw: string;
        try {
          raw = await getRawBody(req, { limit, encoding: 'utf8' });
        } catch (error) {
          if ((error as { type?: string }).type === 'entity.too.large') refuse(res, 'PAYLOAD_TOO_LARGE', `The request body is larger than ${limit} bytes.`);
          else refuse(res, 'BAD_REQUEST', 'The request body could not be read.');
          return;
        }
        let body: { query?: unknown; variables?: unknown; operationName?: unknown };
        try {
          body = JSON.parse(raw) as typeof body;
        } catch {
          refuse(res, 'BAD_REQUEST', 'The request body is not valid JSON.');
          return;
        }
        if (typeof body !== 'object' || body === null || typeof body.query !== 'string') {
          refuse(res, 'BAD_REQUEST', 'The request body must be a JSON object with a "query" string.');
          return;
        }
        const variables = body.variables ?? undefined;
        if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
          refuse(res, 'BAD_REQUEST', '"variables" must be a JSON object.');
          return;
        }
        let document: DocumentNode;
        try {
          document = parse(body.query);
        } catch (error) {
          send(res, 400, { errors: [{ message: (error as Error).message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] });
          return;
        }
        const invalid = validate(schema, document, specifiedRules);
        if (invalid.length > 0) {
          send(res, 400, { errors: invalid.map((error) => ({ ...error.toJSON(), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } })) });
          return;
        }
        const result = await execute({
          schema,
          document,
          variableValues: (variables ?? undefined) as Record<string, unknown> | undefined,
          operationName: typeof body.operationName === 'string' ? body.operationName : undefined,
        });
        send(res, 200, { ...(result.errors ? { errors: result.errors.map(mask) } : {}), data: result.data ?? null });
      } catch (error) {
        options.logger?.error('Admin API error', { error: error instanceof Error ? error.message : String(error) });
        if (!res.headersSent) refuse(res, 'INTERNAL_SERVER_ERROR', MASKED);
        else res.destroy();
      }
    },
  };
}
