/**
 * The identity step for API keys: a presented key (the `x-api-key` header) in, a `Principal`
 * out, or a `GatewayError('UNAUTHENTICATED')` whose `details.reason` says why.
 *
 * The steady state costs a format check, one digest and a cache hit (bench/micro/api-key-check.ts
 * measures it): verified keys are cached in-process, keyed by digest (a heap dump shows no key),
 * and each entry is judged against the request's time and address, so expiry and grace ends
 * take effect at their exact time without a reload. Revocations, rotations and updates made
 * elsewhere drop the entry through the change feed (changes.ts) within a second.
 */
import { LRUCache } from 'lru-cache';
import { GatewayError } from '../../errors/index.js';
import type { ApiKeyStore, KeyMatch } from '../../store/types.js';
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
   * from an address outside its allow list; `STORE_UNAVAILABLE` when the store cannot be read.
   * Messages never contain the key.
   */
  verify(presentedKey: string, clientIp: string | undefined, now: number): Promise<Principal>;
  /** Drops the cached entries of `keyIds` (`null`: all). The change feed calls it. */
  invalidate(keyIds: readonly string[] | null): void;
  /** Cache figures, for metrics and benchmarks. */
  stats(): { size: number; hits: number; misses: number };
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
}

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
  const loading = new Map<string, Promise<Entry | undefined>>();
  let hits = 0;
  let misses = 0;
  // Bumped by every invalidation: a load that overlaps one must not cache what it read.
  let epoch = 0;

  const load = async (presented: string, lookupPrefix: string, digest: Buffer, slot: string, now: number): Promise<Entry | undefined> => {
    const started = epoch;
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

  const invalidate = (keyIds: readonly string[] | null): void => {
    epoch += 1;
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
      // Concurrent requests with the same uncached key share one lookup.
      let pending = loading.get(slot);
      if (pending === undefined) {
        pending = load(presentedKey, parsed.lookupPrefix, digest, slot, now).finally(() => loading.delete(slot));
        loading.set(slot, pending);
      }
      entry = await pending;
      if (entry === undefined) throw refuse('unknown', 'API key is not known.');
      return judge(entry, clientIp, now);
    },
    invalidate,
    stats: () => ({ size: cache?.size ?? 0, hits, misses }),
    close() {
      unsubscribe?.();
    },
  };
}
