/**
 * Hostile documents: requests that each cost the gateway far more than their size, against the
 * demo graph (schema/). The benchmark (`npm run bench -- hostile`), the end-to-end tests and the
 * front-door fuzz test send them; each must be refused with the status, code and limit named
 * here, fast, while other clients keep being served.
 */

/** One hostile request and the refusal it must get on default settings. */
export interface HostileDocument {
  readonly name: string;
  /** What it does, in a few words (for the benchmark's table). */
  readonly what: string;
  /** The JSON body sent (POST /graphql). */
  readonly body: string;
  readonly status: number;
  readonly code: string;
  /** The config key the message names. */
  readonly key: string;
}

/** `query { ...F0 }` where each of `levels` fragments spreads the next twice: 2^levels fields once expanded. */
export function fragmentFanOut(levels: number): string {
  const fragments: string[] = [];
  for (let index = 0; index < levels; index++) fragments.push(`fragment F${index} on Query { ...F${index + 1} ...F${index + 1} }`);
  fragments.push(`fragment F${levels} on Query { __typename }`);
  return `query { ...F0 } ${fragments.join(' ')}`;
}

/** `count` copies of `field` in one selection (`{ me { name name ... } }` style when wrapped). */
export function repeatedFields(count: number, field = '__typename'): string {
  return `{ ${`${field} `.repeat(count)}}`;
}

/** A selection nested `depth` levels: `{ a { a { ... } } }`. */
export function deepSelection(depth: number): string {
  return `${'{ a '.repeat(depth)}${'}'.repeat(depth)}`;
}

/** A chain of `length` fragments, each selecting one field around the next: depth through fragments. */
export function deepFragments(length: number): string {
  const fragments: string[] = [];
  for (let index = 0; index < length; index++) fragments.push(`fragment D${index} on Query { a { ...D${index + 1} } }`);
  fragments.push(`fragment D${length} on Query { __typename }`);
  return `query { ...D0 } ${fragments.join(' ')}`;
}

/** `count` aliased `__schema` fields. */
export function aliasedIntrospection(count: number): string {
  const fields: string[] = [];
  for (let index = 0; index < count; index++) fields.push(`s${index}: __schema { queryType { name } }`);
  return `{ ${fields.join(' ')} }`;
}

/** `count` aliased root fields. */
export function aliases(count: number): string {
  const fields: string[] = [];
  for (let index = 0; index < count; index++) fields.push(`t${index}: __typename`);
  return `{ ${fields.join(' ')} }`;
}

/** `count` directives on one field. */
export function directives(count: number): string {
  return `{ __typename ${'@include(if: true) '.repeat(count)}}`;
}

/** `count` fragment definitions, each spread once. */
export function manyFragments(count: number): string {
  const names = Array.from({ length: count }, (_, index) => `G${index}`);
  return `query { ${names.map((name) => `...${name}`).join(' ')} } ${names.map((name) => `fragment ${name} on Query { __typename }`).join(' ')}`;
}

/** `count` copies of an object field with a sub-selection, under one parent: graphql-js's overlap check compares every pair. */
export function mergedObjectFields(count: number): string {
  return `{ me { ${'reviews { body } '.repeat(count)}} }`;
}

/** `count` introspection fields (`__type`, aliased below the alias limit). */
export function introspectionFields(count: number): string {
  return `{ ${Array.from({ length: count }, (_, index) => `i${index}: __type(name: "User") { name }`).join(' ')} }`;
}

/** A `{ __schema }` selection nested `depth` fields deep (`ofType` chains). */
export function deepIntrospection(depth: number): string {
  return `{ __schema { types { ${'ofType { '.repeat(depth)}name${' }'.repeat(depth)} } } }`;
}

const body = (query: string, variables?: unknown): string => JSON.stringify(variables === undefined ? { query } : { query, variables });

/** JSON variables nested `depth` arrays deep. */
export function nestedVariables(depth: number): string {
  return `{"query":"query($upc: ID!) { product(upc: $upc) { name } }","variables":{"upc":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
}

/** The hostile requests found so far, each with the refusal it gets on default settings. */
export const HOSTILE_DOCUMENTS: readonly HostileDocument[] = [
  { name: 'fragment fan-out', what: '41 fragments, each spreading the next twice (2^40 fields)', body: body(fragmentFanOut(40)), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', key: 'limits.maxFields' },
  { name: 'repeated fields', what: '150,000 fields in one selection (0.3 MB)', body: body(repeatedFields(150_000, 'a')), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', key: 'limits.maxTokens' },
  { name: 'deep nesting', what: 'a selection 20,000 levels deep', body: body(deepSelection(20_000)), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', key: 'limits.maxNesting' },
  { name: 'deep fragments', what: 'depth 100 through a chain of 100 fragments', body: body(deepFragments(99)), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', key: 'limits.maxDepth' },
  { name: 'aliased introspection', what: '1000 aliased `__schema` fields', body: body(aliasedIntrospection(1000)), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', key: 'limits.maxTokens' },
  { name: 'introspection fields', what: '10 `__type` fields', body: body(introspectionFields(10)), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', key: 'limits.maxIntrospectionFields' },
  { name: 'deep introspection', what: '`__schema` 60 `ofType` deep', body: body(deepIntrospection(60)), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', key: 'limits.maxIntrospectionDepth' },
  { name: 'aliases', what: '1000 aliased root fields', body: body(aliases(1000)), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', key: 'limits.maxAliases' },
  { name: 'directives', what: '100 directives on one field', body: body(directives(100)), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', key: 'limits.maxDirectivesPerLocation' },
  { name: 'many fragments', what: '150 fragment definitions', body: body(manyFragments(150)), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', key: 'limits.maxFragments' },
  { name: 'overlapping fields', what: '600 `reviews { body }` under one field (quadratic overlap check)', body: body(mergedObjectFields(600)), status: 400, code: 'GRAPHQL_VALIDATION_FAILED', key: 'limits.maxMergedFields' },
  { name: 'nested variables', what: 'variables nested 400,000 arrays deep (0.8 MB)', body: nestedVariables(400_000), status: 400, code: 'BAD_REQUEST', key: 'limits.maxNesting' },
  { name: 'batch', what: 'a JSON array of 1000 operations', body: JSON.stringify(Array.from({ length: 1000 }, () => ({ query: '{ __typename }' }))), status: 400, code: 'BAD_REQUEST', key: '' },
];
