/**
 * The policy: what every field of the public graph requires, computed once at compose, for
 * every parent type a document can select it on. The authorization pass (pass.ts) only looks
 * a coordinate up; nothing about inheritance is decided per document or per request.
 *
 * For an object type `T` and its field `f`, `T.f` requires
 * - its own directives, and those of `I.f` for every interface `I` that `T` implements;
 * - the type-level directives of `T` and of every interface it implements;
 * - the type-level directives of the type `f` returns (and of the interfaces that type
 *   implements): a protected type is protected wherever it is reached.
 * For an interface `I`, `I.f` requires all of that for `I` itself and everything `T.f` requires
 * for each of its possible types `T` (the most restrictive reading: a document selecting `f`
 * on the interface may reach any implementation). A union has no fields of its own: its
 * members' fields are judged on the member (`... on Member`) or on an interface they share,
 * and a union's type-level directive protects the fields that return the union.
 */
import {
  getNamedType,
  isInterfaceType,
  isObjectType,
  type GraphQLField,
  type GraphQLInterfaceType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { annotate, type Annotations, type FieldPolicies, type PolicyDocument, type Requirement } from './requirements.js';

/** The requirements, each once (the same rule inherited twice is one rule). */
function distinct(requirements: readonly Requirement[]): Requirement[] {
  const seen = new Map<string, Requirement>();
  for (const requirement of requirements) seen.set(JSON.stringify(requirement), requirement);
  return [...seen.values()];
}

/** Builds the policy of `graph` from what its SDL says (see the header). */
export function buildPolicies(graph: GraphQLSchema, annotations: Annotations): FieldPolicies {
  const typeLevel = (type: GraphQLNamedType): readonly Requirement[] => {
    const own = annotations.types.get(type.name) ?? [];
    if (!isObjectType(type) && !isInterfaceType(type)) return own;
    return [...own, ...type.getInterfaces().flatMap((parent) => annotations.types.get(parent.name) ?? [])];
  };
  const onType = (type: GraphQLObjectType | GraphQLInterfaceType, field: GraphQLField<unknown, unknown>): Requirement[] => [
    ...(annotations.fields.get(`${type.name}.${field.name}`) ?? []),
    ...type.getInterfaces().flatMap((parent) => annotations.fields.get(`${parent.name}.${field.name}`) ?? []),
    ...typeLevel(type),
    ...typeLevel(getNamedType(field.type)),
  ];

  const policies = new Map<string, readonly Requirement[]>();
  const types = Object.values(graph.getTypeMap()).filter((type) => !type.name.startsWith('__'));
  for (const type of types) {
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      const requirements = distinct(onType(type, field));
      if (requirements.length > 0) policies.set(`${type.name}.${field.name}`, requirements);
    }
  }
  for (const type of types) {
    if (!isInterfaceType(type)) continue;
    const implementations = graph.getPossibleTypes(type);
    for (const field of Object.values(type.getFields())) {
      const requirements = distinct([
        ...onType(type, field),
        ...implementations.flatMap((implementation) => policies.get(`${implementation.name}.${field.name}`) ?? []),
      ]);
      if (requirements.length > 0) policies.set(`${type.name}.${field.name}`, requirements);
    }
  }
  return policies;
}

/**
 * The policy of `graph` (the public graph) from `documents`: the SDL of every source, or the
 * supergraph. Throws `SCHEMA_INVALID` for an auth directive with a bad argument (naming the
 * file, the field and the argument) and for a security feature the gateway does not enforce.
 */
export function policiesFor(graph: GraphQLSchema, documents: readonly PolicyDocument[]): FieldPolicies {
  const annotations: Annotations = { types: new Map(), fields: new Map() };
  for (const document of documents) annotate(annotations, document);
  return buildPolicies(graph, annotations);
}
