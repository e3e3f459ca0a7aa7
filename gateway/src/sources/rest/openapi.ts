/**
 * The REST source's OpenAPI document, read once at start-up: it is the contract every
 * `@rest(method, path)` is checked against, so a typo in a path fails `openclaw start`, not
 * the first request that reaches it.
 */
import { fileLabel, schemaInvalid } from '../source-schema.js';
import type { SourceDefinition } from '../types.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'] as const;

/** The operations an OpenAPI document declares. */
export interface OpenApiOperations {
  /** How errors name the document. */
  readonly label: string;
  /** `GET /products/{upc}` as written, in document order, for error messages. */
  readonly listing: readonly string[];
  /** Normalised `GET /products/{}` keys, for matching. */
  readonly keys: ReadonlySet<string>;
}

/**
 * A path with every `{...}` reduced to `{}`, so the template `/products/{args.upc}` and the
 * document's `/products/{upc}` compare equal whatever the placeholders are named.
 */
export function normalisePath(path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}');
}

/** The key of an operation: upper-case method and normalised path. */
export function operationKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${normalisePath(path)}`;
}

/**
 * Reads and validates `definition.openapi` (OpenAPI 3 or Swagger 2, `$ref`s resolved). A
 * missing, unreadable or invalid document is `SCHEMA_INVALID` naming the schema file.
 */
export async function loadOperations(definition: SourceDefinition): Promise<OpenApiOperations> {
  if (definition.openapi === undefined) {
    throw schemaInvalid(definition, `source "${definition.name}" is REST but @source has no openapi: "path/to/openapi.yaml".`);
  }
  const label = fileLabel(definition.openapi);
  let document: { paths?: Record<string, Record<string, unknown> | undefined> };
  try {
    const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
    document = (await SwaggerParser.validate(definition.openapi)) as typeof document;
  } catch (error) {
    throw schemaInvalid(definition, `the OpenAPI document ${label} of source "${definition.name}" is not valid: ${(error as Error).message}`);
  }
  const listing: string[] = [];
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      if (item?.[method] !== undefined) listing.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return { label, listing, keys: new Set(listing.map((entry) => normalisePath(entry))) };
}
