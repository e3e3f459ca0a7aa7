/**
 * The cost directives an operator writes in `schema/*.graphql`: how much a field, type or
 * argument weighs and how long a list is, as in the IBM GraphQL Cost Directive specification
 * and Apollo Federation 2.9's `@cost` / `@listSize`. Demand control (traffic/demand-control/)
 * reads them once at compose; docs/directives.md documents them.
 */

/** SDL of the cost directives. */
export const COST_DIRECTIVES_SDL = /* GraphQL */ `
  "The weight of a field, an argument, or of every field returning this type (replaces the default: 1 for objects, interfaces and unions, 0 for scalars and enums)."
  directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR

  "How many items a list field returns: the value of one of slicingArguments, else assumedSize; sizedFields names the list fields of the returned type that size applies to (connections)."
  directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
`;

/** Names of the cost directives. */
export const COST_DIRECTIVE_NAMES: ReadonlySet<string> = new Set(['cost', 'listSize']);
