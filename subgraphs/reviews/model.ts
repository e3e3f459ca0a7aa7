/**
 * What the reviews subgraph knows of the entities other backends own: only their keys. These
 * are the parent values its `User` and `Product` resolvers receive.
 */

/** A user reference: `{ id }` from `_entities` or from a review's author. */
export interface UserRef {
  id: string;
}

/** A product reference: `{ upc }` from `_entities` or from a review's product. */
export interface ProductRef {
  upc: string;
}
