/**
 * Pipeline step "authorize": the graph's auth directives checked against the request's
 * Principal before execution (auth/policy/). By default ("filter") a refused field comes back
 * null with an UNAUTHENTICATED or FORBIDDEN error at its path, no backend is asked for it, and
 * the rest of the data comes back; "reject" refuses the whole operation instead (401 with a
 * `WWW-Authenticate` challenge per credential the refused field accepts, or 403).
 * A document that selects no protected field costs nothing per request.
 */
import type { DocumentNode } from 'graphql';
import { challengesFor } from '../../auth/challenge.js';
import { analyse, decide, fill, prune, refusalKey, rejection } from '../../auth/policy/pass.js';
import { GatewayError } from '../../errors/index.js';
import type { GatewayPlugin } from '../plugin.js';
import type { GatewayState } from '../state.js';

/** How refused fields are answered. */
export type AuthorizationMode = 'filter' | 'reject';

/** Pruned documents kept per document: one per distinct set of refusals, bounded. */
const PRUNED_PER_DOCUMENT = 32;

/** The authorization plugin over the graph's policies (`state.policies`, set by compose). */
export function authorizePlugin(state: Pick<GatewayState, 'policies'>, mode: AuthorizationMode): GatewayPlugin {
  return {
    name: 'authorize',
    onDocument(document, schema) {
      const policy = analyse(document, schema, state.policies);
      if (policy === undefined) return undefined;
      const pruned = new Map<string, DocumentNode>();
      return (operation) => {
        const refusals = decide(policy, operation.context.principal);
        if (refusals.size === 0) return undefined;
        if (mode === 'reject') {
          const { error, accepts } = rejection(refusals);
          const code = error.extensions.code as 'UNAUTHENTICATED' | 'FORBIDDEN';
          // A 401 says how to authenticate: a challenge per credential the field accepts.
          throw new GatewayError(code, error.message, {}, code === 'UNAUTHENTICATED' ? { headers: { 'www-authenticate': challengesFor(accepts) } } : undefined);
        }
        const key = refusalKey(refusals);
        let document = pruned.get(key);
        if (document === undefined) {
          document = prune(operation.original, schema, refusals);
          if (pruned.size >= PRUNED_PER_DOCUMENT) pruned.delete(pruned.keys().next().value as string);
          pruned.set(key, document);
        }
        operation.document = document;
        return (result) => {
          const errors = fill(operation.original, operation.operationName, schema, refusals, result);
          if (errors.length > 0) result.errors = [...(result.errors ?? []), ...errors];
        };
      };
    },
  };
}
