/**
 * Per-request batch loaders. Batching lives here and nowhere else: a source asks for the
 * DataLoader of (source, entity or call) and gets the one this request already made, so every
 * call made in one tick for the same thing becomes one backend call.
 *
 * One rule: a `RequestLoaders` lives for exactly one request (it is created with the request's
 * context). DataLoader caches per instance; sharing one across requests would leak one user's
 * answers to another.
 */
import DataLoader from 'dataloader';

/** The batch function contract: one value or one Error per key, in key order. */
export type BatchLoad<K, V> = (keys: readonly K[]) => Promise<ReadonlyArray<V | Error>>;

/** The loaders of one request, keyed by `${source}:${entityOrCall}`. */
export class RequestLoaders {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown, unknown>>();

  /**
   * The request's loader for `source` and `name`; `batch` is used only when the loader is
   * first created. `cacheKey` turns a key into the cache key (defaults to the key itself; pass
   * one for object keys).
   */
  get<K, V>(source: string, name: string, batch: BatchLoad<K, V>, cacheKey?: (key: K) => unknown): DataLoader<K, V, unknown> {
    const id = `${source}:${name}`;
    let loader = this.loaders.get(id);
    if (loader === undefined) {
      loader = new DataLoader<K, V, unknown>(batch, cacheKey ? { cacheKeyFn: cacheKey } : {}) as DataLoader<unknown, unknown, unknown>;
      this.loaders.set(id, loader);
    }
    return loader as DataLoader<K, V, unknown>;
  }
}
