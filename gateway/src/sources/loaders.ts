/**
 * Per-request batching, in one place. A source asks the request's `RequestLoaders` for the
 * DataLoader of (source, call) and gets the one this request already made, so calls made in
 * one tick for the same thing become one backend call: identical REST GETs and gRPC calls are
 * made once, and operations sent to one source in the same tick are merged into one
 * (`operations`).
 *
 * One rule: a `RequestLoaders` lives for exactly one request (`withLoaders` makes it with the
 * operation's context). DataLoader caches per instance; sharing one across requests would
 * leak one user's answers to another.
 */
import DataLoader from 'dataloader';
import { createBatchingExecutor } from '@graphql-tools/batch-execute';
import type { Executor } from '@graphql-tools/utils';
import type { GatewayContext } from '../context.js';
import type { SourceContext, SourceExecutor } from './types.js';

/** The batch function contract: one value or one Error per key, in key order. */
export type BatchLoad<K, V> = (keys: readonly K[]) => Promise<ReadonlyArray<V | Error>>;

/** The loaders of one request, keyed by `${source}:${entityOrCall}`. */
export class RequestLoaders {
  private readonly loaders = new Map<string, DataLoader<unknown, unknown, unknown>>();
  private readonly executors = new Map<string, SourceExecutor>();

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

  /**
   * The request's batching executor for `source`: operations sent to it in one tick are
   * merged into one (their root fields aliased apart) and the answer split back.
   */
  operations(source: string, executor: SourceExecutor): SourceExecutor {
    let batching = this.executors.get(source);
    if (batching === undefined) {
      batching = createBatchingExecutor(executor as Executor) as SourceExecutor;
      this.executors.set(source, batching);
    }
    return batching;
  }
}

/** The context sources see for one operation of the request of `context`: fresh loaders. */
export function withLoaders(context: GatewayContext): SourceContext {
  return { ...context, loaders: new RequestLoaders() };
}

/**
 * `executor` with operations of one request to `source` merged per tick through that
 * request's loaders; a request without loaders (an internal call) goes straight through.
 */
export function batchedExecutor(source: string, executor: SourceExecutor): SourceExecutor {
  return (request) => {
    const loaders = request.context?.loaders;
    return loaders === undefined ? executor(request) : loaders.operations(source, executor)(request);
  };
}
