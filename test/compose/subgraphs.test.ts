/**
 * schema/ mode as a supergraph: every source becomes a federation subgraph (a `@lookup` type
 * gets its `@key`, a referenced one a `resolvable: false` key, `@internal` root fields are
 * `@inaccessible`, fields several sources declare `@shareable`), composed into the supergraph
 * the plan engine plans on. Its API schema describes the same graph as the stitched schema,
 * which stays the contract; a graph that does not compose stops start-up with SCHEMA_INVALID.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildASTSchema, lexicographicSortSchema, parse, printSchema, visit, type GraphQLSchema } from 'graphql';
import { transformSupergraphToPublicSchema } from '@theguild/federation-composition';
import { composeGateway, resolveConfig, type ComposedGateway, type GatewayError } from '../../gateway/src/index.js';
import { tempDirs } from '../support/cli.js';
import { REPO_ROOT } from '../support/demo-gateway.js';

const temp = tempDirs('openclaw-subgraphs-');
after(() => temp.removeAll());

/** The demo's sources at addresses nothing listens on: composing reads files only. */
const OFFLINE_SOURCES = {
  accounts: { url: 'http://127.0.0.1:9/graphql' },
  reviews: { url: 'http://127.0.0.1:9/graphql' },
  products: { url: 'http://127.0.0.1:9' },
  inventory: { url: '127.0.0.1:9' },
  orders: { url: 'http://127.0.0.1:9' },
};

/** The API schema (what clients may query) of a supergraph, as graphql-js builds it. */
function apiSchema(supergraphSdl: string): GraphQLSchema {
  return buildASTSchema(transformSupergraphToPublicSchema(parse(supergraphSdl)));
}

/** `schema` sorted and printed without descriptions. */
function shape(schema: GraphQLSchema): string {
  const printed = parse(printSchema(lexicographicSortSchema(schema)));
  return printSchema(buildASTSchema(visit(printed, { enter: (node) => ('description' in node && node.description ? { ...node, description: undefined } : undefined) })));
}

/** Every type's and field's description, by schema coordinate. */
function descriptions(schema: GraphQLSchema): Map<string, string | undefined> {
  const found = new Map<string, string | undefined>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    found.set(type.name, type.description ?? undefined);
    if ('getFields' in type) for (const field of Object.values(type.getFields())) found.set(`${type.name}.${field.name}`, field.description ?? undefined);
  }
  return found;
}

/** The `@join__type` directives of `typeName` in a supergraph, as written. */
function joinTypes(supergraphSdl: string, typeName: string): string[] {
  const line = supergraphSdl.split('\n').find((text) => text.startsWith(`type ${typeName} `)) ?? '';
  return line.match(/@join__type\([^)]*\)/g) ?? [];
}

describe('the demo graph as a supergraph', () => {
  let composed: ComposedGateway;
  before(async () => {
    composed = await composeGateway(resolveConfig({ schema: 'schema', sources: OFFLINE_SOURCES }, { rootDir: REPO_ROOT, env: {} }));
  });
  after(async () => {
    await composed?.close();
  });

  test('its API schema and the stitched public schema describe the same graph', () => {
    const api = apiSchema(composed.supergraph.sdl);
    assert.equal(shape(api), shape(composed.schema));
    // The one accepted difference: a type several sources describe. The stitched schema keeps
    // the last source's description, composition its own choice; clients see the stitched one
    // with either engine (introspection is answered from it).
    const ours = descriptions(composed.schema);
    const differing = [...descriptions(api)].filter(([coordinate, text]) => ours.get(coordinate) !== text).map(([coordinate]) => coordinate);
    assert.deepEqual(differing.sort(), ['Product', 'User']);
  });

  test('a lookup makes a key, a reference a key that is not resolvable, and a federation source keeps its own', () => {
    const sdl = composed.supergraph.sdl;
    assert.deepEqual(joinTypes(sdl, 'Product'), [
      '@join__type(graph: INVENTORY, key: "upc")',
      '@join__type(graph: ORDERS, key: "upc", resolvable: false)',
      '@join__type(graph: PRODUCTS, key: "upc")',
      '@join__type(graph: REVIEWS, key: "upc")',
    ]);
    assert.deepEqual(joinTypes(sdl, 'User'), ['@join__type(graph: ACCOUNTS, key: "id")', '@join__type(graph: ORDERS, key: "id")', '@join__type(graph: REVIEWS, key: "id")']);
    assert.deepEqual(joinTypes(sdl, 'Order'), ['@join__type(graph: ORDERS)'], 'a type no source looks up stays a value type');
  });

  test('@internal root fields are @inaccessible; OpenClaw directives do not reach the supergraph', () => {
    const sdl = composed.supergraph.sdl;
    for (const field of ['usersByIds', 'stockByUpc', 'productsByUpc', 'usersWithOrders']) {
      assert.match(sdl, new RegExp(`  ${field}\\(.* @join__field\\(graph: \\w+\\) @inaccessible\\n`), field);
    }
    assert.doesNotMatch(sdl, /@(rest|grpc|lookup|internal|source|apiKey|requiresScope|requiresClaim|authenticated)\b/);
    assert.doesNotMatch(sdl, /OpenClaw/);
  });

  test('every source is a subgraph of that name, served by the source\'s own executor (its planExecutor where it has one)', () => {
    assert.deepEqual([...composed.supergraph.executors.keys()].sort(), ['accounts', 'inventory', 'orders', 'products', 'reviews']);
    for (const source of composed.sources) assert.equal(composed.supergraph.executors.get(source.name), source.planExecutor ?? source.executor, source.name);
  });
});

/** A project with REST sources over the demo products' OpenAPI document; `files` are schema files by name. */
async function restProject(files: Record<string, string>): Promise<string> {
  const dir = await temp.make();
  await mkdir(join(dir, 'schema'));
  const openapi = join(REPO_ROOT, 'subgraphs', 'products', 'openapi.yaml');
  for (const [name, body] of Object.entries(files)) {
    await writeFile(join(dir, 'schema', `${name}.graphql`), `extend schema @source(name: "${name}", kind: REST, url: "http://127.0.0.1:9", openapi: "${openapi}")\n${body}`);
  }
  return dir;
}

test('a field two sources declare is @shareable: the graph composes', async () => {
  const dir = await restProject({
    catalog: 'type Product { upc: ID! name: String! }\ntype Query { topProducts(first: Int): [Product!]! @rest(path: "/products") productsByUpc(upcs: [ID!]!): [Product]! @rest(path: "/products/batch", query: { upc: "{args.upcs}" }) @lookup(key: "upc") @internal }',
    prices: 'type Product { upc: ID! name: String! price: Int! }\ntype Query { pricesByUpc(upcs: [ID!]!): [Product]! @rest(path: "/products/batch", query: { upc: "{args.upcs}" }) @lookup(key: "upc") @internal }',
  });
  const composed = await composeGateway(resolveConfig({}, { rootDir: dir, env: {} }));
  try {
    // Served by both (no @join__field: every subgraph that has the type resolves it).
    assert.match(composed.supergraph.sdl, /\n {2}name: String!\n {2}price: Int! @join__field\(graph: PRICES\)\n/);
    assert.equal(shape(apiSchema(composed.supergraph.sdl)), shape(composed.schema));
  } finally {
    await composed.close();
  }
});

test('a graph that does not compose is SCHEMA_INVALID, naming the sources and the reason', async () => {
  const dir = await restProject({
    catalog: 'type Product { upc: ID! name: String! }\ntype Query { productsByUpc(upcs: [ID!]!): [Product]! @rest(path: "/products/batch", query: { upc: "{args.upcs}" }) @lookup(key: "upc") @internal topProducts: [Product!]! @rest(path: "/products") }',
    prices: 'type Product { upc: ID! name: Int }\ntype Query { pricesByUpc(upcs: [ID!]!): [Product]! @rest(path: "/products/batch", query: { upc: "{args.upcs}" }) @lookup(key: "upc") @internal }',
  });
  await assert.rejects(composeGateway(resolveConfig({}, { rootDir: dir, env: {} })), (error: GatewayError) => {
    assert.equal(error.code, 'SCHEMA_INVALID');
    assert.match(error.message, /^The sources catalog, prices do not compose into a supergraph \(the plan engine runs on it\): .*Product\.name/);
    return true;
  });
});
