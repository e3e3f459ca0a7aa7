/**
 * Revoked tokens, by id: a JWT's `jti`, or `opaque:<hash>` for an opaque token introspection
 * reported inactive. Checked on every request, after the signature and before any cached
 * verification is reused, so the check is a synchronous lookup in memory; the Redis list
 * (`revocation-redis.ts`) keeps every instance's memory in step.
 */

/** The revoked-token list every instance checks. */
export interface RevocationList {
  /**
   * Refuses the token `id` until `expiresAt` (seconds since the epoch; pass the token's `exp`:
   * after it the token is refused anyway, and the entry can go). Resolves once the revocation
   * is stored and, for a shared list, announced to the other instances.
   */
  revoke(id: string, expiresAt: number): Promise<void>;
  /** True when `id` is revoked at `now` (milliseconds since the epoch). */
  isRevoked(id: string, now: number): boolean;
  /** Number of live entries held in memory (for tests and metrics). */
  size(): number;
  close(): Promise<void>;
}

/** The id under which an opaque token is revoked: its SHA-256, never the token itself. */
export function opaqueRevocationId(tokenHash: string): string {
  return `opaque:${tokenHash}`;
}

/**
 * The entries of a revocation list, in memory: id -> expiry in milliseconds. Expired entries are
 * dropped when looked up and swept every few hundred additions, so the map holds about the
 * tokens revoked within their lifetime.
 */
export class RevokedIds {
  private readonly entries = new Map<string, number>();
  private additions = 0;

  add(id: string, expiresAtMs: number, now: number): void {
    if (expiresAtMs <= now) return;
    const known = this.entries.get(id);
    if (known === undefined || known < expiresAtMs) this.entries.set(id, expiresAtMs);
    if (++this.additions % 256 === 0) this.sweep(now);
  }

  has(id: string, now: number): boolean {
    const expiresAt = this.entries.get(id);
    if (expiresAt === undefined) return false;
    if (expiresAt > now) return true;
    this.entries.delete(id);
    return false;
  }

  size(): number {
    return this.entries.size;
  }

  private sweep(now: number): void {
    for (const [id, expiresAt] of this.entries) if (expiresAt <= now) this.entries.delete(id);
  }
}

/** A revocation list for one instance (no Redis): revocations live in this process only. */
export function createMemoryRevocationList(clock: () => number = Date.now): RevocationList {
  const ids = new RevokedIds();
  return {
    async revoke(id, expiresAt) {
      ids.add(id, expiresAt * 1000, clock());
    },
    isRevoked: (id, now) => ids.has(id, now),
    size: () => ids.size(),
    close: async () => undefined,
  };
}
