/**
 * Demand control end to end, in `schema/` mode: a real GraphQL backend on loopback, a schema
 * file annotated with `@cost` and `@listSize`, and gateways in `enforce` and `measure` mode.
 * The estimate (read from `extensions.cost`, which the request extension `"cost": true` asks
 * for) follows the IBM / Apollo rules: list sizes from slicing arguments (literal, variable,
 * default), `assumedSize`, `sizedFields`, the default list size; weights on fields, types and
 * arguments; fragments and aliases counted; mutations' root fields 10. An operation over the
 * maximum is refused before the backend hears of it; the actual cost counts what came back.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { isGatewayError } from '../../gateway/src/errors/index.js';
import { resolveConfig, startGateway, type OpenClawConfig, type RunningGateway } from '../../gateway/src/index.js';
import { CallLog } from '../../subgraphs/support/call-log.js';
import { startGraphQLServer } from '../../subgraphs/support/graphql.js';
import type { RunningSubgraph } from '../../subgraphs/support/running.js';
import { postGraphQL, type JsonResponse } from '../support/demo-gateway.js';

/** The backend's own schema: it knows nothing of costs. */
const LIBRARY_SDL = /* GraphQL */ `
  interface Node { id: ID! }
  type Author { name: String! }
  type Book implements Node { id: ID! title: String! pages: Int author: Author }
  type BookEdge { node: Book! }
  type BookConnection { totalCount: Int! edges: [BookEdge!]! }
  type Query {
    books(first: Int, last: Int): [Book!]!
    featured: [Book!]!
    authors: [Author!]!
    search(text: String!, limit: Int = 5): [Book!]!
    bookConnection(first: Int!): BookConnection!
    node(id: ID!): Node
  }
  input BookDetails { isbn: String year: Int }
  type Mutation { addBook(title: String!, details: BookDetails): Book }
`;

/** What the operator writes in schema/: the same fields, annotated. */
const ANNOTATED = /* GraphQL */ `
  extend schema @source(name: "library", kind: GRAPHQL, sdl: "../sdl/library.graphql")

  "Implementations take an interface field's weight: Book.id weighs 7 too."
  interface Node { id: ID! @cost(weight: 7) }
  type Author @cost(weight: 5) { name: String! }
  type Book implements Node { pages: Int @cost(weight: 2) }
  type Query {
    books(first: Int, last: Int): [Book!]! @listSize(slicingArguments: ["first", "last"])
    featured: [Book!]! @listSize(assumedSize: 3)
    search(text: String! @cost(weight: 4), limit: Int = 5): [Book!]! @listSize(slicingArguments: ["limit"])
    bookConnection(first: Int!): BookConnection! @listSize(slicingArguments: ["first"], sizedFields: ["edges"])
  }
  input BookDetails { isbn: String @cost(weight: 6) year: Int }
`;

const BOOKS = [
  { id: '1', title: 'Dune', pages: 412, author: { name: 'Frank Herbert' } },
  { id: '2', title: 'Anonymous Poems', pages: 80, author: null },
];

const resolvers = {
  Node: { __resolveType: () => 'Book' },
  Query: {
    books: (_: unknown, args: { first?: number; last?: number }) => BOOKS.slice(0, args.first ?? args.last ?? BOOKS.length),
    featured: () => BOOKS,
    authors: () => [{ name: 'Frank Herbert' }],
    search: () => BOOKS,
    bookConnection: (_: unknown, args: { first: number }) => ({ totalCount: BOOKS.length, edges: BOOKS.slice(0, args.first).map((node) => ({ node })) }),
    node: (_: unknown, args: { id: string }) => BOOKS.find((book) => book.id === args.id) ?? null,
  },
  Mutation: { addBook: (_: unknown, args: { title: string }) => ({ id: '3', title: args.title, pages: 1, author: null }) },
};

interface CostExtension {
  estimated: number;
  actual: number;
  max: number;
  mode: string;
}

describe('demand control in schema/ mode', () => {
  let dir: string;
  let library: RunningSubgraph;
  const gateways: Record<'enforce' | 'measure', RunningGateway | undefined> = { enforce: undefined, measure: undefined };

  const start = async (demandControl: OpenClawConfig['demandControl'], name: string): Promise<RunningGateway> => {
    const config = resolveConfig(
      { schema: 'schema', server: { port: 0 }, logging: { level: 'silent' }, store: { dataDir: join(dir, `store-${name}`) }, sources: { library: { url: library.url } }, demandControl },
      { rootDir: dir, env: {} },
    );
    return startGateway(config);
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'openclaw-cost-'));
    await mkdir(join(dir, 'schema'));
    await mkdir(join(dir, 'sdl'));
    await writeFile(join(dir, 'sdl', 'library.graphql'), LIBRARY_SDL);
    await writeFile(join(dir, 'schema', 'library.graphql'), ANNOTATED);
    library = await startGraphQLServer({ name: 'library', schema: makeExecutableSchema({ typeDefs: LIBRARY_SDL, resolvers }), log: new CallLog(), port: 0 });
    gateways.enforce = await start({ maxCost: 1000, defaultListSize: 10 }, 'enforce');
    gateways.measure = await start({ mode: 'measure', maxCost: 10 }, 'measure');
  });
  after(async () => {
    await gateways.enforce?.close();
    await gateways.measure?.close();
    await library?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const ask = (query: string, variables?: Record<string, unknown>, gateway: 'enforce' | 'measure' = 'enforce'): Promise<JsonResponse> =>
    postGraphQL(gateways[gateway]!.url, { query, variables, extensions: { cost: true } });

  const costOf = async (query: string, variables?: Record<string, unknown>): Promise<CostExtension> => {
    const { status, body } = await ask(query, variables);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.errors, undefined, JSON.stringify(body.errors));
    return (body as { extensions: { cost: CostExtension } }).extensions.cost;
  };

  test('list sizes come from a literal or variable slicing argument, its default, assumedSize, or the default list size', async () => {
    // books(first: 3): 3 books of weight 1, titles weigh 0.
    assert.equal((await costOf('{ books(first: 3) { title } }')).estimated, 3);
    // From a variable: 7 books, each 1 + pages (@cost 2).
    assert.equal((await costOf('query ($n: Int) { books(first: $n) { title pages } }', { n: 7 })).estimated, 21);
    assert.equal((await costOf('query ($n: Int) { books(last: $n) { title pages } }', { n: 2 })).estimated, 6);
    // @listSize(assumedSize: 3): 3 x (book 1 + its id, 7 from Node.id).
    assert.equal((await costOf('{ featured { id } }')).estimated, 24);
    // No @listSize: the default list size (10) of Author, whose type weighs 5.
    assert.equal((await costOf('{ authors { name } }')).estimated, 50);
    // limit's default (5) sizes the list; the text argument adds its weight (4) once.
    assert.equal((await costOf('{ search(text: "dune") { title } }')).estimated, 9);
    assert.equal((await costOf('{ search(text: "dune", limit: 1) { title } }')).estimated, 5);
  });

  test('sizedFields: a connection\'s slicing argument sizes its edges, not the connection', async () => {
    // 1 (connection) + 4 edges x (1 + node 1).
    assert.equal((await costOf('{ bookConnection(first: 4) { totalCount edges { node { title } } } }')).estimated, 9);
    assert.equal((await costOf('query ($n: Int!) { bookConnection(first: $n) { edges { node { title } } } }', { n: 40 })).estimated, 81);
  });

  test('fragments, aliases, abstract types, @include and mutations are counted', async () => {
    // a: 2 x (book 1 + author 5); b: 3 x 6.
    const aliased = 'query { a: books(first: 2) { ...B } b: books(first: 3) { ...B } } fragment B on Book { title author { name } }';
    assert.equal((await costOf(aliased)).estimated, 30);
    // node (interface, 1) + Node.id (7) + pages through the inline fragment (2).
    assert.equal((await costOf('{ node(id: "1") { id ... on Book { pages } } }')).estimated, 10);
    const conditional = 'query ($x: Boolean!) { books(first: 2) { title author @include(if: $x) { name } } }';
    assert.equal((await costOf(conditional, { x: true })).estimated, 12);
    assert.equal((await costOf(conditional, { x: false })).estimated, 2);
    // Each mutation root field: 10, plus the Book (1) and its title (0).
    assert.equal((await costOf('mutation { x: addBook(title: "A") { title } y: addBook(title: "B") { title } }')).estimated, 22);
    // An input field with @cost adds its weight when it is set, as a literal or in a variable.
    assert.equal((await costOf('mutation { addBook(title: "A", details: { isbn: "978", year: 1965 }) { title } }')).estimated, 17);
    const withDetails = 'mutation ($d: BookDetails) { addBook(title: "A", details: $d) { title } }';
    assert.equal((await costOf(withDetails, { d: { isbn: '978' } })).estimated, 17);
    assert.equal((await costOf(withDetails, { d: { year: 1965 } })).estimated, 11);
  });

  test('a field that needs exactly one slicing argument is refused without one', async () => {
    for (const query of ['{ books { title } }', '{ books(first: 1, last: 1) { title } }']) {
      const { status, body } = await ask(query);
      assert.equal(status, 400, query);
      assert.equal(body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT');
      assert.match(body.errors?.[0]?.message ?? '', /Query\.books needs exactly one of its slicing arguments \(first, last\)/);
    }
    // Each operation of a document is held to it, also through a fragment they share.
    const shared = 'query A { ...F } query B { ...F } fragment F on Query { books { title } }';
    for (const operationName of ['A', 'B']) {
      const { status } = await postGraphQL(gateways.enforce!.url, { query: shared, operationName });
      assert.equal(status, 400, operationName);
    }
  });

  test('an operation over the maximum is refused before any backend call', async () => {
    library.resetCalls();
    const { status, body } = await ask('query ($n: Int) { books(first: $n) { author { name } } }', { n: 1000 });
    assert.equal(status, 400);
    assert.equal(body.errors?.[0]?.extensions?.code, 'COST_ESTIMATED_TOO_EXPENSIVE');
    assert.equal(body.errors?.[0]?.extensions?.estimatedCost, 6000);
    assert.equal(body.errors?.[0]?.extensions?.maxCost, 1000);
    assert.match(body.errors?.[0]?.message ?? '', /estimated cost is 6000, over the maximum of 1000 \(demandControl\.maxCost\)/);
    assert.equal(body.data, undefined);
    assert.deepEqual(library.calls, [], 'the backend received no request');
    // The same document within budget runs (the estimate follows the variables).
    const within = await ask('query ($n: Int) { books(first: $n) { author { name } } }', { n: 2 });
    assert.equal(within.status, 200);
    assert.equal(library.calls.length, 1);
  });

  test('extensions.cost reports the actual cost of what came back, only when asked', async () => {
    // Asked for 5 books: estimated 5 x (1 + 5); the backend has 2, one without an author: 2 + 5.
    const cost = await costOf('{ books(first: 5) { title author { name } } }');
    assert.deepEqual(cost, { estimated: 30, actual: 7, max: 1000, mode: 'enforce' });
    const connection = await costOf('{ bookConnection(first: 10) { edges { node { author { name } } } } }');
    assert.deepEqual(connection, { estimated: 1 + 10 * (1 + 1 + 5), actual: 1 + 2 * 2 + 5, max: 1000, mode: 'enforce' });
    const plain = await postGraphQL(gateways.enforce!.url, { query: '{ books(first: 5) { title } }' });
    assert.equal(plain.status, 200);
    assert.equal((plain.body as { extensions?: unknown }).extensions, undefined);
  });

  test('a directive argument of the wrong type is SCHEMA_INVALID at start-up, naming the source and coordinate', async () => {
    const bad = join(dir, 'bad');
    await mkdir(join(bad, 'schema'), { recursive: true });
    await mkdir(join(bad, 'sdl'), { recursive: true });
    await writeFile(join(bad, 'sdl', 'library.graphql'), LIBRARY_SDL);
    await writeFile(join(bad, 'schema', 'library.graphql'), ANNOTATED.replace('@cost(weight: 2)', '@cost(weight: "2")'));
    const config = resolveConfig({ schema: 'schema', server: { port: 0 }, logging: { level: 'silent' }, store: { dataDir: join(bad, 'store') }, sources: { library: { url: library.url } } }, { rootDir: bad, env: {} });
    await assert.rejects(startGateway(config), (error: unknown) => {
      assert.ok(isGatewayError(error));
      assert.equal(error.code, 'SCHEMA_INVALID');
      assert.match(error.message, /@cost on Book\.pages \(source "library"\) is not valid: Argument "weight" has invalid value "2"/);
      return true;
    });
  });

  test('measure mode refuses nothing and still reports the estimate', async () => {
    const { status, body } = await ask('{ books(first: 50) { author { name } } }', undefined, 'measure');
    assert.equal(status, 200);
    assert.equal(body.errors, undefined);
    assert.deepEqual((body as { extensions: { cost: CostExtension } }).extensions.cost, { estimated: 300, actual: 7, max: 10, mode: 'measure' });
    // Measure mode does not refuse a missing slicing argument either.
    assert.equal((await ask('{ books { title } }', undefined, 'measure')).status, 200);
  });
});
