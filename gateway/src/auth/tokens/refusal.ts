/**
 * Why a bearer token was refused. Every refusal is a `GatewayError('UNAUTHENTICATED')` (HTTP
 * 401) whose `details.reason` is one of these stable words, so clients, logs and the
 * `WWW-Authenticate` challenge can tell an expired token from a forged one without parsing the
 * message. Messages never contain the token.
 */
import { GatewayError, isGatewayError } from '../../errors/index.js';

/** Stable reasons for refusing a token (docs/tokens.md lists them). */
export type TokenRefusalReason =
  | 'malformed'
  | 'too_large'
  | 'unknown_issuer'
  | 'algorithm_not_allowed'
  | 'critical_header'
  | 'unknown_key'
  | 'keys_unavailable'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_audience'
  | 'wrong_type'
  | 'claim_invalid'
  | 'sender_constrained'
  | 'revoked'
  | 'inactive'
  | 'introspection_failed';

/** The error for a token refused for `reason`; `message` says what was wrong, for a person. */
export function tokenRefused(reason: TokenRefusalReason, message: string, cause?: unknown): GatewayError {
  return new GatewayError('UNAUTHENTICATED', message, { reason }, cause === undefined ? undefined : { cause });
}

/** The refusal reason of `error`, when it is a token refusal. */
export function refusalReason(error: unknown): TokenRefusalReason | undefined {
  if (!isGatewayError(error) || error.code !== 'UNAUTHENTICATED') return undefined;
  const reason = error.details.reason;
  return typeof reason === 'string' ? (reason as TokenRefusalReason) : undefined;
}
