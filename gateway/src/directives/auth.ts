/**
 * The auth directives an operator writes on fields and types of `schema/*.graphql`: who may
 * read them. They are checked before execution against the request's Principal
 * (auth/policy/), never by wrapping resolvers. docs/directives.md documents them.
 */

/** SDL of the auth directives. */
export const AUTH_DIRECTIVES_SDL = /* GraphQL */ `
  "Needs a valid API key (x-api-key) with every one of scopes. With both an @apiKey and token directives, either credential may pass (each against its own rule); with withToken: true, the request needs both."
  directive @apiKey(scopes: [String!] = [], withToken: Boolean = false) on FIELD_DEFINITION | OBJECT | INTERFACE

  "Needs a valid bearer token."
  directive @authenticated on FIELD_DEFINITION | OBJECT | INTERFACE

  "Needs a bearer token whose scopes satisfy one of the inner lists entirely (outer list OR, inner list AND)."
  directive @requiresScope(scopes: [[String!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE

  "Needs a bearer token whose claim name holds one of values (a string equal to one, or a list containing one)."
  directive @requiresClaim(name: String!, values: [String!]!) on FIELD_DEFINITION | OBJECT | INTERFACE
`;

/** Names of the auth directives (Apollo Federation's `@requiresScopes` is read too). */
export const AUTH_DIRECTIVE_NAMES: ReadonlySet<string> = new Set(['apiKey', 'authenticated', 'requiresScope', 'requiresClaim']);
