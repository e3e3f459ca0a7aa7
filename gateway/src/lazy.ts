/**
 * Dependencies loaded on first use. A gateway loads only what its configuration needs: a
 * `--supergraph` gateway with no REST or gRPC source, no Redis and no PostgreSQL never loads
 * the composition library, the OpenAPI parser, gRPC, ioredis or pg, and keeps their memory
 * (tens of megabytes each) free. Only CommonJS entry points are loaded this way, so the call
 * stays synchronous; the module's type comes from a type-only import.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/** A function that loads `specifier` on its first call and returns the same module after. */
export function lazyModule<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load(specifier) as T);
}
