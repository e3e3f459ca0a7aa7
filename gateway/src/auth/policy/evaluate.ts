/**
 * Whether a Principal satisfies a field's requirements. An API key and a bearer token are
 * judged each by its own rule: `@apiKey` is the key's rule; `@authenticated`, `@requiresScope`
 * and `@requiresClaim` together are the token's. A field with both rules accepts either
 * credential, unless `@apiKey(withToken: true)` asks for both. Missing credentials are
 * UNAUTHENTICATED; a credential that lacks a scope or claim is FORBIDDEN.
 */
import type { Principal } from '../principal.js';
import type { Requirement } from './requirements.js';

/** A credential a field may be read with. */
export type Credential = 'apiKey' | 'bearer';

/** Why a field is refused. */
export interface Refusal {
  readonly code: 'UNAUTHENTICATED' | 'FORBIDDEN';
  /** What the field needs, in words (no secret: the schema is public). */
  readonly needs: string;
  /** The credentials the field's rules name: what a 401's `WWW-Authenticate` offers. */
  readonly accepts: readonly Credential[];
}

const quoted = (values: readonly string[]): string => values.map((value) => `"${value}"`).join(', ');

function claimHolds(claims: Readonly<Record<string, unknown>>, name: string, values: readonly string[]): boolean {
  const value = claims[name];
  const held = Array.isArray(value) ? value.map(String) : value === undefined || value === null ? [] : typeof value === 'string' ? value.split(' ') : [String(value)];
  return values.some((wanted) => held.includes(wanted));
}

function describeToken(rules: readonly Requirement[]): string {
  const parts = rules.flatMap((rule) => {
    if (rule.kind === 'scopes') {
      // Outer list OR, inner list AND: `scope "a" or "b"`, `scopes "a" and "b"`, `scopes ("a" and "b") or "c"`.
      const several = rule.anyOf.length > 1;
      const alternatives = rule.anyOf.map((all) => (all.length > 1 && several ? `(${all.map((scope) => `"${scope}"`).join(' and ')})` : all.map((scope) => `"${scope}"`).join(' and ')));
      return [`scope${rule.anyOf.some((all) => all.length > 1) ? 's' : ''} ${alternatives.join(' or ')}`];
    }
    if (rule.kind === 'claim') return [`claim "${rule.name}" holding ${rule.values.length > 1 ? 'one of ' : ''}${quoted(rule.values)}`];
    return [];
  });
  return parts.length === 0 ? 'a valid bearer token' : `a bearer token with ${parts.join(' and ')}`;
}

function describeKey(scopes: readonly string[]): string {
  return scopes.length === 0 ? 'a valid API key' : `an API key with scope${scopes.length > 1 ? 's' : ''} ${scopes.map((scope) => `"${scope}"`).join(' and ')}`;
}

/** The refusal of `requirements` for `principal`, or undefined when it may read the field. */
export function evaluate(requirements: readonly Requirement[], principal: Principal): Refusal | undefined {
  const keyRules = requirements.filter((rule): rule is Extract<Requirement, { kind: 'apiKey' }> => rule.kind === 'apiKey');
  const tokenRules = requirements.filter((rule) => rule.kind !== 'apiKey');
  const key = principal.kind === 'apiKey' ? principal : principal.apiKey;
  const token = principal.kind === 'jwt' || principal.kind === 'opaque' ? principal : undefined;

  const keyScopes = [...new Set(keyRules.flatMap((rule) => rule.scopes))];
  const keyOk = keyRules.length > 0 && key !== undefined && keyScopes.every((scope) => key.scopes.has(scope));
  const tokenOk = tokenRules.length > 0 && token !== undefined && tokenRules.every((rule) => {
    if (rule.kind === 'scopes') return rule.anyOf.some((all) => all.every((scope) => token.scopes.has(scope)));
    if (rule.kind === 'claim') return claimHolds(token.claims, rule.name, rule.values);
    return true;
  });
  const both = keyRules.some((rule) => rule.withToken);
  const accepts: Credential[] = [...(tokenRules.length > 0 ? ['bearer' as const] : []), ...(keyRules.length > 0 ? ['apiKey' as const] : [])];

  if (keyRules.length > 0 && tokenRules.length > 0) {
    if (both ? keyOk && tokenOk : keyOk || tokenOk) return undefined;
    const needs = both ? `${describeKey(keyScopes)} and ${describeToken(tokenRules)}` : `${describeKey(keyScopes)}, or ${describeToken(tokenRules)}`;
    const missing = both ? key === undefined || token === undefined : key === undefined && token === undefined;
    return { code: missing ? 'UNAUTHENTICATED' : 'FORBIDDEN', needs, accepts };
  }
  if (keyRules.length > 0) return keyOk ? undefined : { code: key === undefined ? 'UNAUTHENTICATED' : 'FORBIDDEN', needs: describeKey(keyScopes), accepts };
  if (tokenRules.length > 0) return tokenOk ? undefined : { code: token === undefined ? 'UNAUTHENTICATED' : 'FORBIDDEN', needs: describeToken(tokenRules), accepts };
  return undefined;
}
