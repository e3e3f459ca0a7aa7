/**
 * Authorization as a property, through the real pipeline: fast-check generates graphs with
 * interfaces, unions and objects, `@apiKey` on interface fields, interface types, object
 * fields, object types and union types (single-value and list scopes alike); each graph is
 * served by a real GraphQL subgraph on loopback behind a real gateway in `schema/` mode
 * (test/support/auth-graph.ts, whose String fields answer their own coordinate, `Box.code`).
 * For every field the graph protects, every way of reaching it is tried: on its type, nested
 * below another object, through a fragment on the implementation inside an interface list, on
 * the interface itself, through a union, through an interface inside a union; each with or
 * without an alias, a named fragment, and as one of several operations. Then:
 *
 * - with a key holding every scope, the document answers without errors;
 * - without a key, the protected value appears nowhere in the answer, every place it had is
 *   null with an UNAUTHENTICATED error at it or at an ancestor, and the rest of the answer is
 *   the keyed answer exactly (nothing else is lost);
 * - in reject mode, the document is refused with 401.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startAuthGraph, type AuthGraph } from '../support/auth-graph.js';
import type { JsonResponse } from '../support/demo-gateway.js';

/** Where a generated `@apiKey` goes: nowhere, or one of its argument forms. */
const DIRECTIVE = fc.constantFrom(undefined, undefined, undefined, '@apiKey', '@apiKey(scopes: "a")', '@apiKey(scopes: ["a", "b"])', '@apiKey(scopes: ["b"])');
const FIELD_POOL = ['f0', 'f1', 'f2'];

interface Graph {
  objects: number;
  interfaces: Array<{ fields: string[]; implementations: number[]; directive: string | undefined; fieldDirectives: Record<string, string | undefined> }>;
  unions: Array<{ members: number[]; directive: string | undefined }>;
  objectDirectives: Array<string | undefined>;
  /** `O<i>.<field>` -> directive. */
  objectFieldDirectives: Record<string, string | undefined>;
}

const graphArbitrary: fc.Arbitrary<Graph> = fc.integer({ min: 2, max: 4 }).chain((objects) => {
  const members = fc.uniqueArray(fc.integer({ min: 0, max: objects - 1 }), { minLength: 1, maxLength: objects });
  const iface = fc.record({
    fields: fc.uniqueArray(fc.constantFrom(...FIELD_POOL), { minLength: 1, maxLength: 3 }),
    implementations: members,
    directive: DIRECTIVE,
    fieldDirectives: fc.record(Object.fromEntries(FIELD_POOL.map((field) => [field, DIRECTIVE]))),
  });
  const fieldKeys = Array.from({ length: objects }, (_, index) => [...FIELD_POOL, 'g'].map((field) => `O${index}.${field}`)).flat();
  return fc.record({
    objects: fc.constant(objects),
    interfaces: fc.array(iface, { minLength: 1, maxLength: 2 }),
    unions: fc.array(fc.record({ members, directive: DIRECTIVE }), { minLength: 1, maxLength: 2 }),
    objectDirectives: fc.array(DIRECTIVE, { minLength: objects, maxLength: objects }),
    objectFieldDirectives: fc.record(Object.fromEntries(fieldKeys.map((key) => [key, DIRECTIVE]))),
  });
});

const on = (directive: string | undefined): string => directive ?? '';

/** The interfaces object `index` implements. */
const interfacesOf = (graph: Graph, index: number): number[] => graph.interfaces.flatMap((iface, at) => (iface.implementations.includes(index) ? [at] : []));

/** The fields of object `index`: its interfaces' fields and `g`. */
function fieldsOf(graph: Graph, index: number): string[] {
  return [...new Set([...interfacesOf(graph, index).flatMap((at) => graph.interfaces[at]!.fields), 'g'])].sort();
}

function sdlOf(graph: Graph): string {
  const lines: string[] = [];
  const query = [
    ...Array.from({ length: graph.objects }, (_, index) => `objs${index}: [O${index}]`),
    ...graph.interfaces.map((_, at) => `ifaces${at}: [I${at}]`),
    ...graph.unions.map((_, at) => `union${at}: [U${at}]`),
  ];
  lines.push(`type Query { ${query.join(' ')} }`);
  graph.interfaces.forEach((iface, at) => {
    lines.push(`interface I${at} ${on(iface.directive)} { ${iface.fields.map((field) => `${field}: String ${on(iface.fieldDirectives[field])}`).join(' ')} }`);
  });
  for (let index = 0; index < graph.objects; index++) {
    const implemented = interfacesOf(graph, index);
    const fields = fieldsOf(graph, index).map((field) => `${field}: String ${on(graph.objectFieldDirectives[`O${index}.${field}`])}`);
    const child = `child: O${(index + 1) % graph.objects}`;
    lines.push(`type O${index} ${implemented.length > 0 ? `implements ${implemented.map((at) => `I${at}`).join(' & ')}` : ''} ${on(graph.objectDirectives[index])} { ${[...fields, child].join(' ')} }`);
  }
  graph.unions.forEach((union, at) => {
    lines.push(`union U${at} ${on(union.directive)} = ${[...new Set(union.members)].map((index) => `O${index}`).join(' | ')}`);
  });
  return lines.join('\n');
}

/** The test's own reading of the rule: whether `O<index>.<field>` is protected (inheritance from interfaces and types). */
function isProtected(graph: Graph, index: number, field: string): boolean {
  if (graph.objectFieldDirectives[`O${index}.${field}`] !== undefined || graph.objectDirectives[index] !== undefined) return true;
  return interfacesOf(graph, index).some((at) => {
    const iface = graph.interfaces[at]!;
    return iface.directive !== undefined || (iface.fields.includes(field) && iface.fieldDirectives[field] !== undefined);
  });
}

/** A document reaching `O<index>.<field>` one way, and the operation to run. */
interface Way {
  name: string;
  document: string;
  operationName?: string;
}

/** Every way of reaching `O<index>.<field>` (see the header), with modifiers varied by position. */
function waysTo(graph: Graph, index: number, field: string, counter: { next: number }): Way[] {
  const type = `O${index}`;
  const entries: Array<{ name: string; wrap: (selection: string) => string; parent: string }> = [
    { name: `objs${index}`, wrap: (selection) => `objs${index} { ${selection} }`, parent: type },
  ];
  const previous = (index + graph.objects - 1) % graph.objects;
  entries.push({ name: `objs${previous}.child`, wrap: (selection) => `objs${previous} { child { ${selection} } }`, parent: type });
  for (const at of interfacesOf(graph, index)) {
    entries.push({ name: `ifaces${at} ... on ${type}`, wrap: (selection) => `ifaces${at} { ... on ${type} { ${selection} } }`, parent: type });
    if (graph.interfaces[at]!.fields.includes(field)) entries.push({ name: `ifaces${at} (on I${at})`, wrap: (selection) => `ifaces${at} { ${selection} }`, parent: `I${at}` });
  }
  graph.unions.forEach((union, at) => {
    if (!union.members.includes(index)) return;
    entries.push({ name: `union${at} ... on ${type}`, wrap: (selection) => `union${at} { ... on ${type} { ${selection} } }`, parent: type });
    for (const iface of interfacesOf(graph, index)) {
      if (graph.interfaces[iface]!.fields.includes(field)) entries.push({ name: `union${at} ... on I${iface}`, wrap: (selection) => `union${at} { ... on I${iface} { ${selection} } }`, parent: `I${iface}` });
    }
  });
  return entries.map((entry) => {
    const modifiers = counter.next++;
    const alias = modifiers % 2 === 1;
    const named = (modifiers >> 1) % 2 === 1;
    const several = (modifiers >> 2) % 2 === 1;
    const leaf = `__typename ${alias ? `x__${field}: ${field}` : field}`;
    const selection = named ? '...Target' : leaf;
    const fragment = named ? ` fragment Target on ${entry.parent} { ${leaf} }` : '';
    const operation = `query Reach { ${entry.wrap(selection)} }`;
    const name = `${entry.name} -> ${type}.${field}${alias ? ', aliased' : ''}${named ? ', named fragment' : ''}${several ? ', one of two operations' : ''}`;
    return several
      ? { name, document: `query Other { __typename } ${operation}${fragment}`, operationName: 'Reach' }
      : { name, document: `${operation}${fragment}` };
  });
}

/** Every path of `value` at which `wanted` is found. */
function pathsOf(value: unknown, wanted: string, path: Array<string | number> = []): Array<Array<string | number>> {
  if (value === wanted) return [path];
  if (Array.isArray(value)) return value.flatMap((item, at) => pathsOf(item, wanted, [...path, at]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => pathsOf(item, wanted, [...path, key]));
  return [];
}

/** `data` with null at each of `paths` (which must be in it). */
function nulledAt(data: unknown, paths: ReadonlyArray<ReadonlyArray<string | number>>): unknown {
  const copy = structuredClone(data) as Record<string | number, unknown>;
  for (const path of paths) {
    let at: Record<string | number, unknown> = copy;
    for (const step of path.slice(0, -1)) at = at[step] as Record<string | number, unknown>;
    assert.ok(path.at(-1)! in at, `the refused path ${path.join('.')} is in the keyed answer`);
    at[path.at(-1)!] = null;
  }
  return copy;
}

async function check(filter: AuthGraph, reject: AuthGraph, key: string, way: Way, marker: string): Promise<void> {
  const body = { query: way.document, ...(way.operationName ? { operationName: way.operationName } : {}) };
  const keyed: JsonResponse = await filter.query(body, key);
  assert.equal(keyed.status, 200, way.name);
  assert.equal(keyed.body.errors, undefined, `${way.name}: with the key: ${JSON.stringify(keyed.body.errors)}`);
  const reached = pathsOf(keyed.body.data, marker);
  assert.ok(reached.length > 0, `${way.name}: with the key the field answers (${JSON.stringify(keyed.body.data)})`);

  const anonymous = await filter.query(body);
  assert.equal(anonymous.status, 200, way.name);
  assert.ok(!JSON.stringify(anonymous.body.data).includes(`"${marker}"`), `${way.name}: ${marker} leaked: ${JSON.stringify(anonymous.body.data)}`);
  const errors = anonymous.body.errors ?? [];
  assert.ok(errors.every((error) => error.extensions?.code === 'UNAUTHENTICATED'), `${way.name}: ${JSON.stringify(errors)}`);
  const refused = errors.map((error) => error.path ?? []);
  for (const path of reached) {
    assert.ok(refused.some((at) => at.every((step, depth) => path[depth] === step)), `${way.name}: no error at or above ${path.join('.')}: ${JSON.stringify(errors)}`);
  }
  assert.deepEqual(anonymous.body.data, nulledAt(keyed.body.data, refused), `${way.name}: the rest of the answer is the keyed one`);

  const rejected = await reject.query(body);
  assert.equal(rejected.status, 401, `${way.name}: reject mode`);
  assert.equal(rejected.body.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', way.name);
}

test('every way of reaching a protected field is refused without the key and answered with it', { timeout: 600_000 }, async () => {
  let graphs = 0;
  let documents = 0;
  await fc.assert(
    fc.asyncProperty(graphArbitrary, async (graph) => {
      const targets: Array<[number, string]> = [];
      for (let index = 0; index < graph.objects; index++) {
        for (const field of fieldsOf(graph, index)) if (isProtected(graph, index, field)) targets.push([index, field]);
      }
      if (targets.length === 0) return;
      const sdl = sdlOf(graph);
      const [filter, reject] = await Promise.all([startAuthGraph({ sdl }), startAuthGraph({ sdl, config: { authorization: { mode: 'reject' } } })]);
      try {
        const key = await filter.createKey(['a', 'b']);
        const counter = { next: 0 };
        const ways = targets.flatMap(([index, field]) => waysTo(graph, index, field, counter).map((way) => ({ way, marker: `O${index}.${field}` })));
        // At most 24 documents per graph, spread over all of them.
        const step = Math.max(1, Math.ceil(ways.length / 24));
        for (let at = 0; at < ways.length; at += step) {
          const { way, marker } = ways[at]!;
          try {
            await check(filter, reject, key, way, marker);
          } catch (error) {
            throw new Error(`${(error as Error).message}\n  graph:\n${sdl}\n  document: ${way.document}`);
          }
          documents += 1;
        }
        graphs += 1;
      } finally {
        await Promise.all([filter.close(), reject.close()]);
      }
    }),
    { numRuns: 12, endOnFailure: true, includeErrorInReport: true },
  );
  assert.ok(graphs >= 6, `only ${graphs} of the generated graphs protected a field`);
  console.log(`# ${graphs} graphs, ${documents} documents, each keyed, anonymous and in reject mode`);
});
