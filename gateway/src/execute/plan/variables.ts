/**
 * Variable coercion (spec "CoerceVariableValues"), once per request, by graphql-js against the
 * API schema: defaults applied, input values checked. Its errors are the ones the reference
 * engine gives (Apollo Server turns them into BAD_USER_INPUT with status 400).
 */
import { getVariableValues, type GraphQLError, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';

const NONE: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;

/** The coerced variables of `operation`, or the errors that say which are wrong. */
export function coerceVariables(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  inputs: Record<string, unknown> | undefined,
): { coerced: Record<string, unknown>; errors?: undefined } | { errors: readonly GraphQLError[] } {
  const definitions = operation.variableDefinitions;
  if (definitions === undefined || definitions.length === 0) return { coerced: NONE };
  return getVariableValues(schema, definitions, inputs ?? {}, { maxErrors: 50 });
}
