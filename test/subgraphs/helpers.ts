/**
 * Small request helpers for the backend tests: real HTTP requests over loopback, answers
 * parsed as JSON so assertions compare values.
 */
import { Kind, parse } from 'graphql';
import { parse as parseYaml } from 'yaml';

/** A parsed HTTP answer. */
export interface JsonAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

/** Sends a request and parses the body as JSON (`null` for an empty body). */
export async function requestJson(url: string, init: RequestInit = {}): Promise<JsonAnswer> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : (JSON.parse(text) as unknown) };
}

/** POSTs a GraphQL request the way a gateway does and returns the parsed answer. */
export async function postGraphQL(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  init: RequestInit = {},
): Promise<JsonAnswer> {
  return requestJson(url, {
    ...init,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify({ query, variables }),
  });
}

/** Runs `action` and returns how many milliseconds it took. */
export async function elapsedMs(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

/** The `@key(fields:)` of each object type of a subgraph SDL, e.g. `{ Review: ['id'] }`. */
export function keysOf(sdl: string): Record<string, string[]> {
  const keys: Record<string, string[]> = {};
  for (const definition of parse(sdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'key') continue;
      const fields = directive.arguments?.find((argument) => argument.name.value === 'fields')?.value;
      if (fields?.kind === Kind.STRING) (keys[definition.name.value] ??= []).push(fields.value);
    }
  }
  return keys;
}

/**
 * The operations an OpenAPI document declares, as `METHOD /path`, with the names of any
 * parameter or schema property that lacks a description (so tests can demand none).
 */
export function openApiOperations(text: string): { operations: string[]; undocumented: string[] } {
  const document = parseYaml(text) as {
    paths: Record<string, Record<string, { description?: string; summary?: string; parameters?: { name: string; description?: string }[] }>>;
    components?: { schemas?: Record<string, { description?: string; properties?: Record<string, { description?: string; $ref?: string }> }> };
  };
  const operations: string[] = [];
  const undocumented: string[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      operations.push(`${method.toUpperCase()} ${path}`);
      if (!operation.summary && !operation.description) undocumented.push(`${method.toUpperCase()} ${path}`);
      for (const parameter of operation.parameters ?? []) {
        if (!parameter.description) undocumented.push(`${method.toUpperCase()} ${path} ${parameter.name}`);
      }
    }
  }
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    if (!schema.description) undocumented.push(`schema ${name}`);
    for (const [property, value] of Object.entries(schema.properties ?? {})) {
      if (!value.description && !value.$ref) undocumented.push(`schema ${name}.${property}`);
    }
  }
  return { operations: operations.sort(), undocumented };
}
