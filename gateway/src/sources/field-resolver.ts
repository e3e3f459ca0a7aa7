/**
 * The request-time half shared by the REST and gRPC adapters: one resolver per served field
 * that makes the call, digs out `resultPath`, puts a list `@lookup` answer back in key order
 * and turns a `GatewayError` into the GraphQL error the client sees. What follows the resolver
 * (mapping JSON properties to fields by name) is graphql-js's default resolver.
 */
import type { GraphQLFieldResolver } from 'graphql';
import { GatewayError, isGatewayError } from '../errors/index.js';
import type { Logger } from '../telemetry/logger.js';
import type { DirectiveField } from './source-schema.js';
import type { TemplateScope } from './template.js';
import type { SourceContext } from './types.js';

/** Makes a field's backend call and resolves with the decoded answer (before `resultPath`). */
export type FieldCall = (scope: TemplateScope, context: SourceContext) => Promise<unknown>;

/**
 * Logs a failed backend call in full under the request id: which call (`GET /products/{upc}`,
 * `GetStockBatch`), the code, the upstream status and the cause. The client's error names only
 * the source and its status, so the log is where an operator finds the rest.
 */
export function logUpstreamFailure(logger: Logger, context: SourceContext | undefined, source: string, call: string, error: unknown): void {
  const cause = (error as { cause?: unknown } | null)?.cause;
  logger.warn('upstream call failed', {
    requestId: context?.requestId,
    source,
    call,
    code: isGatewayError(error) ? error.code : undefined,
    ...(isGatewayError(error) ? { status: error.details.status, grpcStatus: error.details.grpcStatus } : {}),
    error: error instanceof Error ? error.message : String(error),
    ...(cause instanceof Error ? { cause: cause.message } : {}),
  });
}

/** Property names (list indexes) of a `resultPath`; empty when the whole answer is the result. */
export type ResultPath = readonly string[];

/**
 * Splits a `resultPath` (`"data.items"`) once, at start-up. `undefined` or `""` is the whole
 * answer; an empty segment (`"a..b"`) is `SCHEMA_INVALID`, reported by `where`.
 */
export function compileResultPath(resultPath: unknown, where: string): ResultPath {
  if (resultPath === undefined || resultPath === null || resultPath === '') return [];
  const segments = String(resultPath).split('.');
  if (segments.some((segment) => segment === '')) {
    throw new GatewayError('SCHEMA_INVALID', `${where}: resultPath "${String(resultPath)}" has an empty segment; write it as "a.b.c".`);
  }
  return segments;
}

/** Reads `path` out of an answer; a missing step yields null (own properties only). */
export function readResultPath(value: unknown, path: ResultPath): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, key)) return null;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Puts a list lookup's answer in the order of its keys: one entity or null per key, matching
 * `entity[key]` and the key as strings (a backend may answer `1` for the key `"1"`). The
 * stitcher relies on it: a batch answer must hold one value per key, in key order.
 */
export function orderByKeys(source: string, coordinate: string, answer: unknown, keys: unknown, key: string): unknown[] {
  const wanted = Array.isArray(keys) ? keys : [];
  // null is "none of them" (an `errorStatus` mapped to null, say), not a malformed answer.
  if (answer === null || answer === undefined) return wanted.map(() => null);
  if (!Array.isArray(answer)) {
    throw new GatewayError('UPSTREAM_BAD_RESPONSE', `Source "${source}" answered ${coordinate} with ${typeof answer}, not a list.`, { source });
  }
  const byKey = new Map<string, unknown>();
  for (const entity of answer) {
    if (entity === null || typeof entity !== 'object') continue;
    const id = (entity as Record<string, unknown>)[key];
    if (id === null || id === undefined) continue;
    const text = String(id);
    if (!byKey.has(text)) byKey.set(text, entity);
  }
  return wanted.map((id) => byKey.get(String(id)) ?? null);
}

/**
 * The GraphQL error for a failed call: a `GatewayError` becomes an error whose extensions
 * hold `code`, `source` and the upstream status; anything else is passed on unchanged for the
 * server to mask.
 */
export function toFieldError(error: unknown): unknown {
  return isGatewayError(error) ? error.toGraphQLError() : error;
}

/** The resolver of a served field: call, `resultPath`, lookup order, error conversion. */
export function createFieldResolver(source: string, target: DirectiveField, resultPath: ResultPath, call: FieldCall): GraphQLFieldResolver<unknown, SourceContext, Record<string, unknown>> {
  const lookup = target.lookup;
  return async (parent, args, context) => {
    try {
      const answer = readResultPath(await call({ args, parent, context }, context), resultPath);
      return lookup === undefined ? answer : orderByKeys(source, target.coordinate, answer, args[lookup.argument], lookup.key);
    } catch (error) {
      throw toFieldError(error);
    }
  };
}
