/**
 * The orders backend's state and rules, apart from HTTP: validation of a new order and the
 * in-memory store (one per server instance, so tests never see each other's orders).
 */
import { PRODUCTS_BY_UPC } from '../data/index.js';

/** An order as the API returns it. */
export interface Order {
  id: string;
  userId: string;
  /** A reference the gateway completes from the products backend. */
  product: { upc: string };
  quantity: number;
  status: 'PLACED';
  /** ISO 8601 timestamp. */
  createdAt: string;
}

/** What `POST /orders` accepts. */
export interface NewOrder {
  userId: string;
  upc: string;
  quantity: number;
}

/** Largest quantity one order may carry. */
export const MAX_QUANTITY = 100;

/** A rejected order: `field` names the offending field of the request body. */
export class OrderInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Checks a `POST /orders` body; throws {@link OrderInputError} naming the first bad field. */
export function parseNewOrder(body: unknown): NewOrder {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new OrderInputError('body', 'the body must be a JSON object { userId, upc, quantity }');
  }
  const { userId, upc, quantity } = body as Record<string, unknown>;
  if (typeof userId !== 'string' || userId === '') {
    throw new OrderInputError('userId', `userId must be a non-empty string, got ${JSON.stringify(userId)}`);
  }
  if (typeof upc !== 'string' || upc === '') {
    throw new OrderInputError('upc', `upc must be a non-empty string, got ${JSON.stringify(upc)}`);
  }
  if (!PRODUCTS_BY_UPC.has(upc)) throw new OrderInputError('upc', `no product with upc ${JSON.stringify(upc)}`);
  if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw new OrderInputError(
      'quantity',
      `quantity must be an integer from 1 to ${MAX_QUANTITY}, got ${JSON.stringify(quantity)}`,
    );
  }
  return { userId, upc, quantity };
}

/** The orders placed on one server instance; ids are `o-1`, `o-2`, ... in placement order. */
export class OrderStore {
  readonly #byUser = new Map<string, Order[]>();
  #next = 1;

  constructor(private readonly now: () => Date) {}

  /** Stores a validated order and returns it. */
  place(input: NewOrder): Order {
    const order: Order = {
      id: `o-${this.#next++}`,
      userId: input.userId,
      product: { upc: input.upc },
      quantity: input.quantity,
      status: 'PLACED',
      createdAt: this.now().toISOString(),
    };
    const orders = this.#byUser.get(order.userId);
    if (orders) orders.push(order);
    else this.#byUser.set(order.userId, [order]);
    return order;
  }

  /** A user's orders, oldest first; empty for a user with none. */
  ofUser(userId: string): Order[] {
    return [...(this.#byUser.get(userId) ?? [])];
  }
}
