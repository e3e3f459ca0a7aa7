/**
 * Test support for the authorization end-to-end tests: a real GraphQL subgraph on loopback
 * that answers any schema with made-up data, and a gateway in `schema/` mode in front of it,
 * its schema file holding the operator's annotated SDL. The subgraph's data is predictable:
 *
 * - a String field answers its coordinate on the object's own type (`Checking.balance`), so
 *   a test can tell which field of which type an answer came from;
 * - a field of an abstract type answers a list with one object of each possible type (a
 *   single value: the first possible type, by name), so every type condition applies somewhere;
 * - Int `1`, Float `1.5`, Boolean `true`, ID `"1"`, an enum its first value, an object list two
 *   objects.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildSchema,
  getNamedType,
  isAbstractType,
  isEnumType,
  isListType,
  isNonNullType,
  isObjectType,
  parse,
  print,
  visit,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { openKeyManagement } from '../../gateway/src/auth/api-keys/services.js';
import { resolveConfig, startGateway, type OpenClawConfig, type RunningGateway } from '../../gateway/src/index.js';
import { CallLog } from '../../subgraphs/support/call-log.js';
import { startGraphQLServer } from '../../subgraphs/support/graphql.js';
import type { RunningSubgraph } from '../../subgraphs/support/running.js';
import { postGraphQL, REPO_ROOT, type JsonResponse } from './demo-gateway.js';

/** The directives of OpenClaw and of federation: the subgraph itself knows none of them. */
const GATEWAY_DIRECTIVES = new Set(['apiKey', 'authenticated', 'requiresScope', 'requiresClaim', 'lookup', 'internal']);

/** `sdl` without the gateway's directives: what the backend itself serves. */
export function backendSdl(sdl: string): string {
  return print(visit(parse(sdl), { Directive: (node) => (GATEWAY_DIRECTIVES.has(node.name.value) ? null : undefined) }));
}

function madeUp(schema: GraphQLSchema, type: GraphQLOutputType, coordinate: string): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  const named = getNamedType(inner);
  if (isListType(inner)) {
    if (isAbstractType(named)) return [...schema.getPossibleTypes(named)].sort((a, b) => a.name.localeCompare(b.name)).map((object) => ({ __typename: object.name }));
    return [madeUp(schema, inner.ofType, coordinate), madeUp(schema, inner.ofType, coordinate)];
  }
  if (isAbstractType(named)) return { __typename: [...schema.getPossibleTypes(named)].map((object) => object.name).sort()[0] };
  if (isObjectType(named)) return { __typename: named.name };
  if (isEnumType(named)) return named.getValues()[0]?.value;
  switch (named.name) {
    case 'Int': return 1;
    case 'Float': return 1.5;
    case 'Boolean': return true;
    case 'ID': return '1';
    default: return coordinate;
  }
}

/** An executable schema for `sdl` answering the made-up data of the header; each resolved `Type.field` is pushed to `resolved`. */
export function madeUpSchema(sdl: string, resolved: string[] = []): GraphQLSchema {
  const shape = buildSchema(sdl);
  const resolvers: Record<string, Record<string, GraphQLFieldResolver<unknown, unknown>>> = {};
  for (const type of Object.values(shape.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    resolvers[type.name] = Object.fromEntries(Object.keys(type.getFields()).map((field) => [field, (_source, _args, _context, info) => {
      const runtime = info.parentType.name;
      resolved.push(`${runtime}.${field}`);
      return madeUp(info.schema, info.returnType, `${runtime}.${field}`);
    }]));
  }
  return makeExecutableSchema({ typeDefs: sdl, resolvers });
}

/** A further source of the graph: its annotated SDL and the executable schema its subgraph serves. */
export interface FurtherSource {
  name: string;
  /** The schema file's body (the source's SDL with the gateway's directives). */
  sdl: string;
  schema: GraphQLSchema;
}

/** Running subgraphs and a gateway over them. */
export interface AuthGraph {
  subgraph: RunningSubgraph;
  /** Every `Type.field` the made-up subgraph resolved, in order (empty it between requests). */
  resolved: string[];
  gateway: RunningGateway;
  /** An API key of the gateway's store with `scopes`. */
  createKey(scopes: readonly string[]): Promise<string>;
  /** POSTs a GraphQL request (with `x-api-key` when `key` is given). */
  query(body: { query: string; operationName?: string; variables?: Record<string, unknown> }, key?: string): Promise<JsonResponse>;
  close(): Promise<void>;
}

/** What `startAuthGraph` takes. */
export interface AuthGraphOptions {
  /** The operator's annotated SDL: the schema file's body. The subgraph serves it unannotated. */
  sdl: string;
  /** Further sources (GraphQL), each served by its own subgraph. */
  sources?: readonly FurtherSource[];
  /** Merged over the test config. */
  config?: OpenClawConfig;
}

/** Starts the made-up subgraph and a gateway whose `schema/` declares it (source `bank`). */
export async function startAuthGraph(options: AuthGraphOptions): Promise<AuthGraph> {
  const resolved: string[] = [];
  const subgraph = await startGraphQLServer({ name: 'bank', schema: madeUpSchema(backendSdl(options.sdl), resolved), log: new CallLog(), port: 0 });
  const further: RunningSubgraph[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'openclaw-auth-graph-'));
  const closeSubgraphs = async () => {
    await Promise.all([subgraph, ...further].map((running) => running.close()));
  };
  let gateway: RunningGateway;
  let config;
  try {
    await writeFile(join(dir, 'bank.graphql'), `extend schema @source(name: "bank", kind: GRAPHQL, url: "${subgraph.url}")\n${options.sdl}`);
    for (const source of options.sources ?? []) {
      const running = await startGraphQLServer({ name: source.name, schema: source.schema, log: new CallLog(), port: 0 });
      further.push(running);
      await writeFile(join(dir, `${source.name}.graphql`), `extend schema @source(name: "${source.name}", kind: GRAPHQL, url: "${running.url}")\n${source.sdl}`);
    }
    config = resolveConfig(
      { schema: dir, server: { port: 0 }, logging: { level: 'silent' }, store: { dataDir: dir }, ...options.config },
      { rootDir: REPO_ROOT, env: {} },
    );
    gateway = await startGateway(config);
  } catch (error) {
    await closeSubgraphs();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const running = config;
  return {
    subgraph,
    resolved,
    gateway,
    async createKey(scopes) {
      const keys = await openKeyManagement(running);
      try {
        return (await keys.service.create({ name: 'test', scopes: [...scopes] })).key;
      } finally {
        await keys.close();
      }
    },
    query: (body, key) => postGraphQL(gateway.url, body, key === undefined ? {} : { 'x-api-key': key }),
    async close() {
      await gateway.close();
      await closeSubgraphs();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
