/**
 * The gRPC source's `.proto`, loaded once at start-up: it gives the service's methods (their
 * paths and message codecs) and is the contract every `@grpc(method:)` is checked against.
 */
import { dirname } from 'node:path';
import type { MethodDefinition, PackageDefinition } from '@grpc/proto-loader';
import { fileLabel, schemaInvalid } from '../source-schema.js';
import type { SourceDefinition } from '../types.js';

/** A unary method of the service, with the codecs of its messages. */
export type UnaryMethod = MethodDefinition<object, object>;

/** The service a gRPC source calls. */
export interface ProtoService {
  /** Fully qualified service name, e.g. `inventory.Inventory`. */
  readonly name: string;
  /** How errors name the `.proto` file. */
  readonly label: string;
  /** Methods by their name in the `.proto` (`GetStock`). */
  readonly methods: ReadonlyMap<string, UnaryMethod>;
}

/**
 * How messages are decoded: fields in lowerCamelCase (GraphQL's convention), 64-bit integers
 * and enums as strings (they survive JSON), unset fields with their defaults, and the set
 * member of a `oneof` named.
 */
const LOADER_OPTIONS = { keepCase: false, longs: String, enums: String, defaults: true, oneofs: true };

function isService(value: PackageDefinition[string] | undefined): value is Record<string, UnaryMethod> {
  // Message and enum definitions carry a `format`; a service is a map of method definitions.
  return value !== undefined && !('format' in value);
}

/**
 * Loads `definition.proto` (imports resolved next to it) and finds `definition.service`. A
 * missing or unparsable file, or a service it does not declare, is `SCHEMA_INVALID` naming
 * the schema file.
 */
export async function loadService(definition: SourceDefinition): Promise<ProtoService> {
  const { proto, service } = definition;
  if (proto === undefined || service === undefined) {
    throw schemaInvalid(definition, `source "${definition.name}" is GRPC but @source lacks ${proto === undefined ? 'proto: "path/to/file.proto"' : 'service: "package.Service"'}.`);
  }
  const label = fileLabel(proto);
  let packageDefinition: PackageDefinition;
  try {
    const { load } = await import('@grpc/proto-loader');
    packageDefinition = await load(proto, { ...LOADER_OPTIONS, includeDirs: [dirname(proto)] });
  } catch (error) {
    throw schemaInvalid(definition, `the proto file ${label} of source "${definition.name}" cannot be loaded: ${(error as Error).message}`);
  }
  const found = packageDefinition[service];
  if (!isService(found)) {
    const services = Object.keys(packageDefinition).filter((name) => isService(packageDefinition[name]));
    throw schemaInvalid(definition, `${label} declares no service ${service}. Its services: ${services.length > 0 ? services.join(', ') : 'none'}.`);
  }
  return { name: service, label, methods: new Map(Object.entries(found)) };
}
