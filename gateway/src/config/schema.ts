/**
 * The config validator. Each field's schema carries, as its error, the phrase that states the
 * shape it expects ("must be an integer from 0 to 65535"); `issues.ts` puts the key path in
 * front and the value received after it. The environment and command-line overrides are
 * checked with these same field schemas, so a value means the same wherever it comes from.
 */
import { z } from 'zod';
import type { OpenClawConfig } from './types.js';

/** The log levels `logging.level` accepts, most verbose first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

/** The engines `engine` accepts. */
export const ENGINES = ['plan', 'reference'] as const;

// An RFC 9110 token: what an HTTP header name may be made of.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HOST_PORT = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\]):(\d{1,5})$/;
const URL_PROTOCOLS = new Set(['http:', 'https:', 'grpc:', 'grpcs:']);

/**
 * True when `value` is a source address: an http(s) or grpc(s) URL with a host, or a bare
 * `host:port` (checked first: `new URL('localhost:4001')` would read `localhost:` as a scheme).
 */
export function isSourceUrl(value: string): boolean {
  const hostPort = HOST_PORT.exec(value);
  if (hostPort) return Number(hostPort[1]) <= 65535;
  try {
    const url = new URL(value);
    return URL_PROTOCOLS.has(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

function integer(min: number, max: number | undefined, expected: string) {
  const error = { error: expected };
  const atLeast = z.number(error).int(error).min(min, error);
  return max === undefined ? atLeast : atLeast.max(max, error);
}

function nonEmptyString(expected: string) {
  const error = { error: expected };
  return z.string(error).min(1, error);
}

function flag() {
  return z.boolean({ error: 'must be true or false' });
}

/** A strict object whose type error lists the keys it takes. */
function section<Shape extends z.ZodRawShape>(shape: Shape, what = 'an object') {
  return z.strictObject(shape, { error: `must be ${what} with the keys ${Object.keys(shape).join(', ')}` });
}

const path = nonEmptyString('must be a non-empty path');

/**
 * The schema of each leaf value, shared by the file, the environment and the command line.
 * Their errors are the "must be ..." phrase of the messages users see.
 */
export const FIELD_SCHEMAS = {
  schema: z.union([path, z.array(path).min(1, { error: 'must be a non-empty list of paths' })], {
    error: 'must be a path or a non-empty list of paths (strings)',
  }),
  supergraph: nonEmptyString('must be a non-empty path (the supergraph SDL file)'),
  port: integer(0, 65535, 'must be an integer from 0 to 65535'),
  host: nonEmptyString('must be a non-empty host name or IP address'),
  graphqlPath: z
    .string({ error: 'must be a path starting with "/" (e.g. "/graphql")' })
    .regex(/^\/[^\s?#]*$/, { error: 'must be a path starting with "/" (e.g. "/graphql"), without spaces, "?" or "#"' }),
  bodyLimitBytes: integer(1, undefined, 'must be a positive integer (bytes)'),
  flag: flag(),
  sourceName: nonEmptyString('must be a non-empty source name'),
  url: z
    .string({ error: 'must be a URL (e.g. "http://localhost:4001/graphql") or host:port (e.g. "localhost:50051")' })
    .refine(isSourceUrl, {
      error: 'must be an http, https, grpc or grpcs URL (e.g. "http://localhost:4001/graphql") or host:port (e.g. "localhost:50051")',
    }),
  timeoutMs: integer(1, undefined, 'must be a positive integer (milliseconds)'),
  headerName: z.string().regex(HEADER_NAME, { error: 'must be an HTTP header name (letters, digits and !#$%&\'*+-.^_`|~)' }),
  headerValue: z.string({ error: 'must be a string (the header value)' }),
  documentCacheSize: integer(0, undefined, 'must be an integer >= 0 (0 turns the cache off)'),
  engine: z.enum(ENGINES, { error: `must be one of ${ENGINES.map((engine) => `"${engine}"`).join(', ')}` }),
  logLevel: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.map((level) => `"${level}"`).join(', ')}` }),
} as const;

const F = FIELD_SCHEMAS;

const sourceSchema = section({
  url: F.url.optional(),
  timeoutMs: F.timeoutMs.optional(),
  headers: z
    .record(F.headerName, F.headerValue, { error: 'must be an object mapping header names to string values' })
    .optional(),
});

/** The whole config file's validator: strict at every level (unknown keys are errors). */
export const CONFIG_SCHEMA = section(
  {
    schema: F.schema.optional(),
    supergraph: F.supergraph.optional(),
    server: section({
      port: F.port.optional(),
      host: F.host.optional(),
      graphqlPath: F.graphqlPath.optional(),
      bodyLimitBytes: F.bodyLimitBytes.optional(),
      graphiql: F.flag.optional(),
      introspection: F.flag.optional(),
    }).optional(),
    engine: F.engine.optional(),
    sources: z
      .record(F.sourceName, sourceSchema, { error: 'must be an object mapping source names to { url, timeoutMs, headers }' })
      .optional(),
    documentCache: section({ size: F.documentCacheSize.optional() }).optional(),
    logging: section({ level: F.logLevel.optional() }).optional(),
  },
  'an object (export default defineConfig({ ... }))',
);

/**
 * The keys the object at `path` takes (for "did you mean"), or `[]` when `path` does not lead
 * to an object in the schema.
 */
export function knownKeysAt(path: ReadonlyArray<PropertyKey>): string[] {
  let schema: z.ZodType = CONFIG_SCHEMA;
  for (const segment of [...path, undefined]) {
    while (schema instanceof z.ZodOptional) schema = schema.unwrap() as z.ZodType;
    if (segment === undefined) break;
    if (schema instanceof z.ZodObject) {
      const next: unknown = (schema.shape as Record<string, unknown>)[String(segment)];
      if (!(next instanceof z.ZodType)) return [];
      schema = next;
    } else if (schema instanceof z.ZodRecord) {
      schema = schema.valueType as z.ZodType;
    } else {
      return [];
    }
  }
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

// The validator and the hand-written type must describe the same thing; this line stops
// compiling the moment they differ.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _schemaMatchesType: Same<z.output<typeof CONFIG_SCHEMA>, OpenClawConfig> = true;
void _schemaMatchesType;
