/**
 * Test support: every GraphQL document the end-to-end suites send through a gateway
 * (test/e2e/*.test.ts, test/server/*.test.ts), collected by recording what each suite's
 * gateways received, deduplicated, in the order the suites send them. test/e2e/engines.test.ts
 * runs them all through both engines and compares the answers; a suite that starts sending a
 * new kind of document adds it here. `from` says which suites send it.
 *
 * Documents that fail before execution (syntax, validation, variables, operation choice) are
 * kept too: both engines must leave them to the pipeline alike.
 */
import { benchQuery } from '../../subgraphs/bench/server.js';

/** One request of the corpus. */
export interface CorpusDocument {
  /** What it exercises. */
  readonly name: string;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly operationName?: string;
  /** The suites that send it (file names under test/). */
  readonly from: readonly string[];
}

/** The demo graph (`schema/`): in order, since the mutations change the orders backend. */
export const DEMO_CORPUS: readonly CorpusDocument[] = [
  { name: 'typename only', query: '{ __typename }', from: ['e2e/api-keys.test.ts', 'e2e/api-keys-instances.test.ts', 'server/graphql-over-http.test.ts'] },
  { name: 'products with price, stock, reviews and authors', query: '{ topProducts(first: 2) { name price inStock reviews { body author { name } } } }', from: ['e2e/api-keys.test.ts'] },
  {
    name: 'five products, every source once',
    query: '{ topProducts(first: 5) { upc name inStock quantity reviews { body author { name username } } } }',
    from: ['e2e/batching.test.ts'],
  },
  {
    name: 'users down to orders, four levels',
    query: '{ users { name reviews { product { name inStock reviews { author { username orders { id } } } } } } }',
    from: ['e2e/batching.test.ts'],
  },
  { name: 'one product under two aliases', query: '{ a: product(upc: "1") { name inStock } b: product(upc: "1") { name inStock } }', from: ['e2e/batching.test.ts'] },
  { name: 'reviews authors and their orders', query: '{ topProducts(first: 2) { name reviews { author { name orders { id } } } } }', from: ['e2e/keep-alive.test.ts'] },
  { name: 'products with stock and review ids', query: '{ topProducts(first: 2) { upc name inStock reviews { id } } }', from: ['e2e/partial-failure.test.ts'] },
  { name: 'one product with stock', query: '{ product(upc: "1") { name inStock } }', from: ['e2e/partial-failure.test.ts'] },
  { name: 'a REST 404 next to a GraphQL root field', query: '{ product(upc: "404") { name } me { name } }', from: ['e2e/partial-failure.test.ts'] },
  { name: 'reviews with their products', query: '{ reviews(first: 2) { id product { upc name } } }', from: ['e2e/partial-failure.test.ts'] },
  { name: 'users with their orders', query: '{ users { username orders { id } } }', from: ['e2e/partial-failure.test.ts'] },
  { name: 'a non-null list next to products', query: '{ users { name } topProducts(first: 1) { name } }', from: ['e2e/partial-failure.test.ts'] },
  { name: 'me next to products', query: '{ me { name } topProducts(first: 1) { name } }', from: ['e2e/partial-failure.test.ts'] },
  { name: 'reviews with their authors', query: '{ reviews(first: 2) { id author { name } } }', from: ['e2e/partial-failure.test.ts'] },
  {
    name: 'three protected fields next to public ones',
    query: '{ topProducts(first: 1) { name } user(id: "1") { name orders { id quantity } } orders(userId: "1") { id product { name } } }',
    from: ['e2e/api-keys.test.ts'],
  },
  {
    name: 'a user across four sources',
    query: '{ user(id: "2") { name reviews { body product { name price inStock } } orders { id } } }',
    from: ['e2e/tokens-propagation.test.ts'],
  },
  { name: 'a user across three sources', query: '{ user(id: "2") { name reviews { body product { name price inStock } } } }', from: ['e2e/tokens-propagation.test.ts'] },
  { name: 'a protected field beside a public one', query: '{ product(upc: "1") { name } user(id: "1") { orders { id } } }', from: ['e2e/tokens-refusals.test.ts'] },
  {
    name: 'every field of one product',
    query: '{ product(upc: "5") { upc name price weight inStock quantity reviews { id author { id name username } } } }',
    from: ['e2e/unified-graph.test.ts'],
  },
  { name: 'a product with stock and review authors', query: '{ product(upc: "2") { name inStock quantity reviews { id author { name username } } } }', from: ['e2e/unified-graph.test.ts'] },
  { name: 'a user with reviewed products and orders', query: '{ user(id: "3") { name reviews { id product { upc name inStock } } orders { id } } }', from: ['e2e/unified-graph.test.ts'] },
  { name: 'a user with orders next to a product', query: '{ user(id: "2") { name orders { id } } product(upc: "1") { name } }', from: ['e2e/tokens.test.ts'] },
  { name: 'place an order (literal input)', query: 'mutation { placeOrder(input: {userId: "1", upc: "2", quantity: 1}) { id status product { name } } }', from: ['e2e/api-keys.test.ts'] },
  { name: 'place an order, status only', query: 'mutation { placeOrder(input: { userId: "1", upc: "2", quantity: 1 }) { status } }', from: ['e2e/tokens-refusals.test.ts'] },
  {
    name: 'place an order (variables), its product from two sources',
    query: 'mutation Place($input: PlaceOrderInput!) { placeOrder(input: $input) { id quantity status product { upc name price inStock } } }',
    variables: { input: { userId: '2', upc: '6', quantity: 3 } },
    from: ['e2e/unified-graph.test.ts'],
  },
  { name: 'place an order for user 2', query: 'mutation { placeOrder(input: { userId: "2", upc: "1", quantity: 2 }) { id status quantity product { name } } }', from: ['e2e/tokens.test.ts'] },
  { name: 'place an order with an id only', query: 'mutation { placeOrder(input: {userId: "1", upc: "1", quantity: 1}) { id } }', from: ['server/error-codes.test.ts', 'server/http.test.ts'] },
  { name: 'an order the backend refuses (BAD_USER_INPUT)', query: 'mutation { placeOrder(input: { userId: "1", upc: "1", quantity: 1000 }) { id } }', from: ['e2e/unified-graph.test.ts'] },
  { name: "one user's orders", query: '{ orders(userId: "1") { id } }', from: ['e2e/tokens.test.ts', 'e2e/tokens-refusals.test.ts', 'e2e/tokens-revocation.test.ts', 'e2e/unified-graph.test.ts'] },
  { name: 'orders with their products', query: '{ orders(userId: "2") { id quantity product { upc name } } }', from: ['e2e/tokens.test.ts'] },
  {
    name: 'orders twice: root field and through the user',
    query: '{ orders(userId: "2") { id quantity product { upc name } } user(id: "2") { name orders { id } } }',
    from: ['e2e/tokens.test.ts'],
  },
  { name: 'no orders', query: '{ orders(userId: "3") { id } }', from: ['e2e/tokens.test.ts'] },
  { name: 'every user with orders and products', query: '{ users { id orders { id quantity product { name } } } orders(userId: "2") { id } }', from: ['e2e/unified-graph.test.ts'] },
  { name: 'introspection: root fields and types', query: '{ __schema { queryType { fields { name } } types { name } } }', from: ['e2e/unified-graph.test.ts'] },
  { name: 'introspection: the query type', query: '{ __schema { queryType { name } } }', from: ['server/front-door.test.ts'] },
  { name: 'introspection: a type by variable', query: 'query Type($name: String!) { __type(name: $name) { name } }', variables: { name: 'sometype' }, from: ['server/graphql-over-http.test.ts'] },
  { name: 'introspection: an unknown type', query: '{ __type(name: "Run🏃Swim🏊") { name } }', from: ['server/graphql-over-http.test.ts'] },
  { name: 'an @internal lookup is not in the graph', query: '{ productsByUpc(upcs: ["1"]) { name } }', from: ['e2e/unified-graph.test.ts'] },
  { name: 'one product', query: '{ product(upc: "1") { name } }', from: ['server/cors.test.ts', 'server/error-codes.test.ts', 'server/front-door.test.ts'] },
  { name: 'another product', query: '{ product(upc: "3") { name } }', from: ['server/front-door.test.ts', 'server/http.test.ts'] },
  { name: 'a named operation', query: 'query Held { product(upc: "1") { name } }', from: ['server/shutdown.test.ts'] },
  { name: 'a variable', query: 'query One($upc: ID!) { product(upc: $upc) { name } }', variables: { upc: '2' }, from: ['server/document-cache.test.ts'] },
  { name: 'a variable and two fields', query: 'query Q($upc: ID!) { product(upc: $upc) { name price } }', variables: { upc: '3' }, operationName: 'Q', from: ['server/front-door.test.ts'] },
  { name: 'me', query: '{ me { name } }', from: ['server/document-cache.test.ts', 'server/error-codes.test.ts'] },
  { name: 'me, compact', query: '{me{id}}', from: ['server/front-door.test.ts'] },
  { name: 'a product that does not exist (REST 404)', query: '{ product(upc: "999") { name } }', from: ['server/error-codes.test.ts'] },
  { name: 'stock of one product', query: '{ product(upc: "1") { inStock } }', from: ['server/error-codes.test.ts'] },
  { name: 'two products with stock', query: '{ topProducts(first: 2) { name inStock } }', from: ['server/front-door.test.ts'] },
  { name: 'two operations, one chosen', query: 'query A { me { name } } query B { users { id } }', operationName: 'B', from: ['server/front-door.test.ts'] },
  { name: 'typename of a named query', query: 'query Query { __typename }', operationName: 'Query', from: ['server/graphql-over-http.test.ts'] },
  { name: 'typename of a mutation', query: 'mutation { __typename }', from: ['server/graphql-over-http.test.ts'] },
  // Refused before execution: the pipeline answers, whichever engine stands behind it.
  { name: 'a syntax error', query: '{ me { name }', from: ['server/error-codes.test.ts'] },
  { name: 'an unknown field', query: '{ me { colour } }', from: ['server/error-codes.test.ts'] },
  { name: 'a variable of the wrong type', query: 'query Q($upc: ID!) { product(upc: $upc) { name } }', variables: { upc: { no: 1 } }, from: ['server/error-codes.test.ts'] },
  { name: 'a missing variable', query: 'query CoerceFailure($id: ID!){ __typename }', variables: { id: null }, from: ['server/graphql-over-http.test.ts'] },
  { name: 'an unknown operation name', query: '{ me { name } }', operationName: 'Nope', from: ['server/error-codes.test.ts'] },
  { name: 'two operations, none chosen', query: 'query A { me { name } } query B { users { id } }', from: ['server/front-door.test.ts'] },
  { name: 'a duplicated argument', query: '{ product(upc: 1, upc: 2) { name } }', from: ['server/front-door.test.ts'] },
  { name: 'a subscription', query: 'subscription { x }', from: ['server/front-door.test.ts'] },
  { name: 'an unknown root field', query: '{ nope }', from: ['server/front-door.test.ts'] },
  { name: 'an unknown variable type', query: 'query ($a: Nope) { me { id } }', from: ['server/front-door.test.ts'] },
  { name: 'an unterminated document', query: '{', from: ['server/graphql-over-http.test.ts'] },
  // Beyond the suites: what a query plan must get right on this graph too.
  {
    name: 'aliases, fragments and __typename across sources',
    query: `query Shop { __typename best: topProducts(first: 2) { ...Names t: __typename ... on Product { cost: price stock: quantity } }
      me { __typename id reviews { product { ...Names } author { __typename handle: username } } } }
      fragment Names on Product { upc label: name }`,
    from: [],
  },
  {
    name: '@skip and @include on fields of other sources',
    query: 'query ($stock: Boolean!, $skipReviews: Boolean!) { topProducts(first: 3) { name inStock @include(if: $stock) reviews @skip(if: $skipReviews) { author { name } } } }',
    variables: { stock: true, skipReviews: false },
    from: [],
  },
  { name: 'an unknown user is null', query: '{ user(id: "99") { name reviews { body } } }', from: [] },
];

/** Documents on the benchmark's supergraph (`subgraphs/bench/`): the suites' and the benchmark's own. */
export const SUPERGRAPH_CORPUS: readonly CorpusDocument[] = [
  { name: 'the benchmark query', query: benchQuery().query, from: ['e2e/federation-supergraph.test.ts', 'e2e/supergraph-failures.test.ts'] },
  { name: 'an entity join with @requires', query: '{ topProducts(first: 3) { name price inStock shippingEstimate } }', from: ['e2e/federation-supergraph.test.ts'] },
  {
    name: 'aliases, named and inline fragments, __typename',
    query: `query Shop { __typename best: topProducts(first: 2) { ...Names t: __typename ... on Product { cost: price } }
      me { __typename id username reviews { product { ...Names } } } }
      fragment Names on Product { upc label: name }`,
    from: ['e2e/federation-supergraph.test.ts'],
  },
  {
    name: 'variables, defaults and arguments',
    query: 'query ($id: ID!, $n: Int = 2) { user(id: $id) { name birthday } topProducts(first: $n) { name } }',
    variables: { id: '3' },
    from: ['e2e/federation-supergraph.test.ts'],
  },
  {
    name: '@skip and @include on fields of other subgraphs',
    query: 'query ($stock: Boolean!, $skipReviews: Boolean!) { topProducts(first: 2) { name inStock @include(if: $stock) reviews @skip(if: $skipReviews) { body author { name } } } }',
    variables: { stock: false, skipReviews: false },
    from: ['e2e/federation-supergraph.test.ts'],
  },
  { name: 'an unknown user is null', query: '{ user(id: "99") { name reviews { body } } }', from: ['e2e/federation-supergraph.test.ts'] },
  { name: 'introspection next to data', query: '{ __type(name: "Product") { name kind } me { name } }', from: ['e2e/federation-supergraph.test.ts'] },
  { name: 'introspection: every type', query: '{ __schema { types { name } } }', from: ['e2e/federation-supergraph.test.ts'] },
  { name: 'a variable that fails coercion', query: 'query ($id: ID!) { user(id: $id) { name } }', variables: {}, from: ['e2e/federation-supergraph.test.ts'] },
];
