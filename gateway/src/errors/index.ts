/**
 * Errors: one error type with a stable code and an HTTP status, used by every step of the
 * pipeline. The codes are listed in `codes.ts` and documented in `docs/errors.md`.
 */
export { ERROR_CODES, type ErrorCode } from './codes.js';
export { GatewayError, isGatewayError, type ErrorDetails, type GatewayErrorOptions } from './gateway-error.js';
