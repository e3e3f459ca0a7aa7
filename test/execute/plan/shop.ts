/**
 * Test fixture: a small shop split over four federation subgraphs (accounts, products,
 * inventory, reviews), with an interface and a union, a `@requires`, an enum with a value the
 * API schema hides, a field that fails, and a review of a product no subgraph knows.
 */
import { GraphQLError } from 'graphql';
import type { TestSubgraph } from './harness.js';

const LINK = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@inaccessible"])';

const USERS = [
  { id: 'u1', name: 'Ada', role: 'ADMIN' },
  { id: 'u2', name: 'Grace', role: 'USER' },
  // A role the API schema hides (@inaccessible).
  { id: 'u3', name: 'Linus', role: 'ROOT' },
];
const PRODUCTS = [
  { upc: 'p1', name: 'Table', price: 899, weight: 100 },
  { upc: 'p2', name: 'Couch', price: 1299, weight: 1000 },
  { upc: 'p3', name: 'Glass', price: 15, weight: 20 },
];
const REVIEWS = [
  { id: 'r1', body: 'Sturdy', authorId: 'u1', upc: 'p1' },
  { id: 'r2', body: 'Comfy', authorId: 'u2', upc: 'p2' },
  { id: 'r3', body: 'Fragile', authorId: 'u1', upc: 'p3' },
  { id: 'r4', body: 'Again', authorId: 'u1', upc: 'p1' },
  // Of a product the products subgraph does not have: its entity comes back null.
  { id: 'r5', body: 'Ghost', authorId: 'u2', upc: 'p9' },
];
const MEDIA = [
  { __typename: 'Book', id: 'b1', title: 'Dune', pages: 412 },
  { __typename: 'Movie', id: 'm1', title: 'Alien', minutes: 117 },
];

function byKey<T, K extends keyof T>(rows: readonly T[], key: K): (reference: Pick<T, K>) => T | null {
  return (reference) => rows.find((row) => row[key] === reference[key]) ?? null;
}

/** The four subgraphs of the shop. */
export const SHOP: TestSubgraph[] = [
  {
    name: 'accounts',
    typeDefs: `${LINK}
      enum Role { ADMIN USER ROOT @inaccessible }
      type User @key(fields: "id") { id: ID! name: String! role: Role avatar: String }
      type Query { me: User users: [User!]! user(id: ID!): User }`,
    resolvers: {
      Query: { me: () => USERS[0], users: () => USERS, user: (_: unknown, { id }: { id: string }) => USERS.find((user) => user.id === id) ?? null },
      User: {
        __resolveReference: byKey(USERS, 'id'),
        avatar: (user: { id: string }) => {
          if (user.id === 'u1') throw new GraphQLError('image service unavailable', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
          return `https://img.example/${user.id}.png`;
        },
      },
    },
  },
  {
    name: 'products',
    typeDefs: `${LINK}
      type Product @key(fields: "upc") { upc: String! name: String price: Int! weight: Int }
      interface Media { id: ID! title: String }
      type Book implements Media @key(fields: "id") { id: ID! title: String pages: Int }
      type Movie implements Media @key(fields: "id") { id: ID! title: String minutes: Int }
      union Result = Book | Movie | Product
      type Query { topProducts(first: Int = 5): [Product!]! media: [Media!]! search: [Result!]! }`,
    resolvers: {
      Query: {
        topProducts: (_: unknown, { first }: { first: number }) => PRODUCTS.slice(0, first),
        media: () => MEDIA,
        search: () => [...MEDIA, { __typename: 'Product', ...PRODUCTS[1] }],
      },
      Product: { __resolveReference: byKey(PRODUCTS, 'upc') },
      Media: { __resolveType: (value: { __typename: string }) => value.__typename },
      Result: { __resolveType: (value: { __typename: string }) => value.__typename },
      Book: { __resolveReference: byKey(MEDIA, 'id') },
      Movie: { __resolveReference: byKey(MEDIA, 'id') },
    },
  },
  {
    name: 'inventory',
    typeDefs: `${LINK}
      type Product @key(fields: "upc") {
        upc: String!
        price: Int! @external
        weight: Int @external
        inStock: Boolean!
        shippingEstimate: Int @requires(fields: "price weight")
      }`,
    resolvers: {
      Product: {
        __resolveReference: (reference: { upc: string; price?: number; weight?: number }) => ({ ...reference }),
        inStock: (product: { upc: string }) => product.upc !== 'p2',
        shippingEstimate: (product: { price: number; weight: number }) => (product.price > 1000 ? 0 : Math.floor(product.weight / 2)),
      },
    },
  },
  {
    name: 'reviews',
    typeDefs: `${LINK}
      type Review @key(fields: "id") {
        id: ID!
        body: String!
        author: User
        product: Product
        flagged: Boolean
      }
      type User @key(fields: "id") { id: ID! reviews: [Review!] }
      type Product @key(fields: "upc") { upc: String! reviews: [Review!] }
      type Query { review(id: ID!): Review }`,
    resolvers: {
      Query: { review: (_: unknown, { id }: { id: string }) => REVIEWS.find((review) => review.id === id) ?? null },
      Review: {
        author: (review: { authorId: string }) => ({ id: review.authorId }),
        product: (review: { upc: string }) => ({ upc: review.upc }),
        // Fails for one review, as a resolver of a real subgraph can.
        flagged: (review: { id: string }) => {
          if (review.id === 'r2') throw new GraphQLError('moderation service timed out', { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
          return false;
        },
      },
      User: { reviews: (user: { id: string }) => REVIEWS.filter((review) => review.authorId === user.id) },
      Product: { reviews: (product: { upc: string }) => REVIEWS.filter((review) => review.upc === product.upc) },
    },
  },
];
