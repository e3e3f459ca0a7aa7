/**
 * The identity step for API keys: a presented key (the `x-api-key` header) in, a `Principal`
 * out, or a `GatewayError('UNAUTHENTICATED')` whose `details.reason` says why.
 *
 * The steady state costs a format check, one digest and a cache hit (bench/micro/api-key-check.ts
 * measures it): verified keys are cached in-process, keyed by digest (a heap dump shows no key),
 * and each entry is judged against the request's time and address, so expiry and grace ends
 * take effect at their exact time without a reload. Revocations, rotations and updates made
 * elsewhere drop the entry through the change feed (changes.ts) within a second.
 *
 * A flood of made-up keys does not become a flood of store queries. A well-formed key the store
 * does not have is remembered (by digest, in a bounded cache of its own, for `maxAgeMs`), so a
 * repeated one is refused without a query; every change notice clears those entries. A new key
 * was never presented before it existed, so it is never among them and works at once. And the lookups that find nothing are charged to the client's
 * address on the one limiter (`unknownKeysPerMinute`): once an address has spent them, its keys
 * that are not in the cache get 429 `RATE_LIMITED` without a query until the window moves on.
 * Cached (known) keys never pay, so a busy client with many keys is not slowed.
 */
import { LRUCache } from 'lru-cache';
import { GatewayError } from '../../errors/index.js';
import type { ApiKeyStore, KeyMatch } from '../../store/types.js';
import { rateLimitedError, rateLimitHeaders, type RateLimiter } from '../../traffic/rate-limit/index.js';
import type { Principal } from '../principal.js';
import type { KeyChangeFeed } from './changes.js';
import { constantTimeEqual, type KeyDigester } from './digest.js';
import { checkKeyFormat, FORMAT_MESSAGES } from './format.js';
import { compileAllowList, type IpAllowList } from './ip-allow-list.js';
import { secretEnd } from './record.js';
import type { UsageRecorder } from './usage.js';

/** Why a key was refused: the value of `details.reason` on the UNAUTHENTICATED error. */
export type KeyRefusal = 'malformed' | 'checksum' | 'unknown' | 'revoked' | 'expired' | 'rotated' | 'ip_not_allowed';

/** Checks presented keys. One per gateway instance; `close` it on shutdown. */
export interface ApiKeyVerifier {
  /**
   * The principal of `presentedKey` used from `clientIp` at `now` (ms since the epoch). Throws
   * `GatewayError('UNAUTHENTICATED', message, { reason, keyId? })` for a malformed key or a bad
   * checksum (no store lookup), or an unknown, revoked, expired, rotated-out key, or one used
   * from an address outside its allow list; `STORE_UNAVAILABLE` when the store cannot be read;
   * `RATE_LIMITED` when `clientIp` has spent its lookups of unknown keys and the key is not
   * cached. Messages never contain the key.
   */
  verify(presentedKey: string, clientIp: string | undefined, now: number): Promise<Principal>;
  /** Drops the cached entries of `keyIds` (`null`: all). The change feed calls it. */
  invalidate(keyIds: readonly string[] | null): void;
  /**
   * Cache figures, for metrics and benchmarks: known keys cached (`size`), their hits and
   * misses, unknown keys remembered (`unknownSize`) and refused from memory (`unknownHits`), and
   * store lookups made (`lookups`).
   */
  stats(): { size: number; hits: number; misses: number; unknownSize: number; unknownHits: number; lookups: number };
  /** Stops listening to the change feed. */
  close(): void;
}

/** What a verifier is built from. */
export interface VerifierOptions {
  store: Pick<ApiKeyStore, 'findByPrefix'>;
  digester: KeyDigester;
  /** Where to hear of changes made elsewhere; without it entries live until `maxAgeMs`. */
  changes?: KeyChangeFeed;
  /** Keys kept in memory; 0 turns the cache off (every check reads the store). */
  cacheSize: number;
  /** An entry older than this is read again, whatever the feed said. Default 60000. */
  maxAgeMs?: number;
  /** Counts refusals of known keys as errors against them. */
  usage?: Pick<UsageRecorder, 'recordUsage'>;
  /** Unknown keys remembered (by digest); 0 turns it off. Default 10000. */
  unknownCacheSize?: number;
  /** The one limiter: lookups that find nothing are charged per client address. Without it, they are not limited. */
  limiter?: Pick<RateLimiter, 'consume'>;
  /** Lookups finding nothing per client address and minute (with `limiter`); 0: not limited. Default 60. */
  unknownKeysPerMinute?: number;
}

/** The name of the unknown-key lookup policy in `RateLimit` headers and messages. */
export const UNKNOWN_KEY_POLICY = 'unknown-api-keys';
const MINUTE_MS = 60_000;

/** A verified key, compiled for judging requests quickly. */
interface Entry {
  readonly keyId: string;
  readonly cachedAt: number;
  readonly revokedAt: number | null;
  readonly expiresAt: number | null;
  /** Set when a rotation replaced the matched secret. */
  readonly validUntil: number | null;
  readonly allow: IpAllowList;
  readonly principal: Principal;
}

function refuse(reason: KeyRefusal, message: string, keyId?: string): GatewayError {
  return new GatewayError('UNAUTHENTICATED', message, keyId === undefined ? { reason } : { reason, keyId });
}

function compile({ key, secret }: KeyMatch, now: number): Entry {
  const end = secretEnd(secret.validUntil, key.expiresAt);
  const principal: Principal = Object.freeze({
    kind: 'apiKey',
    subject: key.id,
    scopes: new Set(key.scopes),
    claims: Object.freeze({}),
    keyId: key.id,
    ...(key.rateLimit === null ? {} : { limits: Object.freeze({ ...key.rateLimit }) }),
    ...(key.costLimit === null ? {} : { costLimits: Object.freeze({ ...key.costLimit }) }),
    ...(key.trustedDocumentsOnly === true ? { trustedDocumentsOnly: true as const } : {}),
    ...(end === null ? {} : { expiresAt: Math.floor(end / 1000) }),
  });
  return {
    keyId: key.id,
    cachedAt: now,
    revokedAt: key.revokedAt,
    expiresAt: key.expiresAt,
    validUntil: secret.validUntil,
    allow: compileAllowList(key.allowedIps),
    principal,
  };
}

/** The time as people read it in an error message. */
function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A verifier over `options.store`. */
export function createVerifier(options: VerifierOptions): ApiKeyVerifier {
  const { store, digester } = options;
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const cache = options.cacheSize > 0 ? new LRUCache<string, Entry>({ max: options.cacheSize }) : undefined;
  const unknownSize = options.unknownCacheSize ?? 10_000;
  // Digest -> when the store had no such key.
  const unknown = unknownSize > 0 ? new LRUCache<string, number>({ max: unknownSize }) : undefined;
  const limiter = options.limiter;
  const lookupBudget = { limit: options.unknownKeysPerMinute ?? 60, windowMs: MINUTE_MS };
  const budgeted = limiter !== undefined && lookupBudget.limit > 0;
  let unknownHits = 0;
  let lookups = 0;
  const loading = new Map<string, Promise<Entry | undefined>>();
  let hits = 0;
  let misses = 0;
  // Bumped by every invalidation: a load that overlaps one must not cache what it read.
  let epoch = 0;

  const load = async (presented: string, lookupPrefix: string, digest: Buffer, slot: string, now: number): Promise<Entry | undefined> => {
    const started = epoch;
    lookups += 1;
    const matches = await store.findByPrefix(lookupPrefix);
    let entry: Entry | undefined;
    for (const match of matches) {
      const mine = match.secret.scheme === digester.scheme ? digest : digester.digest(presented, match.secret.scheme);
      if (mine !== undefined && constantTimeEqual(mine, Buffer.from(match.secret.digest, 'hex'))) {
        entry = compile(match, now);
        break;
      }
    }
    if (entry !== undefined && cache !== undefined && started === epoch) cache.set(slot, entry);
    if (entry === undefined && unknown !== undefined && started === epoch) unknown.set(slot, now);
    return entry;
  };

  const judge = (entry: Entry, clientIp: string | undefined, now: number): Principal => {
    let refusal: GatewayError | undefined;
    if (entry.revokedAt !== null) {
      refusal = refuse('revoked', `API key was revoked at ${iso(entry.revokedAt)}.`, entry.keyId);
    } else {
      const end = secretEnd(entry.validUntil, entry.expiresAt);
      if (end !== null && now >= end) {
        refusal =
          entry.expiresAt === end
            ? refuse('expired', `API key expired at ${iso(end)}.`, entry.keyId)
            : refuse('rotated', `API key was replaced by a rotation and its grace period ended at ${iso(end)}; use the new key.`, entry.keyId);
      } else if (!entry.allow.allows(clientIp)) {
        refusal = refuse('ip_not_allowed', `API key is not allowed from ${clientIp === undefined ? 'an unknown address' : clientIp}.`, entry.keyId);
      }
    }
    if (refusal === undefined) return entry.principal;
    options.usage?.recordUsage(entry.keyId, 'error', now);
    throw refusal;
  };

  /** Refuses with 429 when `clientIp` has no unknown-key lookup left (`cost` 0 looks, 1 spends). */
  const charge = async (clientIp: string | undefined, cost: 0 | 1): Promise<void> => {
    if (!budgeted || limiter === undefined) return;
    // The limiter's store (Redis) down: the bound is waived rather than every uncached key refused.
    const decision = await limiter.consume(`unknown-key:${clientIp ?? 'unknown'}`, lookupBudget, cost).catch(() => undefined);
    if (decision === undefined) return;
    if (decision.allowed && (cost === 1 || decision.remaining > 0)) return;
    const refused = decision.allowed ? { ...decision, allowed: false, retryAfterMs: decision.reset, reason: 'limit-reached' as const } : decision;
    const error = rateLimitedError(UNKNOWN_KEY_POLICY, refused);
    throw new GatewayError(
      'RATE_LIMITED',
      `Too many unknown API keys from this address; keys not seen lately are not looked up for now. ${error.message}`,
      error.details,
      { headers: rateLimitHeaders(UNKNOWN_KEY_POLICY, refused) },
    );
  };

  const invalidate = (keyIds: readonly string[] | null): void => {
    epoch += 1;
    // Any change may be a key that was unknown a moment ago (a key is known by digest, changes by id).
    unknown?.clear();
    if (cache === undefined) return;
    if (keyIds === null) {
      cache.clear();
      return;
    }
    const wanted = new Set(keyIds);
    const stale: string[] = [];
    for (const [slot, entry] of cache.entries()) if (wanted.has(entry.keyId)) stale.push(slot);
    for (const slot of stale) cache.delete(slot);
  };

  const unsubscribe = options.changes?.subscribe(invalidate);

  return {
    async verify(presentedKey, clientIp, now) {
      const parsed = checkKeyFormat(presentedKey);
      if (typeof parsed === 'string') throw refuse(parsed, FORMAT_MESSAGES[parsed]);
      const digest = digester.digest(presentedKey) as Buffer;
      const slot = digest.toString('latin1');
      let entry = cache?.get(slot);
      if (entry !== undefined && now - entry.cachedAt <= maxAgeMs && now >= entry.cachedAt) {
        hits += 1;
        return judge(entry, clientIp, now);
      }
      misses += 1;
      const knownUnknown = unknown?.get(slot);
      if (knownUnknown !== undefined && now - knownUnknown <= maxAgeMs && now >= knownUnknown) {
        unknownHits += 1;
        throw refuse('unknown', 'API key is not known.');
      }
      // Concurrent requests with the same uncached key share one lookup (and pay for it once).
      let pending = loading.get(slot);
      if (pending === undefined) {
        await charge(clientIp, 0);
        pending = loading.get(slot);
      }
      if (pending === undefined) {
        pending = load(presentedKey, parsed.lookupPrefix, digest, slot, now).finally(() => loading.delete(slot));
        loading.set(slot, pending);
        entry = await pending;
        if (entry === undefined) {
          await charge(clientIp, 1).catch(() => undefined);
          throw refuse('unknown', 'API key is not known.');
        }
      } else {
        entry = await pending;
        if (entry === undefined) throw refuse('unknown', 'API key is not known.');
      }
      return judge(entry, clientIp, now);
    },
    invalidate,
    stats: () => ({ size: cache?.size ?? 0, hits, misses, unknownSize: unknown?.size ?? 0, unknownHits, lookups }),
    close() {
      unsubscribe?.();
    },
  };
}
