/**
 * Pipeline step "field rate limits": the graph's `@rateLimit(max:, window:, by:)` fields,
 * counted before execution with the one limiter. A field over its limit is not fetched: it is
 * pruned from the document the engine runs, and comes back null with a `RATE_LIMITED` error
 * at its path (the rest of the data comes back). Pruning and filling are authorization's own
 * (auth/policy/pass.ts `prune` / `fill`), so both steps answer a removed field the same way.
 *
 * It runs after authorization: a field the caller may not read is not fetched, so it is not
 * counted either. Each limit counts the places the operation selects the field (aliases and
 * fragment spreads included) in one step, so aliases cannot multiply a limit. A document that
 * selects no limited field costs nothing per request.
 */
import { Kind, type DocumentNode, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql';
import type { Refusal } from '../../auth/policy/evaluate.js';
import { fill, prune, refusalKey } from '../../auth/policy/pass.js';
import { limitedSelections, rateLimitedError, type FieldRateLimit, type LimitedSelection, type RateLimiter } from '../../traffic/rate-limit/index.js';
import type { GatewayPlugin, Operation } from '../plugin.js';
import type { GatewayState } from '../state.js';
import { subjectKey } from './rate-limit.js';

/** Pruned documents kept per document: one per distinct set of refused fields, bounded. */
const PRUNED_PER_DOCUMENT = 32;

/** Marks a refusal as ours in the errors `fill` writes, to give them our own message. */
const MARK = '\u0000rate-limit:';

/** The operation of `document` named `name` (or its only one). */
function operationOf(document: DocumentNode, name: string | undefined): OperationDefinitionNode | undefined {
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION && (name === undefined || definition.name?.value === name)) return definition;
  }
  return undefined;
}

/** Whose counter a limit spends for `operation`: the key's, the subject's, else the client IP's. */
function counterOf(limit: FieldRateLimit, operation: Operation): string {
  const { principal } = operation.context;
  if (limit.by === 'API_KEY') {
    const keyId = principal.kind === 'apiKey' ? principal.keyId : principal.apiKey?.keyId;
    if (keyId !== undefined) return `key:${keyId}`;
  } else if (limit.by === 'SUBJECT') {
    const subject = subjectKey(principal);
    if (subject !== undefined) return `subject:${subject}`;
  }
  return `ip:${operation.exchange.clientIp}`;
}

/** The field-rate-limit plugin over `limiter`, reading the graph's limits from `state` (set by compose). */
export function fieldRateLimitPlugin(limiter: RateLimiter, state: Pick<GatewayState, 'fieldRateLimits'>): GatewayPlugin {
  return {
    name: 'field-rate-limit',
    onDocument(document, schema) {
      const limits = state.fieldRateLimits;
      if (limits.size === 0) return undefined;
      const selects = document.definitions.some((definition) => definition.kind === Kind.OPERATION_DEFINITION && limitedSelections(schema, document, definition, limits).length > 0);
      if (!selects) return undefined;
      // By the document that runs: authorization may have pruned the original.
      const analysed = new WeakMap<DocumentNode, Map<string, readonly LimitedSelection[]>>();
      const pruned = new WeakMap<DocumentNode, Map<string, DocumentNode>>();
      const selectionsOf = (running: DocumentNode, name: string | undefined): readonly LimitedSelection[] => {
        let byName = analysed.get(running);
        if (byName === undefined) analysed.set(running, (byName = new Map()));
        let selected = byName.get(name ?? '');
        if (selected === undefined) {
          const definition = operationOf(running, name);
          selected = definition === undefined ? [] : limitedSelections(schema, running, definition, limits);
          byName.set(name ?? '', selected);
        }
        return selected;
      };
      return async (operation) => {
        const selected = selectionsOf(operation.document, operation.operationName);
        if (selected.length === 0) return undefined;
        const refusals = new Map<string, Refusal>();
        const messages: GatewayErrorLike[] = [];
        for (const selection of selected) {
          const { limit } = selection;
          const decision = await limiter.consume(`field:${limit.declaredAt}:${counterOf(limit, operation)}`, limit.policy, selection.count);
          if (decision.allowed) continue;
          const refusal = rateLimitedError(`field ${limit.declaredAt}`, decision);
          const mark = `${MARK}${messages.length}`;
          messages.push({ message: refusal.message, details: refusal.details });
          for (const coordinate of selection.coordinates) {
            if (!refusals.has(coordinate)) refusals.set(coordinate, { code: 'RATE_LIMITED' as Refusal['code'], needs: mark, accepts: [] });
          }
        }
        if (refusals.size === 0) return undefined;
        const base = operation.document;
        let cache = pruned.get(base);
        if (cache === undefined) pruned.set(base, (cache = new Map()));
        const key = refusalKey(refusals);
        let document = cache.get(key);
        if (document === undefined) {
          document = prune(base, schema, refusals);
          if (cache.size >= PRUNED_PER_DOCUMENT) cache.delete(cache.keys().next().value as string);
          cache.set(key, document);
        }
        operation.document = document;
        return (result) => {
          const errors = fill(operation.original, operation.operationName, schema, refusals, result).map((error) => withOwnMessage(error, messages));
          if (errors.length > 0) result.errors = [...(result.errors ?? []), ...errors];
        };
      };
    },
  };
}

/** What a refused limit says. */
interface GatewayErrorLike {
  readonly message: string;
  readonly details: Readonly<Record<string, unknown>>;
}

/** `fill`'s error for one of our refusals, with the limiter's message and details instead of authorization's. */
function withOwnMessage(error: GraphQLFormattedError, messages: readonly GatewayErrorLike[]): GraphQLFormattedError {
  const at = error.message.indexOf(MARK);
  const own = at < 0 ? undefined : messages[Number.parseInt(error.message.slice(at + MARK.length), 10)];
  const message = own?.message ?? 'Field rate limit reached.';
  return { ...error, message, extensions: { ...own?.details, code: 'RATE_LIMITED' } };
}
