/**
 * Pipeline step "CSRF rule": a POST to the GraphQL path must say `Content-Type:
 * application/json` (the GraphQL over HTTP spec's media type). A browser cannot send that
 * cross-site without a CORS preflight, so no form or simple request can run a mutation;
 * anything else is refused with 415. GET never runs a mutation (the pipeline answers 405), so
 * it stays open for queries.
 */
import { parse } from 'content-type';
import { GatewayError } from '../../errors/index.js';
import type { GatewayPlugin } from '../plugin.js';

const ACCEPTED = new Set(['application/json', 'application/graphql-response+json']);

/** The media-type (CSRF) plugin for the GraphQL endpoint at `graphqlPath`. */
export function mediaTypePlugin(graphqlPath: string): GatewayPlugin {
  return {
    name: 'media-type',
    onRequest(exchange) {
      if (exchange.method !== 'POST' || exchange.url.pathname !== graphqlPath) return;
      const header = exchange.req.headers['content-type'];
      let parsed: ReturnType<typeof parse> | undefined;
      try {
        parsed = header === undefined ? undefined : parse(header);
      } catch {
        parsed = undefined;
      }
      if (parsed === undefined || !ACCEPTED.has(parsed.type)) {
        throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', `A GraphQL POST must have Content-Type: application/json; received ${header === undefined ? 'none' : JSON.stringify(header.slice(0, 200))}.`);
      }
      const charset = parsed.parameters.charset;
      if (charset !== undefined && charset.toLowerCase() !== 'utf-8') {
        throw new GatewayError('UNSUPPORTED_MEDIA_TYPE', `A GraphQL POST body must be UTF-8; received charset ${JSON.stringify(charset.slice(0, 60))}.`);
      }
    },
  };
}
