/**
 * Loads inventory.proto at run time (no generated stubs), for the server and for the clients
 * in tests, so the .proto file stays the one description of the service.
 */
import { loadPackageDefinition } from '@grpc/grpc-js';
import type { GrpcObject, ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';

/** Path of the service's .proto file. */
export const INVENTORY_PROTO_PATH = fileURLToPath(new URL('./inventory.proto', import.meta.url));

/** Fully qualified name of the service. */
export const INVENTORY_SERVICE = 'inventory.Inventory';

/** A `Stock` message as proto-loader presents it (camelCase field names). */
export interface Stock {
  upc: string;
  inStock: boolean;
  quantity: number;
}

/**
 * The service's client constructor (its `.service` is the server-side definition). Fields
 * are camelCased (`keepCase: false`) and absent scalars read as their defaults, as in proto3.
 */
export function loadInventoryService(): ServiceClientConstructor {
  const definition = loadSync(INVENTORY_PROTO_PATH, { keepCase: false, defaults: true });
  const inventory = loadPackageDefinition(definition).inventory as GrpcObject | undefined;
  const service = inventory?.Inventory;
  if (typeof service !== 'function') throw new Error(`${INVENTORY_PROTO_PATH} defines no service ${INVENTORY_SERVICE}`);
  return service as ServiceClientConstructor;
}
