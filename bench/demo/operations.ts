/**
 * The demo workload's operations, each with the same backend calls made by hand: what a
 * service would do if it called the demo backends directly (REST with undici, gRPC with
 * grpc-js, GraphQL over HTTP), with no gateway. The runner checks that both answers are equal
 * and that both made the same calls, so the difference in CPU per request is the gateway's own.
 */

/** A product as the products backend returns it. */
interface ProductRow {
  upc: string;
  name: string;
  price: number;
  weight: number;
}

/** A stock entry as the inventory backend returns it. */
interface StockRow {
  upc: string;
  inStock: boolean;
  quantity: number;
}

/** How a direct client reaches the backends. */
export interface Backends {
  /** GET on a REST backend; the parsed JSON body. */
  get(backend: 'products' | 'orders', path: string): Promise<unknown>;
  /** A GraphQL request; the `data` of the answer (throws on errors). */
  graphql(backend: 'accounts' | 'reviews', query: string, variables?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** inventory.Inventory/GetStockBatch */
  stockBatch(upcs: string[]): Promise<StockRow[]>;
}

/** One operation of the workload. */
export interface DemoOperation {
  name: string;
  query: string;
  /** The same result, from direct backend calls. */
  direct(backends: Backends): Promise<Record<string, unknown>>;
}

function byKey<T>(rows: readonly T[], key: (row: T) => string): Map<string, T> {
  return new Map(rows.map((row) => [key(row), row]));
}

async function stockOf(backends: Backends, upcs: string[]): Promise<Map<string, StockRow>> {
  return byKey(await backends.stockBatch(upcs), (row) => row.upc);
}

interface ReviewWithAuthor {
  body: string;
  author: { id: string } | null;
}

/** The workload, in the order it runs. */
export const DEMO_OPERATIONS: readonly DemoOperation[] = [
  {
    name: 'products + stock (REST, gRPC)',
    query: '{ topProducts(first: 5) { upc name price inStock quantity } }',
    async direct(backends) {
      const products = (await backends.get('products', '/products?limit=5')) as ProductRow[];
      const stock = await stockOf(backends, products.map((product) => product.upc));
      return {
        topProducts: products.map((product) => ({
          upc: product.upc,
          name: product.name,
          price: product.price,
          inStock: stock.get(product.upc)?.inStock ?? null,
          quantity: stock.get(product.upc)?.quantity ?? null,
        })),
      };
    },
  },
  {
    name: 'products, stock, reviews, authors (REST, gRPC, Federation, GraphQL)',
    query: '{ topProducts(first: 5) { name price inStock reviews { body author { name } } } }',
    async direct(backends) {
      const products = (await backends.get('products', '/products?limit=5')) as ProductRow[];
      const upcs = products.map((product) => product.upc);
      const [stock, reviewed] = await Promise.all([
        stockOf(backends, upcs),
        backends.graphql(
          'reviews',
          'query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { reviews { body author { id } } } } }',
          { r: upcs.map((upc) => ({ __typename: 'Product', upc })) },
        ),
      ]);
      const reviews = (reviewed._entities as Array<{ reviews: ReviewWithAuthor[] | null } | null>).map((entity) => entity?.reviews ?? null);
      const ids = [...new Set(reviews.flatMap((list) => (list ?? []).flatMap((review) => (review.author ? [review.author.id] : []))))];
      const users = await backends.graphql('accounts', 'query($ids: [ID!]!) { usersByIds(ids: $ids) { id name } }', { ids });
      const names = byKey(users.usersByIds as Array<{ id: string; name: string }>, (user) => user.id);
      return {
        topProducts: products.map((product, index) => ({
          name: product.name,
          price: product.price,
          inStock: stock.get(product.upc)?.inStock ?? null,
          reviews:
            reviews[index]?.map((review) => ({
              body: review.body,
              author: review.author ? { name: names.get(review.author.id)?.name ?? null } : null,
            })) ?? null,
        })),
      };
    },
  },
  {
    name: 'users, their reviews, products, stock (GraphQL, Federation, REST, gRPC)',
    query: '{ users { id name reviews { body product { name price inStock } } } }',
    async direct(backends) {
      const { users } = (await backends.graphql('accounts', '{ users { id name } }')) as { users: Array<{ id: string; name: string }> };
      const reviewed = await backends.graphql(
        'reviews',
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on User { reviews { body product { upc } } } } }',
        { r: users.map((user) => ({ __typename: 'User', id: user.id })) },
      );
      const reviews = (reviewed._entities as Array<{ reviews: Array<{ body: string; product: { upc: string } | null }> | null } | null>).map(
        (entity) => entity?.reviews ?? null,
      );
      const upcs = [...new Set(reviews.flatMap((list) => (list ?? []).flatMap((review) => (review.product ? [review.product.upc] : []))))];
      const [rows, stock] = await Promise.all([
        backends.get('products', `/products/batch?upc=${upcs.map(encodeURIComponent).join(',')}`) as Promise<ProductRow[]>,
        stockOf(backends, upcs),
      ]);
      const products = byKey(rows, (row) => row.upc);
      return {
        users: users.map((user, index) => ({
          id: user.id,
          name: user.name,
          reviews:
            reviews[index]?.map((review) => {
              const product = review.product ? products.get(review.product.upc) : undefined;
              return {
                body: review.body,
                product: product
                  ? { name: product.name, price: product.price, inStock: stock.get(product.upc)?.inStock ?? null }
                  : null,
              };
            }) ?? null,
        })),
      };
    },
  },
];
