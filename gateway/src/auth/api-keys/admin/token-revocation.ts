/**
 * The admin API's token operation: `revokeToken`, beside the key operations, for the bearer
 * tokens the gateway accepts. It calls the token service's revocation list, which every
 * instance sharing Redis checks (docs/tokens.md, "Revocation").
 */
import type { GraphQLFieldResolver } from 'graphql';
import { GatewayError } from '../../../errors/index.js';
import { parseRevocation, RevocationInputError } from '../../tokens/revoke-input.js';
import type { TokenService } from '../../tokens/service.js';

/** The SDL the admin schema adds for tokens (also in docs/tokens.md). */
export const TOKEN_ADMIN_SDL = /* GraphQL */ `
  "Which gateway instances refuse a revoked token."
  enum RevocationReach {
    "Every instance sharing this gateway's Redis (store.redisUrl), within a second."
    EVERY_INSTANCE
    "This instance only (no Redis): revoke on each instance's admin API."
    THIS_INSTANCE
  }

  "A bearer token revoked by its jti."
  type RevokedToken {
    jti: String!
    "ISO 8601 time until which the token is refused (its exp; after it, it is refused anyway)."
    expiresAt: String!
    reach: RevocationReach!
  }

  extend type Mutation {
    """
    Refuses the bearer token whose "jti" claim is jti, from now until expiresAt (the token's
    exp: an ISO 8601 time or seconds since the epoch) or for expiresIn (1h, 30m, 7d): give one.
    """
    revokeToken(jti: String!, expiresAt: String, expiresIn: String): RevokedToken!
  }
`;

/** The resolver of `Mutation.revokeToken` over `tokens`; `now` is injectable for tests. */
export function revokeTokenResolver(
  tokens: Pick<TokenService, 'revokeToken' | 'sharedRevocations'>,
  now: () => number = Date.now,
): GraphQLFieldResolver<unknown, unknown, Record<string, unknown>> {
  const text = (value: unknown): string | undefined => (value === null || value === undefined ? undefined : String(value));
  return async (_, args) => {
    let revocation;
    try {
      revocation = parseRevocation({ jti: String(args.jti), expiresAt: text(args.expiresAt), expiresIn: text(args.expiresIn) }, now());
    } catch (error) {
      if (error instanceof RevocationInputError) throw new GatewayError('BAD_USER_INPUT', error.message, { field: error.field });
      throw error;
    }
    await tokens.revokeToken(revocation.jti, revocation.expiresAt);
    return {
      jti: revocation.jti,
      expiresAt: new Date(revocation.expiresAt * 1000).toISOString(),
      reach: tokens.sharedRevocations ? 'EVERY_INSTANCE' : 'THIS_INSTANCE',
    };
  };
}
