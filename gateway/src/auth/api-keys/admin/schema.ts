/**
 * The admin API's GraphQL schema: the CLI's operations (create, list, show, update, rotate,
 * revoke, usage) for tools such as the developer portal. Built with graphql-js from the SDL
 * below; each root field is one call of the lifecycle service. With the token service, it
 * also revokes bearer tokens (`revokeToken`, token-revocation.ts).
 */
import { buildSchema, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { GatewayError } from '../../../errors/index.js';
import { DURATION_SHAPE, parseDuration } from '../duration.js';
import { parseKeyRateLimit } from '../rate-policy.js';
import { recordToJson, type ApiKeyRecord } from '../record.js';
import type { ApiKeyService, CreateKeyInput, UpdateKeyInput } from '../service.js';
import type { TokenService } from '../../tokens/service.js';
import { revokeTokenResolver, TOKEN_ADMIN_SDL } from './token-revocation.js';

/** The schema's SDL (also in docs/api-keys.md). */
export const ADMIN_SDL = /* GraphQL */ `
  "An API key: its grant, its state and the prefixes that recognise it; never the key itself."
  type ApiKey {
    id: ID!
    name: String!
    owner: String
    environment: ApiKeyEnvironment!
    "Lookup prefix of the current key, e.g. ocw_live_AbCd1234 (not secret)."
    prefix: String!
    scopes: [String!]!
    "Root fields per window (every request counts at least 1)."
    rateLimit: RateLimit
    "Operation cost per window (the key's cost budget, docs/rate-limits.md)."
    costLimit: RateLimit
    "Normalised CIDRs; empty means any address."
    allowedIps: [String!]!
    "The key runs only the trusted documents of persistedDocuments.manifest."
    trustedDocumentsOnly: Boolean!
    "ISO 8601 times."
    expiresAt: String
    createdAt: String!
    updatedAt: String!
    lastUsedAt: String
    revokedAt: String
    status: ApiKeyStatus!
    "Keys replaced by rotations, newest first, and when each stops (or stopped) working."
    replaced: [ReplacedKey!]!
    usage(days: Int = 30): ApiKeyUsage!
  }

  enum ApiKeyStatus { ACTIVE EXPIRED REVOKED }
  enum ApiKeyEnvironment { LIVE TEST }

  type RateLimit {
    limit: Int!
    windowMs: Float!
    "As written: 100/min, 500/15min, 10/s."
    text: String!
  }

  type ReplacedKey {
    prefix: String!
    createdAt: String!
    endsAt: String!
  }

  type ApiKeyUsage {
    keyId: ID!
    "First UTC day counted (YYYY-MM-DD)."
    fromDay: String!
    requests: Float!
    errors: Float!
    lastUsedAt: String
    "Days with use, oldest first."
    days: [UsageDay!]!
  }

  type UsageDay {
    day: String!
    requests: Float!
    errors: Float!
  }

  "A new key: shown in this response only."
  type IssuedApiKey {
    key: String!
    apiKey: ApiKey!
  }

  input CreateApiKeyInput {
    name: String!
    owner: String
    scopes: [String!]
    "Requests per window: 100/min, 10/s, 5000/hour, 500/15min, 100000/day."
    rateLimit: String
    "Operation cost per window, same syntax: 5000/min."
    costLimit: String
    "IPv4 or IPv6 addresses or CIDRs."
    allowedIps: [String!]
    "Run only the trusted documents of persistedDocuments.manifest."
    trustedDocumentsOnly: Boolean = false
    "Expire after this long: 30d, 12h, 90m, 2s. Or give expiresAt."
    expiresIn: String
    "ISO 8601 time."
    expiresAt: String
    environment: ApiKeyEnvironment = LIVE
  }

  "Absent fields stay as they are; null clears owner, rateLimit, costLimit and expiresAt."
  input UpdateApiKeyInput {
    name: String
    owner: String
    scopes: [String!]
    rateLimit: String
    costLimit: String
    "Replaces the list; [] allows any address."
    allowedIps: [String!]
    trustedDocumentsOnly: Boolean
    expiresIn: String
    expiresAt: String
  }

  type Query {
    "Keys matching every filter given, newest first."
    apiKeys(name: String, owner: String, prefix: String, status: ApiKeyStatus, limit: Int = 100): [ApiKey!]!
    "The key with this id, or null."
    apiKey(id: ID!): ApiKey
    apiKeyUsage(id: ID!, days: Int = 30): ApiKeyUsage!
  }

  type Mutation {
    "The key is in this response only: store it."
    createApiKey(input: CreateApiKeyInput!): IssuedApiKey!
    updateApiKey(id: ID!, input: UpdateApiKeyInput!): ApiKey!
    "A new key for the same record; the old one works for grace (24h, 1h, 0; default from the config)."
    rotateApiKey(id: ID!, grace: String): IssuedApiKey!
    "Refused everywhere within a second. Final."
    revokeApiKey(id: ID!): ApiKey!
  }
`;

type Args = Record<string, unknown>;

function bad(message: string): GatewayError {
  return new GatewayError('BAD_USER_INPUT', message);
}

/** `rateLimit` and `costLimit`: the limiter's syntax; a bad value is BAD_USER_INPUT with the limiter's own message. */
function rate(value: unknown): CreateKeyInput['rateLimit'] {
  return parseKeyRateLimit(value === null || value === undefined ? null : String(value));
}

function duration(field: string, value: unknown, allowZero: boolean): number {
  const ms = parseDuration(String(value));
  if (ms === undefined || (!allowZero && ms === 0)) throw bad(`${field} must be ${DURATION_SHAPE}${allowZero ? '' : ', not 0'}; received ${JSON.stringify(value)}.`);
  return ms;
}

function time(field: string, value: unknown): number | null {
  if (value === null) return null;
  const ms = Date.parse(String(value));
  if (Number.isNaN(ms)) throw bad(`${field} must be an ISO 8601 time (e.g. "2030-01-31T00:00:00Z"); received ${JSON.stringify(value)}.`);
  return ms;
}

function expiry(input: Args): { expiresInMs?: number; expiresAt?: number | null } {
  if (input.expiresIn !== undefined && input.expiresIn !== null) return { expiresInMs: duration('expiresIn', input.expiresIn, false) };
  return 'expiresAt' in input ? { expiresAt: time('expiresAt', input.expiresAt) } : {};
}

/** A record as the `ApiKey` type reads it: JSON fields, enum values upper-cased. */
function apiKey(record: ApiKeyRecord): Record<string, unknown> {
  const json = recordToJson(record);
  return { ...json, status: record.status.toUpperCase(), environment: record.environment.toUpperCase() };
}

function usageJson(usage: Awaited<ReturnType<ApiKeyService['usage']>>): Record<string, unknown> {
  return { ...usage, lastUsedAt: usage.lastUsedAt === null ? null : new Date(usage.lastUsedAt).toISOString() };
}

/** The executable admin schema over `service`, and over `tokens` when given (else without `revokeToken`). */
export function createAdminSchema(service: ApiKeyService, tokens?: Pick<TokenService, 'revokeToken' | 'sharedRevocations'>): GraphQLSchema {
  const schema = buildSchema(tokens === undefined ? ADMIN_SDL : ADMIN_SDL + TOKEN_ADMIN_SDL);
  const resolvers: Record<string, Record<string, GraphQLFieldResolver<unknown, unknown, Args>>> = {
    Query: {
      apiKeys: async (_, args) => {
        const records = await service.list({
          ...(args.name == null ? {} : { name: String(args.name) }),
          ...(args.owner == null ? {} : { owner: String(args.owner) }),
          ...(args.prefix == null ? {} : { prefix: String(args.prefix) }),
          ...(args.status == null ? {} : { status: String(args.status).toLowerCase() as 'active' | 'expired' | 'revoked' }),
          limit: Number(args.limit ?? 100),
        });
        return records.map(apiKey);
      },
      apiKey: async (_, args) => {
        try {
          return apiKey(await service.show(String(args.id)));
        } catch (error) {
          if (error instanceof GatewayError && error.code === 'NOT_FOUND') return null;
          throw error;
        }
      },
      apiKeyUsage: async (_, args) => usageJson(await service.usage(String(args.id), { days: Number(args.days ?? 30) })),
    },
    Mutation: {
      createApiKey: async (_, args) => {
        const input = args.input as Args;
        const issued = await service.create({
          name: String(input.name),
          owner: input.owner == null ? null : String(input.owner),
          scopes: (input.scopes as string[] | null | undefined) ?? [],
          rateLimit: rate(input.rateLimit),
          costLimit: rate(input.costLimit),
          allowedIps: (input.allowedIps as string[] | null | undefined) ?? [],
          trustedDocumentsOnly: input.trustedDocumentsOnly === true,
          environment: input.environment === 'TEST' ? 'test' : 'live',
          ...expiry(input),
        });
        return { key: issued.key, apiKey: apiKey(issued.record) };
      },
      updateApiKey: async (_, args) => {
        const input = args.input as Args;
        const patch: UpdateKeyInput = {
          ...(input.name == null ? {} : { name: String(input.name) }),
          ...('owner' in input ? { owner: input.owner === null ? null : String(input.owner) } : {}),
          ...(input.scopes == null ? {} : { scopes: input.scopes as string[] }),
          ...('rateLimit' in input ? { rateLimit: rate(input.rateLimit) } : {}),
          ...('costLimit' in input ? { costLimit: rate(input.costLimit) } : {}),
          ...(input.allowedIps == null ? {} : { allowedIps: input.allowedIps as string[] }),
          ...(input.trustedDocumentsOnly == null ? {} : { trustedDocumentsOnly: input.trustedDocumentsOnly === true }),
          ...expiry(input),
        };
        return apiKey(await service.update(String(args.id), patch));
      },
      rotateApiKey: async (_, args) => {
        const graceMs = args.grace == null ? undefined : duration('grace', args.grace, true);
        const issued = await service.rotate(String(args.id), graceMs === undefined ? {} : { graceMs });
        return { key: issued.key, apiKey: apiKey(issued.record) };
      },
      revokeApiKey: async (_, args) => apiKey(await service.revoke(String(args.id))),
      ...(tokens === undefined ? {} : { revokeToken: revokeTokenResolver(tokens) }),
    },
    ApiKey: {
      usage: async (parent, args) => usageJson(await service.usage(String((parent as { id: string }).id), { days: Number(args.days ?? 30) })),
    },
  };
  for (const [typeName, fields] of Object.entries(resolvers)) {
    const type = schema.getType(typeName) as { getFields(): Record<string, { resolve?: unknown }> };
    for (const [fieldName, resolve] of Object.entries(fields)) {
      const field = type.getFields()[fieldName];
      if (field === undefined) throw new Error(`admin schema: no field ${typeName}.${fieldName} to resolve`);
      field.resolve = resolve;
    }
  }
  return schema;
}
