/**
 * Pipeline step "respond": errors a client sees carry a code from the documented list, and
 * nothing else. An unexpected error (a bug, an exception with no code) is logged with the
 * request id and reaches the client as `INTERNAL_SERVER_ERROR` with a fixed message: never a
 * stack trace, an internal message or a secret.
 */
import type { GraphQLFormattedError } from 'graphql';
import { ERROR_CODES } from '../../errors/index.js';
import type { Logger } from '../../telemetry/logger.js';
import type { GatewayPlugin } from '../plugin.js';
import { UNEXPECTED_ERROR_MESSAGE } from '../respond.js';

function isDocumented(code: unknown): boolean {
  return typeof code === 'string' && code in ERROR_CODES && code !== 'INTERNAL_SERVER_ERROR';
}

/** Client-safe form of a formatted error. */
export function maskError(error: GraphQLFormattedError, requestId: string): GraphQLFormattedError {
  if (isDocumented(error.extensions?.code)) {
    const { stacktrace: _stacktrace, exception: _exception, ...extensions } = error.extensions ?? {};
    return { ...error, extensions };
  }
  if (error.extensions?.code === 'INTERNAL_SERVER_ERROR' && error.message === UNEXPECTED_ERROR_MESSAGE) return error;
  return {
    message: UNEXPECTED_ERROR_MESSAGE,
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: { code: 'INTERNAL_SERVER_ERROR', requestId },
  };
}

/** The error-masking plugin: logs unexpected errors, masks them in the response. */
export function errorMaskingPlugin(logger: Logger): GatewayPlugin {
  return {
    name: 'error-masking',
    onResponse(response, exchange) {
      const errors = response.result.errors;
      if (errors === undefined) return;
      errors.forEach((error, index) => {
        if (isDocumented(error.extensions?.code) || error.message === UNEXPECTED_ERROR_MESSAGE) return;
        const original = response.executionErrors?.[index];
        const stack = (original?.originalError ?? original)?.stack;
        logger.error('unexpected error', { requestId: exchange.requestId, error: error.message, path: error.path, ...(stack ? { stack } : {}) });
      });
      response.result.errors = errors.map((error) => maskError(error, exchange.requestId));
    },
  };
}
