/**
 * A key as users see it (CLI, admin API, the lead's plugins): its grant, its state and the
 * prefixes that recognise it; never a digest. Statuses are judged at a given time, so expiry
 * needs no job: a key is `expired` from its `expiresAt` on.
 */
import type { KeyEnvironment, StoredApiKey } from '../../store/types.js';
import type { RateLimitPolicy } from '../principal.js';
import { formatRatePolicy } from './rate-policy.js';

/** `active` (usable), `expired` (its expiry has passed) or `revoked`. */
export type KeyStatus = 'active' | 'expired' | 'revoked';

/** A secret a rotation replaced: it works until `endsAt` (its grace, never past the key's expiry). */
export interface ReplacedKey {
  readonly prefix: string;
  readonly createdAt: number;
  readonly endsAt: number;
}

/** An API key without its secrets. Times are milliseconds since the epoch. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly owner: string | null;
  readonly environment: KeyEnvironment;
  /** Lookup prefix of the current key, e.g. `ocw_live_AbCd1234`. */
  readonly prefix: string;
  readonly scopes: readonly string[];
  readonly rateLimit: RateLimitPolicy | null;
  /** The key's cost budget (operation cost per window), or null. */
  readonly costLimit: RateLimitPolicy | null;
  /** Normalised CIDRs; empty means any address. */
  readonly allowedIps: readonly string[];
  /** The key runs only the trusted documents of `persistedDocuments.manifest`. */
  readonly trustedDocumentsOnly: boolean;
  readonly expiresAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
  /** At the time the record was read. */
  readonly status: KeyStatus;
  /** Keys replaced by rotations, newest first (`endsAt` in the past: they no longer work). */
  readonly replaced: readonly ReplacedKey[];
}

/** The status of `key` at `now`. */
export function statusOf(key: Pick<StoredApiKey, 'revokedAt' | 'expiresAt'>, now: number): KeyStatus {
  if (key.revokedAt !== null) return 'revoked';
  if (key.expiresAt !== null && now >= key.expiresAt) return 'expired';
  return 'active';
}

/** The end of a secret's validity: the earlier of its grace end and the key's own expiry. */
export function secretEnd(validUntil: number | null, expiresAt: number | null): number | null {
  if (validUntil === null) return expiresAt;
  return expiresAt === null ? validUntil : Math.min(validUntil, expiresAt);
}

/** The record users see for a stored key, judged at `now`. */
export function toRecord(key: StoredApiKey, now: number): ApiKeyRecord {
  const [current, ...older] = key.secrets;
  return {
    id: key.id,
    name: key.name,
    owner: key.owner,
    environment: key.environment,
    prefix: current?.prefix ?? '',
    scopes: key.scopes,
    rateLimit: key.rateLimit,
    costLimit: key.costLimit,
    allowedIps: key.allowedIps,
    trustedDocumentsOnly: key.trustedDocumentsOnly === true,
    expiresAt: key.expiresAt,
    createdAt: key.createdAt,
    updatedAt: key.updatedAt,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
    status: statusOf(key, now),
    replaced: older.map((secret) => ({
      prefix: secret.prefix,
      createdAt: secret.createdAt,
      endsAt: secretEnd(secret.validUntil, key.expiresAt) ?? secret.createdAt,
    })),
  };
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/**
 * A record as JSON for the CLI's `--json` and the admin API: ISO 8601 times, the rate and
 * cost limits with their usual spelling (`{ limit: 100, windowMs: 60000, text: "100/min" }`).
 */
export function recordToJson(record: ApiKeyRecord): Record<string, unknown> {
  return {
    id: record.id,
    name: record.name,
    owner: record.owner,
    environment: record.environment,
    prefix: record.prefix,
    scopes: [...record.scopes],
    rateLimit: record.rateLimit === null ? null : { ...record.rateLimit, text: formatRatePolicy(record.rateLimit) },
    costLimit: record.costLimit === null ? null : { ...record.costLimit, text: formatRatePolicy(record.costLimit) },
    allowedIps: [...record.allowedIps],
    trustedDocumentsOnly: record.trustedDocumentsOnly,
    expiresAt: iso(record.expiresAt),
    createdAt: iso(record.createdAt),
    updatedAt: iso(record.updatedAt),
    lastUsedAt: iso(record.lastUsedAt),
    revokedAt: iso(record.revokedAt),
    status: record.status,
    replaced: record.replaced.map((entry) => ({ prefix: entry.prefix, createdAt: iso(entry.createdAt), endsAt: iso(entry.endsAt) })),
  };
}
