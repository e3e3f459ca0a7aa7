/**
 * Resolvers of the accounts backend, typed by the code generated from schema.graphql: a field
 * added to the schema without a resolver, or with the wrong shape, fails `tsc`.
 */
import { USERS, USERS_BY_ID } from '../data/index.js';
import type { Resolvers } from './generated/resolvers-types.js';

/** The accounts resolvers; `User` fields are read straight from the row. */
export const resolvers: Resolvers = {
  Query: {
    me: () => USERS[0] ?? null,
    user: (_parent, { id }) => USERS_BY_ID.get(id) ?? null,
    users: () => [...USERS],
    usersByIds: (_parent, { ids }) => ids.map((id) => USERS_BY_ID.get(id) ?? null),
  },
};
