/**
 * The `WWW-Authenticate` value of a 401 (RFC 9110 §11.6.1: a 401 always says how to
 * authenticate): one challenge per credential the refused request could have used, the bearer
 * token's as RFC 6750 §3 writes it, the API key's in the same shape (there is no registered
 * scheme for API keys; `header` names where the key goes).
 */
import type { Credential } from './policy/evaluate.js';
import { bearerChallenge } from './tokens/www-authenticate.js';

/** The challenge for an API key. */
export const API_KEY_CHALLENGE = 'ApiKey realm="openclaw-gateway", header="x-api-key"';

/** The challenges for a request that lacked every one of `accepts`, comma-joined; bearer first. */
export function challengesFor(accepts: readonly Credential[]): string {
  const challenges: string[] = [];
  if (accepts.includes('bearer')) challenges.push(bearerChallenge());
  if (accepts.includes('apiKey')) challenges.push(API_KEY_CHALLENGE);
  return challenges.length === 0 ? bearerChallenge() : challenges.join(', ');
}
