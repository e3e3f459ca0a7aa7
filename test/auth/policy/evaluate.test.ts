/** How a field's rules judge a Principal: key rules, token rules, either or both. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ANONYMOUS, type Principal } from '../../../gateway/src/auth/principal.js';
import { evaluate } from '../../../gateway/src/auth/policy/evaluate.js';
import type { Requirement } from '../../../gateway/src/auth/policy/requirements.js';

const key = (scopes: string[]): Principal => ({ kind: 'apiKey', subject: 'k', keyId: 'k', scopes: new Set(scopes), claims: {} });
const token = (scopes: string[], claims: Record<string, unknown> = {}, apiKey?: Principal): Principal => ({ kind: 'jwt', subject: 'u', scopes: new Set(scopes), claims, ...(apiKey ? { apiKey } : {}) });

const readOrders: Requirement[] = [{ kind: 'apiKey', scopes: ['orders:read'], withToken: false }, { kind: 'scopes', anyOf: [['orders:read']] }];
const placeOrder: Requirement[] = [
  { kind: 'apiKey', scopes: ['orders:write'], withToken: false },
  { kind: 'scopes', anyOf: [['orders:write']] },
  { kind: 'claim', name: 'amr', values: ['mfa'] },
];

test('either credential passes a field that has both rules', () => {
  assert.equal(evaluate(readOrders, key(['orders:read'])), undefined);
  assert.equal(evaluate(readOrders, token(['orders:read'])), undefined);
  assert.deepEqual(evaluate(readOrders, ANONYMOUS), {
    code: 'UNAUTHENTICATED',
    needs: 'an API key with scope "orders:read", or a bearer token with scope "orders:read"',
    accepts: ['bearer', 'apiKey'],
  });
  assert.equal(evaluate(readOrders, key(['orders:write']))?.code, 'FORBIDDEN');
});

test('a token needs every token rule (scope and MFA claim); a key only its own', () => {
  assert.equal(evaluate(placeOrder, key(['orders:write'])), undefined, "a partner's key needs no MFA");
  assert.equal(evaluate(placeOrder, token(['orders:write']))?.code, 'FORBIDDEN');
  assert.equal(evaluate(placeOrder, token(['orders:write'], { amr: ['pwd', 'mfa'] })), undefined);
  assert.equal(evaluate(placeOrder, token(['orders:read'], { amr: ['mfa'] }))?.code, 'FORBIDDEN');
});

test('withToken asks for both credentials', () => {
  const both: Requirement[] = [{ kind: 'apiKey', scopes: [], withToken: true }, { kind: 'authenticated' }];
  assert.equal(evaluate(both, key([]))?.code, 'UNAUTHENTICATED');
  assert.equal(evaluate(both, token([]))?.code, 'UNAUTHENTICATED');
  assert.equal(evaluate(both, token([], {}, key([]))), undefined);
});

test('scopes: outer list OR, inner list AND; claims match strings or lists', () => {
  const rule: Requirement[] = [{ kind: 'scopes', anyOf: [['a', 'b'], ['c']] }];
  assert.equal(evaluate(rule, token(['a']))?.code, 'FORBIDDEN');
  assert.equal(evaluate(rule, token(['a', 'b'])), undefined);
  assert.equal(evaluate(rule, token(['c'])), undefined);
  const acr: Requirement[] = [{ kind: 'claim', name: 'acr', values: ['urn:mfa', 'loa3'] }];
  assert.equal(evaluate(acr, token([], { acr: 'loa3' })), undefined);
  assert.equal(evaluate(acr, token([], { acr: 'loa1' }))?.code, 'FORBIDDEN');
});

test('what a refused field needs reads as the rule: OR between alternatives, AND within one', () => {
  const needs = (requirements: Requirement[]) => evaluate(requirements, token([]))?.needs;
  assert.equal(needs([{ kind: 'scopes', anyOf: [['a'], ['b']] }]), 'a bearer token with scope "a" or "b"');
  assert.equal(needs([{ kind: 'scopes', anyOf: [['a', 'b']] }]), 'a bearer token with scopes "a" and "b"');
  assert.equal(needs([{ kind: 'scopes', anyOf: [['a', 'b'], ['c']] }]), 'a bearer token with scopes ("a" and "b") or "c"');
  assert.equal(evaluate([{ kind: 'apiKey', scopes: ['a', 'b'], withToken: false }], key([]))?.needs, 'an API key with scopes "a" and "b"');
  assert.equal(needs([{ kind: 'claim', name: 'acr', values: ['urn:mfa', 'loa3'] }]), 'a bearer token with claim "acr" holding one of "urn:mfa", "loa3"');
});
