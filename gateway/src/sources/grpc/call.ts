/**
 * One `@grpc(...)` compiled at start-up, and the unary call it makes per request: the request
 * message rendered from its template, a deadline, the request's correlation metadata, and a
 * gRPC status turned into a `GatewayError` with `{ source, grpcStatus }`.
 */
import { status as Status, type Client, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { GatewayError } from '../../errors/index.js';
import { checkPlaceholders, schemaInvalid, type DirectiveField } from '../source-schema.js';
import { compileTemplate, type Template, type TemplateScope } from '../template.js';
import type { SourceDefinition } from '../types.js';
import type { ProtoService, UnaryMethod } from './proto.js';
import { CALLER_STATUSES, grpcErrorCode, grpcStatusName } from './status-codes.js';

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
    throw new GatewayError('BAD_USER_INPUT', `The request of ${call.name} must be an object, received ${JSON.stringify(message)}.`);
  }
  return message;
}

/** The `GatewayError` for a failed call, named after the source, method and status. */
export function callError(source: string, call: GrpcCall, error: ServiceError, deadlineMs: number): GatewayError {
  const grpcStatus = grpcStatusName(error.code);
  const details = { source, grpcStatus };
  if (error.code === Status.DEADLINE_EXCEEDED) {
    return new GatewayError('UPSTREAM_TIMEOUT', `Source "${source}" did not answer ${call.name} within ${deadlineMs} ms (gRPC status DEADLINE_EXCEEDED).`, details, { cause: error });
  }
  if (error.code === Status.UNAVAILABLE) {
    return new GatewayError('UPSTREAM_UNAVAILABLE', `Source "${source}" is unreachable (gRPC status UNAVAILABLE for ${call.name}).`, details, { cause: error });
  }
  const text = (error.details ?? '').trim();
  const quoted = CALLER_STATUSES.has(error.code) && text !== '' ? ` Upstream message: "${text.length > DETAILS_LIMIT ? `${text.slice(0, DETAILS_LIMIT)}...` : text}".` : '';
  return new GatewayError(grpcErrorCode(error.code), `Source "${source}" answered gRPC status ${grpcStatus} for ${call.name}.${quoted}`, details, { cause: error });
}

/** Options of one unary call. */
export interface UnaryOptions {
  readonly metadata: Metadata;
  readonly deadlineMs: number;
  /** The client's request signal: an aborted request cancels its calls. */
  readonly signal: AbortSignal | undefined;
}

/** Makes one unary call; resolves with the decoded response message, rejects with a `GatewayError`. */
export function unaryCall(client: Client, source: string, call: GrpcCall, message: object, options: UnaryOptions): Promise<unknown> {
  const { method } = call;
  const { signal, deadlineMs } = options;
  if (signal?.aborted) {
    return Promise.reject(new GatewayError('UPSTREAM_UNAVAILABLE', `The call to source "${source}" was cancelled.`, { source }));
  }
  return new Promise((resolve, reject) => {
    const onAbort = (): void => pending.cancel();
    const pending = client.makeUnaryRequest(
      method.path,
      method.requestSerialize,
      method.responseDeserialize,
      message,
      options.metadata,
      { deadline: Date.now() + deadlineMs },
      (error, response) => {
        signal?.removeEventListener('abort', onAbort);
        if (error === null || error === undefined) {
          resolve(response);
        } else if (error.code === Status.CANCELLED && signal?.aborted) {
          reject(new GatewayError('UPSTREAM_UNAVAILABLE', `The call to source "${source}" was cancelled.`, { source, grpcStatus: 'CANCELLED' }, { cause: error }));
        } else {
          reject(callError(source, call, error, deadlineMs));
        }
      },
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
