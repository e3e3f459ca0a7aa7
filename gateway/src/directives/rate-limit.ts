/**
 * `@rateLimit`: a limit on how often a field may be selected, per API key, token subject or
 * client IP. Compose reads it once into a per-coordinate map (traffic/rate-limit/field-limits.ts);
 * the field-rate-limit step enforces it before execution. docs/directives.md documents it.
 */

/** SDL of `@rateLimit` and the enum of its `by` argument. */
export const RATE_LIMIT_DIRECTIVE_SDL = /* GraphQL */ `
  "Whose selections of a field a @rateLimit counts: the API key's, the caller's (a token's subject, or the key's id), or the client IP's. A request without that identity is counted per client IP."
  enum OpenClawRateLimitBy { API_KEY SUBJECT IP }

  "At most max selections of this field per window (the limiter's syntax: s, 30s, min, 15min, h, d) for each API key, subject or IP. Over it, the field is null with a RATE_LIMITED error at its path and is not fetched; the rest of the data is returned."
  directive @rateLimit(max: Int!, window: String!, by: OpenClawRateLimitBy = API_KEY) on FIELD_DEFINITION
`;

/** The directive's name. */
export const RATE_LIMIT_DIRECTIVE_NAME = 'rateLimit';

/** The enum `by` takes. */
export const RATE_LIMIT_BY_TYPE_NAME = 'OpenClawRateLimitBy';
