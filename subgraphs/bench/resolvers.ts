/**
 * Resolvers of the four benchmark subgraphs. They reproduce the public benchmark's subgraphs
 * answer for answer, quirks included (every review is by user 1, and every user's reviews are
 * the first two), because gateway figures are only comparable on the same workload. Where the
 * originals crash on an unknown key, these answer null.
 */
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { IN_STOCK, PRODUCTS, PRODUCTS_BY_UPC, REVIEWS, REVIEWS_BY_ID, USERS, USERS_BY_ID } from '../data/index.js';
import type { ReviewRow } from '../data/index.js';

/** The benchmark's subgraphs, also the paths they are served at. */
export type BenchSubgraphName = 'accounts' | 'products' | 'inventory' | 'reviews';

interface ProductPriceWeight {
  upc: string;
  price?: number | null;
  weight?: number | null;
}

/** The benchmark's shipping rule: free above a price of 1000, else half the weight, rounded down. */
export function shippingEstimate({ price, weight }: ProductPriceWeight): number | null {
  if (price === undefined || price === null) return null;
  if (price > 1000) return 0;
  if (weight === undefined || weight === null) return null;
  return Math.floor(weight / 2);
}

// The benchmark hands out the same first two reviews as every user's reviews.
const FIRST_TWO_REVIEWS = REVIEWS.slice(0, 2);

/** Resolvers per benchmark subgraph. */
export const BENCH_RESOLVERS: Readonly<Record<BenchSubgraphName, GraphQLResolverMap<unknown>>> = {
  accounts: {
    Query: {
      me: () => USERS[0],
      user: (_parent: unknown, { id }: { id: string }) => USERS_BY_ID.get(id) ?? null,
      users: () => USERS,
    },
    User: {
      __resolveReference: ({ id }: { id: string }) => USERS_BY_ID.get(id) ?? null,
    },
  },
  products: {
    Query: {
      topProducts: (_parent: unknown, { first }: { first: number | null }) => PRODUCTS.slice(0, Math.max(0, first ?? 5)),
    },
    Product: {
      __resolveReference: ({ upc }: { upc: string }) => PRODUCTS_BY_UPC.get(upc) ?? null,
    },
  },
  inventory: {
    Product: {
      // The reference carries the @requires fields (price, weight) the gateway fetched.
      __resolveReference: (reference: ProductPriceWeight) =>
        PRODUCTS_BY_UPC.has(reference.upc) ? { ...reference, inStock: IN_STOCK.has(reference.upc) } : null,
      shippingEstimate: (product: ProductPriceWeight) => shippingEstimate(product),
    },
  },
  reviews: {
    Review: {
      __resolveReference: ({ id }: { id: string }) => REVIEWS_BY_ID.get(id) ?? null,
      product: (review: ReviewRow) => ({ upc: review.upc }),
      // @provides(fields: "username"): the author comes with its username filled in.
      author: () => ({ id: '1', username: 'urigo' }),
    },
    User: {
      __resolveReference: ({ id }: { id: string }) => ({ id }),
      reviews: () => FIRST_TWO_REVIEWS,
    },
    Product: {
      __resolveReference: ({ upc }: { upc: string }) => ({ upc }),
      reviews: ({ upc }: { upc: string }) => REVIEWS.filter((review) => review.upc === upc),
    },
  },
};
