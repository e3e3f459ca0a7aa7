/**
 * Test fixture: an interface served as an object by a second subgraph (`@interfaceObject`).
 * `people` knows the implementations (Admin, Guest); `activity` knows only the interface
 * `Account`, adds `lastSeen` to every implementation, and has the root field `recent`.
 */
import type { TestSubgraph } from './harness.js';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])';
const ACCOUNTS = [
  { __typename: 'Admin', id: 'a1', name: 'Ada', level: 3 },
  { __typename: 'Guest', id: 'g1', name: 'Gus', expires: '2027-01-01' },
];
const SEEN: Record<string, string> = { a1: '2026-11-01', g1: '2026-10-15' };

/** The two subgraphs. */
export const ACCOUNTS_GRAPH: TestSubgraph[] = [
  {
    name: 'people',
    typeDefs: `${LINK}
      interface Account @key(fields: "id") { id: ID! name: String }
      type Admin implements Account @key(fields: "id") { id: ID! name: String level: Int }
      type Guest implements Account @key(fields: "id") { id: ID! name: String expires: String }
      type Query { accounts: [Account!]! }`,
    resolvers: {
      Query: { accounts: () => ACCOUNTS },
      Account: {
        __resolveReference: ({ id }: { id: string }) => ACCOUNTS.find((account) => account.id === id) ?? null,
        __resolveType: (account: { __typename: string }) => account.__typename,
      },
      Admin: { __resolveReference: ({ id }: { id: string }) => ACCOUNTS.find((account) => account.id === id) ?? null },
      Guest: { __resolveReference: ({ id }: { id: string }) => ACCOUNTS.find((account) => account.id === id) ?? null },
    },
  },
  {
    name: 'activity',
    typeDefs: `${LINK}
      type Account @key(fields: "id") @interfaceObject { id: ID! lastSeen: String }
      type Query { recent: [Account!]! }`,
    resolvers: {
      Query: { recent: () => [{ id: 'g1' }, { id: 'a1' }] },
      Account: {
        __resolveReference: ({ id }: { id: string }) => ({ id }),
        lastSeen: ({ id }: { id: string }) => SEEN[id] ?? null,
      },
    },
  },
];
