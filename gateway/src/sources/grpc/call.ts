/**
 * One `@grpc(...)` compiled at start-up: the request message rendered from its template per
 * call, its deadline, and a gRPC status turned into a `GatewayError` with
 * `{ source, grpcStatus }`. The call itself goes through the gRPC transport.
 */
import { GatewayError } from '../../errors/index.js';
import { grpcStatusName, type GrpcStatusError } from '../../traffic/upstream/index.js';
import { checkPlaceholders, schemaInvalid, type DirectiveField } from '../source-schema.js';
import { compileTemplate, type Template, type TemplateScope } from '../template.js';
import type { SourceDefinition } from '../types.js';
import type { ProtoService, UnaryMethod } from './proto.js';
import { CALLER_STATUSES, grpcErrorCode } from './status-codes.js';

/** A compiled `@grpc`. */
export interface GrpcCall {
  /** The method's name in the `.proto`, as errors name it. */
  readonly name: string;
  readonly method: UnaryMethod;
  /** The request message template; absent means an empty message. */
  readonly request: Template | undefined;
  /** `deadlineMs` of the directive; the source's timeout applies when absent. */
  readonly deadlineMs: number | undefined;
}

/** Longest piece of upstream details quoted in an error. */
const DETAILS_LIMIT = 200;

/**
 * Compiles the `@grpc` of `target` against `service`: the method must exist and be unary,
 * placeholders must name the field's arguments. Throws `SCHEMA_INVALID` naming file and field.
 */
export function compileGrpcCall(definition: SourceDefinition, target: DirectiveField, service: ProtoService): GrpcCall {
  const { method: name, request, deadlineMs } = target.args;
  const method = typeof name === 'string' ? service.methods.get(name) : undefined;
  if (method === undefined) {
    const methods = [...service.methods.keys()];
    throw schemaInvalid(
      definition,
      `${target.coordinate} is @grpc(method: ${JSON.stringify(name)}), but service ${service.name} in ${service.label} has no such method. Its methods: ${methods.length > 0 ? methods.join(', ') : 'none'}.`,
    );
  }
  if (method.requestStream || method.responseStream) {
    throw schemaInvalid(definition, `${target.coordinate} is @grpc(method: "${String(name)}"), a streaming method; only unary methods can serve a field.`);
  }
  if (deadlineMs !== undefined && deadlineMs !== null && (typeof deadlineMs !== 'number' || deadlineMs <= 0)) {
    throw schemaInvalid(definition, `${target.coordinate} @grpc(deadlineMs:): expected a positive number of milliseconds, received ${JSON.stringify(deadlineMs)}.`);
  }
  const where = `${target.coordinate} @grpc(request:)`;
  const template = request === undefined || request === null ? undefined : compileTemplate(request, `${definition.label}: ${where}`);
  checkPlaceholders(definition, target, where, template?.placeholders ?? []);
  return { name: String(name), method, request: template, deadlineMs: typeof deadlineMs === 'number' ? deadlineMs : undefined };
}

/** The request message for one resolver invocation (an object; a template yielding no object is `BAD_USER_INPUT`). */
export function renderRequest(call: GrpcCall, scope: TemplateScope): object {
  const message = call.request?.render(scope) ?? {};
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    // Never names the method: the client learns what was wrong, not the backend's API.
    const received = message === null ? 'null' : Array.isArray(message) ? 'a list' : `a ${typeof message}`;
    throw new GatewayError('BAD_USER_INPUT', `The gRPC request built from this field's arguments must be an object; it is ${received}.`);
  }
  return message;
}

/**
 * The `GatewayError` for a call answered with a gRPC status (transport statuses are the
 * transport's, see traffic/upstream/grpc.ts). The message names the source and the status, and
 * quotes the details of a status written for the caller; never the method (it would map the
 * backend for any client: the log has it).
 */
export function statusError(source: string, error: GrpcStatusError): GatewayError {
  const grpcStatus = grpcStatusName(error.code);
  const text = error.details.trim();
  const quoted = CALLER_STATUSES.has(error.code) && text !== '' ? ` Upstream message: "${text.length > DETAILS_LIMIT ? `${text.slice(0, DETAILS_LIMIT)}...` : text}".` : '';
  return new GatewayError(grpcErrorCode(error.code), `Source "${source}" answered gRPC status ${grpcStatus}.${quoted}`, { source, grpcStatus }, { cause: error });
}
