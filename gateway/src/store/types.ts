/**
 * The store's small interfaces: what the gateway persists about API keys (records and their
 * digests), the change log every instance follows to drop stale cache entries, and usage
 * counters. Two implementations: the embedded SQLite file (default) and PostgreSQL. Both pass
 * the same test suite (test/store/store.test.ts). Times are milliseconds since the epoch.
 */

/** How a key's digest was computed: HMAC-SHA-256 with the server's secret, or plain SHA-256. */
export type DigestScheme = 'hmac-sha256' | 'sha256';

/** `live` keys (`ocw_live_...`) or `test` keys (`ocw_test_...`). */
export type KeyEnvironment = 'live' | 'test';

/** One secret of a key: a digest of the plaintext, never the plaintext. */
export interface StoredKeySecret {
  /** The non-secret lookup prefix, e.g. `ocw_live_AbCd1234`: the start of the key, shown to recognise it. */
  readonly prefix: string;
  /** Hex digest of the whole key under `scheme`. */
  readonly digest: string;
  readonly scheme: DigestScheme;
  readonly createdAt: number;
  /** Set when a rotation replaced this secret: it stops working then (the grace period's end). */
  readonly validUntil: number | null;
}

/** A rate-limit policy as stored: `limit` requests per `windowMs`. */
export interface StoredRateLimit {
  readonly limit: number;
  readonly windowMs: number;
}

/** An API key as stored: its grant (scopes, limits, IPs, expiry), its state, its secrets. */
export interface StoredApiKey {
  /** Stable, non-secret id (`key_...`); it does not change when the key is rotated. */
  readonly id: string;
  readonly name: string;
  readonly owner: string | null;
  readonly environment: KeyEnvironment;
  readonly scopes: readonly string[];
  readonly rateLimit: StoredRateLimit | null;
  /** A cost budget: at most `limit` units of operation cost per `windowMs` (docs/rate-limits.md). */
  readonly costLimit: StoredRateLimit | null;
  /** Normalised CIDRs (`203.0.113.0/24`, `2001:db8::/32`); empty means any address. */
  readonly allowedIps: readonly string[];
  /** The key runs only the trusted documents of `persistedDocuments.manifest`. Absent means false. */
  readonly trustedDocumentsOnly?: boolean;
  readonly expiresAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
  /** Newest first: the current secret, then those replaced by rotations. */
  readonly secrets: readonly StoredKeySecret[];
}

/** What `listKeys` filters on; every field is optional and they combine with AND. */
export interface KeyQuery {
  /** Case-insensitive substring of the name. */
  readonly name?: string;
  /** Exact owner. */
  readonly owner?: string;
  /** Start of any of the key's prefixes (`ocw_live_AbC`). */
  readonly prefix?: string;
  /** `active` (neither revoked nor expired at `now`), `expired` or `revoked`. */
  readonly status?: 'active' | 'expired' | 'revoked';
  /** The time `status` is judged at. Default `Date.now()`. */
  readonly now?: number;
  /** At most this many keys, newest first. Default 100. */
  readonly limit?: number;
}

/** The fields `updateKey` may change; an absent field is left as it is. */
export interface KeyPatch {
  readonly name?: string;
  readonly owner?: string | null;
  readonly scopes?: readonly string[];
  readonly rateLimit?: StoredRateLimit | null;
  readonly costLimit?: StoredRateLimit | null;
  readonly allowedIps?: readonly string[];
  readonly trustedDocumentsOnly?: boolean;
  readonly expiresAt?: number | null;
}

/** A key whose secret has the looked-up prefix. */
export interface KeyMatch {
  readonly key: StoredApiKey;
  readonly secret: StoredKeySecret;
}

/** The keys changed since a version of the change log. */
export interface ChangeBatch {
  /** The version to ask from next time. */
  readonly version: number;
  /** Ids of the keys changed (each once). */
  readonly keyIds: readonly string[];
  /** True when the log no longer holds every change since the version asked: drop everything cached. */
  readonly reset: boolean;
}

/** Requests and errors to add to one key's counters for one UTC day. */
export interface UsageIncrement {
  readonly keyId: string;
  /** `YYYY-MM-DD`, UTC. */
  readonly day: string;
  readonly requests: number;
  readonly errors: number;
  /** The latest use in this increment; the key's `lastUsedAt` becomes at least this. */
  readonly lastUsedAt: number;
}

/** One key's usage on one UTC day. */
export interface UsageDay {
  readonly day: string;
  readonly requests: number;
  readonly errors: number;
}

/**
 * API key records. Every change of an existing key is one transaction that also appends the
 * key's id to the change log, so that other instances (and other processes on the embedded
 * file) drop it from their caches. A new key is not a change: no instance can have it cached.
 */
export interface ApiKeyStore {
  /** Adds a new key with its first secret (not logged as a change). */
  insertKey(key: StoredApiKey): Promise<void>;
  /** The key with this id, or `undefined`. */
  getKey(id: string): Promise<StoredApiKey | undefined>;
  /** Every secret with exactly this lookup prefix, with its key (usually one; the verifier compares digests). */
  findByPrefix(prefix: string): Promise<KeyMatch[]>;
  /** Keys matching `query`, newest first. */
  listKeys(query?: KeyQuery): Promise<StoredApiKey[]>;
  /** Applies `patch`; `undefined` when no such key. */
  updateKey(id: string, patch: KeyPatch, now: number): Promise<StoredApiKey | undefined>;
  /**
   * Adds `secret` as the key's current secret; every older secret still valid at `now` gets
   * `validUntil = min(its validUntil, previousValidUntil)`. `undefined` when no such key.
   */
  rotateKey(id: string, secret: StoredKeySecret, previousValidUntil: number, now: number): Promise<StoredApiKey | undefined>;
  /** Marks the key revoked at `now` (kept if it already was); `undefined` when no such key. */
  revokeKey(id: string, now: number): Promise<StoredApiKey | undefined>;
}

/** The change log: a counter every key write increments, with the key ids written. */
export interface ChangeLog {
  /** The current version (cheap: one row). */
  changeVersion(): Promise<number>;
  /** The keys changed after `version`. */
  changesSince(version: number): Promise<ChangeBatch>;
}

/** Per-key, per-day usage counters. */
export interface UsageStore {
  /** Adds the increments (one transaction) and advances each key's `lastUsedAt`. */
  addUsage(increments: readonly UsageIncrement[]): Promise<void>;
  /** A key's usage on each day from `fromDay` (inclusive, `YYYY-MM-DD`), oldest first; days without use are absent. */
  usageOf(keyId: string, fromDay: string): Promise<UsageDay[]>;
}

/** A store: created once at start-up (migrations run then), closed on shutdown. */
export interface Store extends ApiKeyStore, ChangeLog, UsageStore {
  readonly kind: 'embedded' | 'postgres';
  /** Where it is, for logs and messages: the file path, or the database URL without its password. */
  readonly location: string;
  /** Resolves when the store answers a trivial query (for readiness checks); rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
