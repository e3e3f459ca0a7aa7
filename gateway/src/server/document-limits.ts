/**
 * Operation limits (`limits.*`): what a document may cost before anything recursive or
 * quadratic runs on it. Three steps, each linear in the document:
 *
 *  1. `checkLexical`, before the parser: a pass of graphql-js's Lexer (a loop, no recursion)
 *     that counts tokens and bracket nesting and stops at the first one over its limit, so
 *     the recursive parser never sees a document that could exhaust the stack.
 *  2. `checkOperations`, after the parser and before validation: one walk with each fragment
 *     summarised once (memoised), so a fragment spread twice in each of 40 fragments costs 40
 *     summaries, not 2^40 expansions. It measures what the document becomes once fragments
 *     are expanded (fields, depth, aliases, root fields, introspection) and refuses a fragment
 *     cycle itself, since validation has not run yet.
 *  3. Still before validation, once the expanded size is known to be bounded: the fields that
 *     merge into one response field (the same response key at the same path) are counted,
 *     because graphql-js's OverlappingFieldsCanBeMerged compares every pair of them.
 *
 * Each refusal names the limit, its config key and the value found.
 */
import {
  Kind,
  Lexer,
  Source,
  TokenKind,
  type DirectiveNode,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLError,
  type SelectionSetNode,
} from 'graphql';
import type { ResolvedLimitsConfig } from '../config/types.js';

/** A document over one of the limits: the key, its configured value and what was found. */
export interface LimitExceeded {
  /** The config key, e.g. `limits.maxDepth`. */
  readonly key: string;
  readonly limit: number;
  /** The value found (for a count stopped early, the first value over the limit). */
  readonly found: number;
  /** The client-facing message, naming the limit, its key and the value found. */
  readonly message: string;
}

const exceeded = (key: keyof ResolvedLimitsConfig, what: string, found: number, limit: number): LimitExceeded => ({
  key: `limits.${key}`,
  limit,
  found,
  message: `${what} is ${found}, over the limit of ${limit} (limits.${key}).`,
});

const OPENING = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/**
 * Tokens and nesting of `query`, counted by the lexer alone, stopping at the first excess.
 * A syntax error is left for the parser to report (with its location).
 */
export function checkLexical(query: string, limits: ResolvedLimitsConfig): LimitExceeded | undefined {
  const lexer = new Lexer(new Source(query));
  let tokens = 0;
  let nesting = 0;
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      if (++tokens > limits.maxTokens) return exceeded('maxTokens', 'The number of tokens in the document', tokens, limits.maxTokens);
      if (OPENING.has(token.kind)) {
        if (++nesting > limits.maxNesting) return exceeded('maxNesting', 'The nesting of brackets in the document', nesting, limits.maxNesting);
      } else if (CLOSING.has(token.kind)) {
        nesting--;
      }
    }
  } catch (error) {
    if ((error as GraphQLError).name === 'GraphQLError') return undefined;
    throw error;
  }
  return undefined;
}

/** What a selection set becomes once its fragments are expanded. */
interface Summary {
  /** Field selections, counting each spread of a fragment with all of its fields. */
  fields: number;
  aliases: number;
  /** The longest path of fields outside introspection (a leaf counts 1). */
  depth: number;
  /** The longest path of fields, introspection included. */
  fullDepth: number;
  /** The deepest `__schema`/`__type` subtree, counting that field. */
  introspectionDepth: number;
  /** `__schema` and `__type` selections. */
  introspectionFields: number;
  /** Fields directly in this set (through fragments, not into sub-selections). */
  topFields: number;
}

const INTROSPECTION = new Set(['__schema', '__type']);
const EMPTY: Summary = { fields: 0, aliases: 0, depth: 0, fullDepth: 0, introspectionDepth: 0, introspectionFields: 0, topFields: 0 };

/** A fragment cycle, found before validation (which would report it as well). */
class FragmentCycle extends Error {}

/** The walk of one document: fragments summarised once each. */
class DocumentWalk {
  private readonly summaries = new Map<string, Summary | 'pending'>();
  /** The greatest number of directives found at one location. */
  directives = 0;

  constructor(
    readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly maxDirectives: number,
  ) {}

  private noteDirectives(directives: readonly DirectiveNode[] | undefined): void {
    if (directives !== undefined && directives.length > this.directives) this.directives = directives.length;
  }

  /** True when an operation spreads `name`, directly or through other fragments. */
  reached(name: string): boolean {
    return this.summaries.has(name);
  }

  fragment(name: string): Summary {
    const known = this.summaries.get(name);
    if (known === 'pending') throw new FragmentCycle(`Cannot spread fragment "${name}" within itself.`);
    if (known !== undefined) return known;
    const definition = this.fragments.get(name);
    if (definition === undefined) return EMPTY;
    this.summaries.set(name, 'pending');
    this.noteDirectives(definition.directives);
    const summary = this.selectionSet(definition.selectionSet);
    this.summaries.set(name, summary);
    return summary;
  }

  selectionSet(set: SelectionSetNode): Summary {
    const out: Summary = { ...EMPTY };
    for (const selection of set.selections) {
      this.noteDirectives(selection.directives);
      if (selection.kind === Kind.FIELD) {
        const inner = selection.selectionSet === undefined ? EMPTY : this.selectionSet(selection.selectionSet);
        const introspective = INTROSPECTION.has(selection.name.value);
        out.fields += 1 + inner.fields;
        out.aliases += (selection.alias === undefined ? 0 : 1) + inner.aliases;
        out.topFields += 1;
        out.fullDepth = Math.max(out.fullDepth, 1 + inner.fullDepth);
        out.introspectionFields += (introspective ? 1 : 0) + inner.introspectionFields;
        if (introspective) {
          out.introspectionDepth = Math.max(out.introspectionDepth, 1 + inner.fullDepth);
        } else {
          out.depth = Math.max(out.depth, 1 + inner.depth);
          out.introspectionDepth = Math.max(out.introspectionDepth, inner.introspectionDepth);
        }
      } else {
        const inner = selection.kind === Kind.INLINE_FRAGMENT ? this.selectionSet(selection.selectionSet) : this.fragment(selection.name.value);
        out.fields += inner.fields;
        out.aliases += inner.aliases;
        out.topFields += inner.topFields;
        out.fullDepth = Math.max(out.fullDepth, inner.fullDepth);
        out.depth = Math.max(out.depth, inner.depth);
        out.introspectionFields += inner.introspectionFields;
        out.introspectionDepth = Math.max(out.introspectionDepth, inner.introspectionDepth);
      }
      if (this.directives > this.maxDirectives) return out;
    }
    return out;
  }
}

/**
 * The greatest number of field selections that merge into one response field under `sets`
 * (fields sharing a response key at one path, gathered through fragments), stopping as soon
 * as one group passes `max`. Runs only on documents whose expanded size is bounded and that
 * have no fragment cycle, so walking every expansion is bounded by `limits.maxFields`.
 */
function largestMerge(sets: readonly SelectionSetNode[], fragments: ReadonlyMap<string, FragmentDefinitionNode>, max: number): number {
  const groups = new Map<string, FieldNode[]>();
  const collect = (set: SelectionSetNode): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const group = groups.get(key);
        if (group === undefined) groups.set(key, [selection]);
        else group.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        collect(selection.selectionSet);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment !== undefined) collect(fragment.selectionSet);
      }
    }
  };
  for (const set of sets) collect(set);
  let largest = 0;
  for (const group of groups.values()) {
    largest = Math.max(largest, group.length);
    if (largest > max) return largest;
    const inner = group.flatMap((field) => (field.selectionSet === undefined ? [] : [field.selectionSet]));
    if (inner.length > 0) largest = Math.max(largest, largestMerge(inner, fragments, max));
    if (largest > max) return largest;
  }
  return largest;
}

/**
 * Why a parsed document cannot be validated: a limit it exceeds, or a fault validation would
 * report too (a fragment cycle, an unused fragment) found first, because the checks here
 * expand fragments and validation has not run yet.
 */
export type OperationsVerdict = { readonly limit: LimitExceeded } | { readonly invalid: string } | undefined;

/**
 * The limits of `document` that need its fragments expanded, each operation on its own;
 * `undefined` when it is within all of them. Linear in the document's size.
 */
export function checkOperations(document: DocumentNode, limits: ResolvedLimitsConfig): OperationsVerdict {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  if (fragments.size > limits.maxFragments) return { limit: exceeded('maxFragments', 'The number of fragments in the document', fragments.size, limits.maxFragments) };
  const walk = new DocumentWalk(fragments, limits.maxDirectivesPerLocation);
  const roots: SelectionSetNode[] = [];
  try {
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
      const found = tooMuch(walk, walk.selectionSet(definition.selectionSet), limits, [definition.directives, ...(definition.variableDefinitions ?? []).map((variable) => variable.directives)]);
      if (found !== undefined) return { limit: found };
      roots.push(definition.selectionSet);
    }
  } catch (error) {
    if (error instanceof FragmentCycle) return { invalid: error.message };
    throw error;
  }
  // An unused fragment would be validated on its own; graphql-js refuses it anyway.
  for (const name of fragments.keys()) if (!walk.reached(name)) return { invalid: `Fragment "${name}" is never used.` };
  for (const root of roots) {
    const merged = largestMerge([root], fragments, limits.maxMergedFields);
    if (merged > limits.maxMergedFields) {
      return { limit: exceeded('maxMergedFields', 'The number of fields merged into one response field (one response key at one path)', merged, limits.maxMergedFields) };
    }
  }
  return undefined;
}

function tooMuch(walk: DocumentWalk, summary: Summary, limits: ResolvedLimitsConfig, directives: ReadonlyArray<readonly DirectiveNode[] | undefined>): LimitExceeded | undefined {
  for (const list of directives) {
    if (list !== undefined && list.length > walk.directives) walk.directives = list.length;
  }
  if (walk.directives > limits.maxDirectivesPerLocation) return exceeded('maxDirectivesPerLocation', 'The number of directives at one location', walk.directives, limits.maxDirectivesPerLocation);
  if (summary.fields > limits.maxFields) return exceeded('maxFields', `The operation's number of fields, with its fragments expanded,`, summary.fields, limits.maxFields);
  if (summary.depth > limits.maxDepth) return exceeded('maxDepth', `The operation's depth`, summary.depth, limits.maxDepth);
  if (summary.aliases > limits.maxAliases) return exceeded('maxAliases', `The operation's number of aliases`, summary.aliases, limits.maxAliases);
  if (summary.topFields > limits.maxRootFields) return exceeded('maxRootFields', 'The operation\'s number of root fields', summary.topFields, limits.maxRootFields);
  if (summary.introspectionFields > limits.maxIntrospectionFields) {
    return exceeded('maxIntrospectionFields', `The operation's number of introspection fields (__schema, __type)`, summary.introspectionFields, limits.maxIntrospectionFields);
  }
  if (summary.introspectionDepth > limits.maxIntrospectionDepth) return exceeded('maxIntrospectionDepth', `The operation's introspection depth`, summary.introspectionDepth, limits.maxIntrospectionDepth);
  return undefined;
}
