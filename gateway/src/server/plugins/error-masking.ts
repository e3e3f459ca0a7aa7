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


/** Client-safe form of a formatted error. */
export function maskError(error: GraphQLFormattedError, requestId: string): GraphQLFormattedError {
  const code = error.extensions?.code;
  if (typeof code === 'string' && code in ERROR_CODES && code !== 'INTERNAL_SERVER_ERROR') {
    const { stacktrace: _stacktrace, exception: _exception, ...extensions } = error.extensions ?? {};
    return { ...error, extensions };
  }
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
    apollo: {
      async requestDidStart() {
        return {
          async didEncounterErrors({ errors, contextValue }) {
            for (const error of errors) {
              const code = error.extensions?.code;
              if (typeof code === 'string' && code in ERROR_CODES && code !== 'INTERNAL_SERVER_ERROR') continue;
              logger.error('unexpected error', {
                requestId: contextValue.requestId,
                error: error.message,
                path: error.path,
                stack: (error.originalError ?? error).stack,
              });
            }
          },
          async willSendResponse({ response, contextValue }) {
            if (response.body.kind === 'single' && response.body.singleResult.errors) {
              response.body.singleResult.errors = response.body.singleResult.errors.map((error) => maskError(error, contextValue.requestId));
            }
          },
        };
      },
    },
  };
}
