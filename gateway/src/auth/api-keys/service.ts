/**
 * The key lifecycle: create (the key is returned once, never stored), list and search, show,
 * update, rotate, revoke, usage. The CLI and the admin API are thin layers over this service;
 * so is any code that manages keys. Every write lands in the store (with its change-log entry)
 * and is then announced on the change feed, so every gateway instance drops its cached copy.
 */
import { GatewayError } from '../../errors/index.js';
import type { KeyEnvironment, KeyPatch, KeyQuery, Store, StoredApiKey, UsageDay } from '../../store/types.js';
import type { RateLimitPolicy } from '../principal.js';
import type { KeyChangeFeed } from './changes.js';
import type { KeyDigester } from './digest.js';
import { MAX_DURATION_MS } from './duration.js';
import { generateKey, generateKeyId, LOOKUP_PREFIX_LENGTH } from './format.js';
import { toRecord, type ApiKeyRecord } from './record.js';
import { checkAllowedIps, checkExpiry, checkName, checkOwner, checkRateLimit, checkScopes } from './validate.js';

/** A new key: the plaintext, shown this once, and its record. */
export interface IssuedKey {
  readonly key: string;
  readonly record: ApiKeyRecord;
}

/** What a new key is given. Only `name` is required. */
export interface CreateKeyInput {
  readonly name: string;
  readonly owner?: string | null;
  /** Default none: the key passes `@apiKey` but no `@apiKey(scopes: ...)`. */
  readonly scopes?: readonly string[];
  /** Default none (no per-key limit). */
  readonly rateLimit?: RateLimitPolicy | null;
  /** Cost units per window (the key's cost budget); default none. */
  readonly costLimit?: RateLimitPolicy | null;
  /** IPv4/IPv6 addresses or CIDRs; default any address. */
  readonly allowedIps?: readonly string[];
  /** Run only trusted documents (persistedDocuments.manifest). Default false. */
  readonly trustedDocumentsOnly?: boolean;
  /** Absolute expiry (ms since the epoch); or use `expiresInMs`. Default never. */
  readonly expiresAt?: number | null;
  /** Expiry relative to now, ms. */
  readonly expiresInMs?: number;
  /** `live` (default, `ocw_live_...`) or `test` (`ocw_test_...`). */
  readonly environment?: KeyEnvironment;
}

/** What `update` may change; absent fields stay. `null` clears owner, rate limit, cost limit or expiry. */
export interface UpdateKeyInput {
  readonly name?: string;
  readonly owner?: string | null;
  readonly scopes?: readonly string[];
  readonly rateLimit?: RateLimitPolicy | null;
  readonly costLimit?: RateLimitPolicy | null;
  /** Replaces the whole list; `[]` allows any address. */
  readonly allowedIps?: readonly string[];
  readonly trustedDocumentsOnly?: boolean;
  readonly expiresAt?: number | null;
  readonly expiresInMs?: number;
}

/** A key's usage over a number of days (UTC), today included. */
export interface KeyUsage {
  readonly keyId: string;
  readonly fromDay: string;
  readonly requests: number;
  readonly errors: number;
  readonly lastUsedAt: number | null;
  /** Oldest first; days without use are absent. */
  readonly days: readonly UsageDay[];
}

/** The lifecycle operations. Errors: `BAD_USER_INPUT` (a bad value), `NOT_FOUND` (no such id), `STORE_UNAVAILABLE`. */
export interface ApiKeyService {
  create(input: CreateKeyInput): Promise<IssuedKey>;
  /** Keys matching `query` (name substring, owner, prefix, status), newest first. */
  list(query?: KeyQuery): Promise<ApiKeyRecord[]>;
  show(id: string): Promise<ApiKeyRecord>;
  update(id: string, input: UpdateKeyInput): Promise<ApiKeyRecord>;
  /**
   * A new key with the same id and grant; the old one keeps working for `graceMs` (default:
   * `apiKeys.rotationGraceMs`; 0 ends it now), never past the key's own expiry.
   */
  rotate(id: string, options?: { graceMs?: number }): Promise<IssuedKey>;
  /** Refused at once everywhere (within a second on other instances). Revoking twice is harmless. */
  revoke(id: string): Promise<ApiKeyRecord>;
  /** Usage over the last `days` days (default 30, at most 366). */
  usage(id: string, options?: { days?: number }): Promise<KeyUsage>;
}

/** What the service is built from. */
export interface ServiceOptions {
  store: Store;
  digester: KeyDigester;
  /** Announces writes to other instances; without it they learn through the store's change counter. */
  changes?: Pick<KeyChangeFeed, 'announce'>;
  /** Default `Date.now`. */
  clock?: () => number;
  /** Grace of `rotate` without `graceMs`, ms. */
  defaultGraceMs: number;
  /** Told when a write could not be announced (it is saved; instances see it at their next store check). */
  onAnnounceError?: (error: unknown, keyId: string) => void;
}

const DAY_MS = 86_400_000;

function notFound(id: string): GatewayError {
  return new GatewayError('NOT_FOUND', `No API key has the id ${JSON.stringify(id)}.`);
}

function expiryFrom(input: { expiresAt?: number | null; expiresInMs?: number }, now: number): number | null | undefined {
  if (input.expiresInMs !== undefined) {
    if (!Number.isSafeInteger(input.expiresInMs) || input.expiresInMs <= 0 || input.expiresInMs > MAX_DURATION_MS) {
      throw new GatewayError('BAD_USER_INPUT', `expires in must be a positive duration of at most 100 years; received ${input.expiresInMs} ms.`);
    }
    return now + input.expiresInMs;
  }
  return input.expiresAt;
}

/** The lifecycle service over `options.store`. */
export function createApiKeyService(options: ServiceOptions): ApiKeyService {
  const { store, digester } = options;
  const clock = options.clock ?? Date.now;

  const newSecret = (environment: KeyEnvironment, now: number) => {
    const key = generateKey(environment);
    const digest = digester.digest(key) as Buffer;
    return { key, secret: { prefix: key.slice(0, LOOKUP_PREFIX_LENGTH), digest: digest.toString('hex'), scheme: digester.scheme, createdAt: now, validUntil: null } };
  };

  const announce = async (keyId: string): Promise<void> => {
    try {
      await options.changes?.announce(keyId);
    } catch (error) {
      options.onAnnounceError?.(error, keyId);
    }
  };

  const existing = async (id: string): Promise<StoredApiKey> => {
    const key = await store.getKey(id);
    if (key === undefined) throw notFound(id);
    return key;
  };

  return {
    async create(input) {
      const now = clock();
      const environment = input.environment ?? 'live';
      const { key, secret } = newSecret(environment, now);
      const stored: StoredApiKey = {
        id: generateKeyId(),
        name: checkName(input.name),
        owner: checkOwner(input.owner ?? null),
        environment,
        scopes: checkScopes(input.scopes ?? []),
        rateLimit: checkRateLimit(input.rateLimit ?? null),
        costLimit: checkRateLimit(input.costLimit ?? null, 'cost limit'),
        allowedIps: checkAllowedIps(input.allowedIps ?? []),
        trustedDocumentsOnly: input.trustedDocumentsOnly === true,
        expiresAt: checkExpiry(expiryFrom(input, now) ?? null, now),
        createdAt: now,
        updatedAt: now,
        lastUsedAt: null,
        revokedAt: null,
        secrets: [secret],
      };
      await store.insertKey(stored);
      return { key, record: toRecord(stored, now) };
    },

    async list(query = {}) {
      const now = query.now ?? clock();
      return (await store.listKeys({ ...query, now })).map((key) => toRecord(key, now));
    },

    async show(id) {
      return toRecord(await existing(id), clock());
    },

    async update(id, input) {
      const now = clock();
      const key = await existing(id);
      if (key.revokedAt !== null) throw new GatewayError('BAD_USER_INPUT', `API key ${id} is revoked; a revoked key cannot be changed (create a new one).`);
      const expiresAt = expiryFrom(input, now);
      const patch: KeyPatch = {
        ...(input.name === undefined ? {} : { name: checkName(input.name) }),
        ...(input.owner === undefined ? {} : { owner: checkOwner(input.owner) }),
        ...(input.scopes === undefined ? {} : { scopes: checkScopes(input.scopes) }),
        ...(input.rateLimit === undefined ? {} : { rateLimit: checkRateLimit(input.rateLimit) }),
        ...(input.costLimit === undefined ? {} : { costLimit: checkRateLimit(input.costLimit, 'cost limit') }),
        ...(input.allowedIps === undefined ? {} : { allowedIps: checkAllowedIps(input.allowedIps) }),
        ...(input.trustedDocumentsOnly === undefined ? {} : { trustedDocumentsOnly: input.trustedDocumentsOnly === true }),
        ...(expiresAt === undefined ? {} : { expiresAt: checkExpiry(expiresAt, now) }),
      };
      const updated = await store.updateKey(id, patch, now);
      if (updated === undefined) throw notFound(id);
      await announce(id);
      return toRecord(updated, now);
    },

    async rotate(id, rotateOptions = {}) {
      const now = clock();
      const graceMs = rotateOptions.graceMs ?? options.defaultGraceMs;
      if (!Number.isSafeInteger(graceMs) || graceMs < 0 || graceMs > MAX_DURATION_MS) {
        throw new GatewayError('BAD_USER_INPUT', `grace must be a duration from 0 to 100 years; received ${graceMs} ms.`);
      }
      const key = await existing(id);
      const record = toRecord(key, now);
      if (record.status !== 'active') {
        const hint = record.status === 'revoked' ? 'create a new one' : 'extend its expiry with "keys update --expires-in", or create a new one';
        throw new GatewayError('BAD_USER_INPUT', `API key ${id} is ${record.status}; only an active key can be rotated (${hint}).`);
      }
      const { key: plaintext, secret } = newSecret(key.environment, now);
      const rotated = await store.rotateKey(id, secret, now + graceMs, now);
      if (rotated === undefined) throw notFound(id);
      await announce(id);
      return { key: plaintext, record: toRecord(rotated, now) };
    },

    async revoke(id) {
      const now = clock();
      const revoked = await store.revokeKey(id, now);
      if (revoked === undefined) throw notFound(id);
      await announce(id);
      return toRecord(revoked, now);
    },

    async usage(id, usageOptions = {}) {
      const days = usageOptions.days ?? 30;
      if (!Number.isSafeInteger(days) || days < 1 || days > 366) {
        throw new GatewayError('BAD_USER_INPUT', `days must be an integer from 1 to 366; received ${days}.`);
      }
      const key = await existing(id);
      const fromDay = new Date(clock() - (days - 1) * DAY_MS).toISOString().slice(0, 10);
      const list = await store.usageOf(id, fromDay);
      return {
        keyId: id,
        fromDay,
        requests: list.reduce((sum, day) => sum + day.requests, 0),
        errors: list.reduce((sum, day) => sum + day.errors, 0),
        lastUsedAt: key.lastUsedAt,
        days: list,
      };
    },
  };
}
