/**
 * A provider's JWKS, fetched and kept. jose's `createRemoteJWKSet` alone refuses every token
 * once its copy is older than its max age and the provider cannot be reached; this cache keeps
 * verifying with the keys it knows for a bounded time instead:
 *
 *   age < maxAge                 keys used as they are
 *   maxAge <= age < staleLimit   keys used; a refetch runs in the background (at most one per
 *                                cooldown), and replaces them when it succeeds
 *   age >= staleLimit            the request waits for a refetch; when it fails, tokens are
 *                                refused (`keys_unavailable`) until a fetch succeeds
 *
 * `age` counts from the last successful fetch. A token whose `kid` matches no known key causes
 * one refetch, at most one per cooldown whatever the number of such tokens, so a flood of forged
 * `kid`s cannot turn the gateway against the provider. A successful fetch replaces the whole set:
 * a key the provider removed stops verifying at once.
 */
import { createLocalJWKSet, errors, type JSONWebKeySet, type JWSHeaderParameters } from 'jose';
import type { Logger } from '../../telemetry/logger.js';
import type { Clock } from './clock.js';
import { isPublicJwk, keySelectionRefusal, keysFromSet, type KeySource, type VerificationKey } from './key-source.js';
import { callProvider, isJsonObject, ProviderCallError } from './provider-http.js';
import { tokenRefused } from './refusal.js';

/** Timing of one remote JWKS, in milliseconds. */
export interface RemoteJwksOptions {
  /** Provider name, for logs and messages. */
  name: string;
  /** The JWKS URL (configured, or read from discovery when first needed). */
  url: () => Promise<string>;
  clock: Clock;
  maxAgeMs: number;
  cooldownMs: number;
  staleLimitMs: number;
  timeoutMs: number;
  logger?: Logger;
}

interface Snapshot {
  set: ReturnType<typeof createLocalJWKSet>;
  kids: string;
  fetchedAt: number;
}

/** A remote JWKS with a stale limit; see the file comment for the rules. */
export class RemoteJwks implements KeySource {
  private snapshot?: Snapshot;
  private inflight?: Promise<boolean>;
  private lastAttemptAt = Number.NEGATIVE_INFINITY;
  private currentGeneration = 0;

  constructor(private readonly options: RemoteJwksOptions) {}

  get generation(): number {
    return this.currentGeneration;
  }

  /** Milliseconds since the last successful fetch (Infinity before the first). */
  age(now: number): number {
    return this.snapshot === undefined ? Number.POSITIVE_INFINITY : now - this.snapshot.fetchedAt;
  }

  usable(now: number): boolean {
    return this.age(now) < this.options.staleLimitMs;
  }

  refreshIfOld(now: number): void {
    if (this.age(now) >= this.options.maxAgeMs) void this.refreshIfAllowed(now);
  }

  async warmUp(): Promise<void> {
    if (await this.refresh(this.options.clock())) return;
    // A failed warm-up (the provider not up yet at start-up) must not hold back the first
    // token's own attempt for a whole cooldown.
    this.lastAttemptAt = Number.NEGATIVE_INFINITY;
    throw new ProviderCallError(`The JWKS of provider "${this.options.name}" could not be fetched.`);
  }

  async keysFor(header: JWSHeaderParameters, now: number): Promise<VerificationKey[]> {
    const snapshot = await this.current(now);
    try {
      return await keysFromSet(snapshot.set, header);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw keySelectionRefusal(error, header);
      // A kid we do not know: perhaps the provider has just rotated. Refetch, within the cooldown.
      if (!(await this.refreshIfAllowed(now)) || this.snapshot === undefined) throw keySelectionRefusal(error, header);
      try {
        return await keysFromSet(this.snapshot.set, header);
      } catch (again) {
        throw keySelectionRefusal(again, header);
      }
    }
  }

  /** The keys to use now, fetching first when there are none or they are past the stale limit. */
  private async current(now: number): Promise<Snapshot> {
    const age = this.age(now);
    if (age >= this.options.staleLimitMs || this.snapshot === undefined) {
      await this.refreshIfAllowed(now);
      if (this.snapshot === undefined || !this.usable(now)) {
        const known = this.snapshot === undefined ? 'no keys were ever fetched' : `the keys were last fetched ${Math.round(this.age(now) / 1000)} s ago, past the stale limit of ${Math.round(this.options.staleLimitMs / 1000)} s`;
        throw tokenRefused('keys_unavailable', `The keys of the token's issuer cannot be fetched (${known}).`);
      }
      return this.snapshot;
    }
    if (age >= this.options.maxAgeMs) {
      // Stale but within the limit: answer with what we have, refresh behind the request.
      void this.refreshIfAllowed(now);
    }
    return this.snapshot;
  }

  /** Joins a running fetch, or starts one unless the last attempt is within the cooldown. True when keys were fetched. */
  private refreshIfAllowed(now: number): Promise<boolean> {
    if (this.inflight !== undefined) return this.inflight;
    if (now - this.lastAttemptAt < this.options.cooldownMs) return Promise.resolve(false);
    return this.refresh(now);
  }

  private refresh(now: number): Promise<boolean> {
    if (this.inflight !== undefined) return this.inflight;
    this.lastAttemptAt = now;
    this.inflight = this.fetch(now).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async fetch(now: number): Promise<boolean> {
    const { name, logger } = this.options;
    try {
      const url = await this.options.url();
      const answer = await callProvider({ url, timeoutMs: this.options.timeoutMs });
      if (answer.status !== 200 || !isJsonObject(answer.json) || !Array.isArray(answer.json.keys)) {
        throw new ProviderCallError(`${url} answered ${answer.status} without a JWKS document.`);
      }
      const keys = answer.json.keys.filter(isPublicJwk);
      if (keys.length < answer.json.keys.length) {
        logger?.warn('JWKS entries skipped: not public RSA, EC or OKP keys', { provider: name, skipped: answer.json.keys.length - keys.length });
      }
      const jwks: JSONWebKeySet = { keys };
      const kids = keys.map((key) => `${key.kid ?? ''}/${key.x ?? key.n ?? ''}`).sort().join(',');
      if (this.snapshot?.kids !== kids) this.currentGeneration += 1;
      this.snapshot = { set: createLocalJWKSet(jwks), kids, fetchedAt: now };
      return true;
    } catch (error) {
      logger?.warn('JWKS fetch failed; known keys stay in use until the stale limit', {
        provider: name,
        error: error instanceof Error ? error.message : String(error),
        keysAgeSeconds: Number.isFinite(this.age(now)) ? Math.round(this.age(now) / 1000) : null,
      });
      return false;
    }
  }
}
