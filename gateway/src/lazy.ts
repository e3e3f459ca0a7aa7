/**
 * Dependencies loaded on first use, where the caller must stay synchronous (the composition
 * library, gRPC, ioredis); asynchronous callers use `import()` (the OpenAPI parser, proto-loader,
 * pg, @apollo/subgraph). Either way a `--supergraph` gateway with no REST or gRPC source, no
 * Redis and no PostgreSQL never loads them and keeps their memory (tens of megabytes each)
 * free. Only CommonJS entry points are loaded this way; the module's type comes from a
 * type-only import.
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

/** A function that loads `specifier` on its first call and returns the same module after. */
export function lazyModule<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load(specifier) as T);
}
