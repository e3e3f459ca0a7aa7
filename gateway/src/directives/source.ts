/**
 * The directives an operator writes in `schema/*.graphql` (documented in docs/directives.md).
 * They are declared here once; compose prepends them to every schema file so that the SDL
 * validates, and strips them from the public graph.
 */
import { parse, type DocumentNode } from 'graphql';
import { AUTH_DIRECTIVES_SDL, AUTH_DIRECTIVE_NAMES } from './auth.js';
import { COST_DIRECTIVES_SDL, COST_DIRECTIVE_NAMES } from './cost.js';
import { RATE_LIMIT_BY_TYPE_NAME, RATE_LIMIT_DIRECTIVE_NAME, RATE_LIMIT_DIRECTIVE_SDL } from './rate-limit.js';

/** SDL of every OpenClaw directive and the scalars/enums their arguments use. */
export const DIRECTIVES_SDL = /* GraphQL */ `
  "The protocol a source speaks."
  enum OpenClawSourceKind { GRAPHQL FEDERATION REST GRPC }
  "HTTP method of a @rest call."
  enum OpenClawHttpMethod { GET POST PUT PATCH DELETE }
  "Any JSON value: object literals with {args.x} / {parent.x} templates."
  scalar OpenClawJSON

  "Declares the source the file's types and fields belong to. One per file."
  directive @source(
    name: String!
    kind: OpenClawSourceKind!
    url: String
    sdl: String
    openapi: String
    proto: String
    service: String
  ) on SCHEMA

  "Serves a field with an HTTP call to the file's REST source."
  directive @rest(
    method: OpenClawHttpMethod = GET
    path: String!
    query: OpenClawJSON
    headers: OpenClawJSON
    body: OpenClawJSON
    resultPath: String
    errorStatus: OpenClawJSON
  ) on FIELD_DEFINITION

  "Serves a field with a unary RPC of the file's gRPC source."
  directive @grpc(
    method: String!
    request: OpenClawJSON
    resultPath: String
    deadlineMs: Int
  ) on FIELD_DEFINITION

  "Marks a root field that takes a list of keys and returns the entities: how other sources' references to the type are completed."
  directive @lookup(key: String!) on FIELD_DEFINITION

  "Hides a field from the public graph (lookups are usually internal)."
  directive @internal on FIELD_DEFINITION
`;

/** Parsed once: the directive definitions (source, auth, rate limit and cost) as a document. */
export const DIRECTIVES_DOCUMENT: DocumentNode = parse(`${DIRECTIVES_SDL}\n${AUTH_DIRECTIVES_SDL}\n${RATE_LIMIT_DIRECTIVE_SDL}\n${COST_DIRECTIVES_SDL}`);

/** Names of the directives (and helper types) that never reach the public graph. */
export const OPENCLAW_DIRECTIVE_NAMES = new Set(['source', 'rest', 'grpc', 'lookup', 'internal', ...AUTH_DIRECTIVE_NAMES, RATE_LIMIT_DIRECTIVE_NAME, ...COST_DIRECTIVE_NAMES]);
export const OPENCLAW_TYPE_NAMES = new Set(['OpenClawSourceKind', 'OpenClawHttpMethod', 'OpenClawJSON', RATE_LIMIT_BY_TYPE_NAME]);
