/** The directives operators write in `schema/*.graphql` (docs/directives.md). */
export { DIRECTIVES_DOCUMENT, DIRECTIVES_SDL, OPENCLAW_DIRECTIVE_NAMES, OPENCLAW_TYPE_NAMES } from './source.js';
export { AUTH_DIRECTIVES_SDL, AUTH_DIRECTIVE_NAMES, FEDERATION_AUTH_DIRECTIVES_SDL } from './auth.js';
export { RATE_LIMIT_BY_TYPE_NAME, RATE_LIMIT_DIRECTIVE_NAME, RATE_LIMIT_DIRECTIVE_SDL } from './rate-limit.js';
export { COST_DIRECTIVES_SDL, COST_DIRECTIVE_NAMES } from './cost.js';
