/**
 * The demo data: the same users, products, stock and reviews as the public federation
 * benchmark, so the demo graph and the benchmark graph answer with the same values.
 */
import { readFileSync } from 'node:fs';

/** A user as stored by the accounts backend. */
export interface UserRow {
  id: string;
  name: string;
  username: string;
  /** Seconds since the Unix epoch. */
  birthday: number;
}

/** A product as stored by the products backend; price and weight are unitless integers. */
export interface ProductRow {
  upc: string;
  name: string;
  price: number;
  weight: number;
}

/** A review as stored by the reviews backend; `upc` names the reviewed product. */
export interface ReviewRow {
  id: string;
  body: string;
  upc: string;
}

const user = (id: string, name: string, username: string): UserRow => ({ id, name, username, birthday: 1234567890 });

/** All users, in id order. */
export const USERS: readonly UserRow[] = [
  user('1', 'Uri Goldshtein', 'urigo'),
  user('2', 'Dotan Simha', 'dotansimha'),
  user('3', 'Kamil Kisiela', 'kamilkisiela'),
  user('4', 'Arda Tanrikulu', 'ardatan'),
  user('5', 'Gil Gardosh', 'gilgardosh'),
  user('6', 'Laurin Quast', 'laurin'),
];

const product = (upc: string, name: string, price: number, weight: number): ProductRow => ({ upc, name, price, weight });

/** All products, in upc order. */
export const PRODUCTS: readonly ProductRow[] = [
  product('1', 'Table', 899, 100),
  product('2', 'Couch', 1299, 1000),
  product('3', 'Glass', 15, 20),
  product('4', 'Chair', 499, 100),
  product('5', 'TV', 1299, 1000),
  product('6', 'Lamp', 6999, 300),
  product('7', 'Grill', 3999, 2000),
  product('8', 'Fridge', 100000, 6000),
  product('9', 'Sofa', 9999, 800),
];

/** The upcs of the products in stock. */
export const IN_STOCK: ReadonlySet<string> = new Set(['1', '5', '6', '7', '9']);

function isReviewRow(value: unknown): value is ReviewRow {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Record<string, unknown>;
  return typeof row.id === 'string' && typeof row.body === 'string' && typeof row.upc === 'string';
}

// Read rather than imported so the file stays byte-identical to the benchmark's, and checked
// so that a hand edit that breaks its shape fails at start-up, not in a resolver.
function loadReviews(): readonly ReviewRow[] {
  const file = new URL('./reviews.json', import.meta.url);
  const rows: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(rows) || !rows.every(isReviewRow)) {
    throw new Error(`${file.pathname}: expected an array of { id, body, upc } strings`);
  }
  return rows;
}

/** All reviews, in id order (the benchmark's reviews.json). */
export const REVIEWS: readonly ReviewRow[] = loadReviews();

/** Users by id. */
export const USERS_BY_ID: ReadonlyMap<string, UserRow> = new Map(USERS.map((row) => [row.id, row]));

/** Products by upc. */
export const PRODUCTS_BY_UPC: ReadonlyMap<string, ProductRow> = new Map(PRODUCTS.map((row) => [row.upc, row]));

/** Reviews by id. */
export const REVIEWS_BY_ID: ReadonlyMap<string, ReviewRow> = new Map(REVIEWS.map((row) => [row.id, row]));
