/**
 * The auth directives an operator writes on fields and types of `schema/*.graphql`: who may
 * read them. They are checked before execution against the request's Principal
 * (auth/policy/), never by wrapping resolvers. docs/directives.md documents them, and how a
 * requirement is inherited (from an interface to its implementations, from a type to the
 * fields that return it).
 */

/** Where an auth directive may go: a field, or a type (then every field of it and every field returning it). */
const WHERE = 'FIELD_DEFINITION | OBJECT | INTERFACE | UNION | SCALAR | ENUM';

/** SDL of the auth directives. */
export const AUTH_DIRECTIVES_SDL = /* GraphQL */ `
  "Needs a valid API key (x-api-key) with every one of scopes. With both an @apiKey and token directives, either credential may pass (each against its own rule); with withToken: true, the request needs both."
  directive @apiKey(scopes: [String!] = [], withToken: Boolean = false) on ${WHERE}

  "Needs a valid bearer token."
  directive @authenticated on ${WHERE}

  "Needs a bearer token whose scopes satisfy one of the inner lists entirely (outer list OR, inner list AND)."
  directive @requiresScope(scopes: [[String!]!]!) on ${WHERE}

  "Needs a bearer token whose claim name holds one of values (a string equal to one, or a list containing one)."
  directive @requiresClaim(name: String!, values: [String!]!) on ${WHERE}
`;

/**
 * Apollo Federation's auth directives as the gateway reads them from a federation subgraph or
 * a supergraph, whatever `@link` calls them there: `@authenticated` is ours, `@requiresScopes`
 * reads like `@requiresScope` (its `Scope` scalar is a string), and `@policy` is recognised
 * only to be refused, since the gateway does not enforce it.
 */
export const FEDERATION_AUTH_DIRECTIVES_SDL = /* GraphQL */ `
  directive @requiresScopes(scopes: [[String!]!]!) on ${WHERE}
  directive @policy(policies: [[String!]!]!) on ${WHERE}
`;

/** Names of the auth directives (Apollo Federation's `@requiresScopes` is read too). */
export const AUTH_DIRECTIVE_NAMES: ReadonlySet<string> = new Set(['apiKey', 'authenticated', 'requiresScope', 'requiresClaim']);
