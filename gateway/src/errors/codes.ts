/**
 * The one list of error codes a client can see, in `extensions.code` of a GraphQL error or in
 * the body of a request refused as a whole. Each code has one HTTP status and one line of
 * meaning; `docs/errors.md` documents every code (a test checks both lists agree).
 */
export const ERROR_CODES = {
  BAD_REQUEST: { status: 400, summary: 'The HTTP request is not a GraphQL request the gateway can read.' },
  BAD_USER_INPUT: { status: 400, summary: 'An argument or variable has a value the field cannot take.' },
  GRAPHQL_PARSE_FAILED: { status: 400, summary: 'The document is not valid GraphQL syntax.' },
  GRAPHQL_VALIDATION_FAILED: { status: 400, summary: 'The document does not validate against the unified graph.' },
  OPERATION_RESOLUTION_FAILURE: { status: 400, summary: 'The operation name does not match an operation in the document.' },
  METHOD_NOT_ALLOWED: { status: 405, summary: 'The HTTP method is not allowed for this request (a mutation over GET, say).' },
  NOT_ACCEPTABLE: { status: 406, summary: 'The Accept header asks for no media type the gateway can answer with.' },
  PAYLOAD_TOO_LARGE: { status: 413, summary: 'The request body is larger than server.bodyLimitBytes.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, summary: 'The Content-Type of a POST is not application/json.' },
  UNAUTHENTICATED: { status: 401, summary: 'No credential, or a credential that is not valid.' },
  FORBIDDEN: { status: 403, summary: 'The credential is valid but lacks what the field requires.' },
  IP_NOT_ALLOWED: { status: 403, summary: 'The client address is outside server.ipAllowList or inside server.ipDenyList; refused on every route.' },
  NOT_FOUND: { status: 404, summary: 'A source answered that the requested record does not exist; or, for a whole request, the gateway has no route for its path.' },
  PERSISTED_QUERY_NOT_FOUND: { status: 404, summary: 'The persisted document id or APQ hash is not known (not in persistedDocuments.manifest, not registered): send the document itself.' },
  PERSISTED_QUERY_NOT_SUPPORTED: { status: 400, summary: 'The request names a persisted document, but the gateway has neither a manifest nor automatic persisted queries (persistedDocuments).' },
  PERSISTED_QUERY_HASH_MISMATCH: { status: 400, summary: 'extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it.' },
  TRUSTED_DOCUMENT_REQUIRED: { status: 403, summary: 'Only trusted documents are accepted (persistedDocuments.mode, or the API key\'s trustedDocumentsOnly), and this one is not in the manifest or was sent as text where an id is required.' },
  RATE_LIMITED: { status: 429, summary: 'Too many requests in the current window.' },
  COST_ESTIMATED_TOO_EXPENSIVE: { status: 400, summary: 'The operation\'s estimated cost (from @cost and @listSize) exceeds demandControl.maxCost; it was not executed.' },
  UPSTREAM_UNAVAILABLE: { status: 502, summary: 'A source could not be reached (connection refused or reset, gRPC UNAVAILABLE).' },
  UPSTREAM_TIMEOUT: { status: 504, summary: 'A source did not answer within its timeout (gRPC DEADLINE_EXCEEDED).' },
  UPSTREAM_ERROR: { status: 502, summary: 'A source answered with an error (HTTP 4xx/5xx, a gRPC error status, or GraphQL errors).' },
  UPSTREAM_BAD_RESPONSE: { status: 502, summary: 'A source answered with a body the gateway cannot read as the declared type.' },
  STORE_UNAVAILABLE: { status: 503, summary: 'The key store (embedded file, PostgreSQL) or Redis could not be reached; the request may be retried.' },
  CONFIG_INVALID: { status: 500, summary: 'openclaw.config.ts or an OPENCLAW_* variable has a bad value (at start-up), or lacks a setting a CLI command needs.' },
  SCHEMA_INVALID: { status: 500, summary: 'The SDL under schema/ or a source declaration is not valid, or the sources do not compose into a supergraph, or the query planner refuses the supergraph (at start-up and in `openclaw check` only).' },
  INTERNAL_SERVER_ERROR: { status: 500, summary: 'An unexpected error in the gateway; details are in the log, never in the response.' },
} as const satisfies Record<string, { status: number; summary: string }>;

/** Every stable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;
