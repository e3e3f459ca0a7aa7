/**
 * Templates in `@rest` / `@grpc` arguments: `{args.a.b}`, `{parent.x}`, `{context.requestId}`.
 * Every template is compiled once, at start-up, into a tree of parts; rendering a request only
 * walks that tree (no parsing, no regular expressions on the request path).
 *
 * Rules (documented in docs/directives.md, "Templates"):
 * - a string that is exactly one placeholder renders to the raw value (list, object, number,
 *   boolean, null), so `body: "{args.input}"` sends the input object as it is;
 * - a string with text around its placeholders interpolates: lists comma-joined, null -> '',
 *   objects as JSON; in a URL path each interpolated value is percent-encoded;
 * - objects and lists render recursively; values without placeholders are constants.
 */
import { GatewayError } from '../errors/index.js';

/** The values a template reads: the field's arguments, its parent object, the request context. */
export interface TemplateScope {
  readonly args: Readonly<Record<string, unknown>>;
  readonly parent: unknown;
  readonly context: unknown;
}

/** The roots a placeholder may start with. */
export type TemplateRoot = keyof TemplateScope;

/** One `{root.a.b}` in a template. */
export interface Placeholder {
  readonly root: TemplateRoot;
  /** Property names (or list indexes) below the root; empty for `{args}` itself. */
  readonly path: readonly string[];
  /** The placeholder as written, braces included, for error messages. */
  readonly text: string;
}

/** A compiled JSON template: `render` yields the value (raw for a lone placeholder). */
export interface Template {
  readonly placeholders: readonly Placeholder[];
  render(scope: TemplateScope): unknown;
}

/** A compiled string template that always renders to a string (a URL path, say). */
export interface TextTemplate {
  readonly source: string;
  readonly placeholders: readonly Placeholder[];
  /**
   * Renders the string. With `encode`, each interpolated scalar is passed through it (list
   * elements one by one, so the joining commas stay literal) and a null or missing value is a
   * `BAD_USER_INPUT` error: a path with an empty segment would reach another resource.
   */
  render(scope: TemplateScope, encode?: (value: string) => string): string;
}

/** A compiled map of names to templates (query parameters, headers), rendered to pairs. */
export interface ParamsTemplate {
  readonly placeholders: readonly Placeholder[];
  /**
   * Renders each value; a value that renders to null or undefined is left out, a list is
   * comma-joined and an object flattened to `k,v,k,v` (OpenAPI style `form`, explode false).
   * `encode` is applied to each scalar (not to the joining commas).
   */
  render(scope: TemplateScope, encode?: (value: string) => string): Array<[string, string]>;
}

type Part = string | Placeholder;

const ROOTS: ReadonlySet<string> = new Set<TemplateRoot>(['args', 'parent', 'context']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const INDEX = /^[0-9]+$/;
const keep = (value: string): string => value;

/** Reads a placeholder's value; a missing step yields undefined (own properties only). */
function lookup(scope: TemplateScope, placeholder: Placeholder): unknown {
  let value: unknown = scope[placeholder.root];
  for (const key of placeholder.path) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * Splits `text` into literal parts and placeholders. `{name}` or `{name.more}` is always a
 * placeholder, so a misspelt root fails at start-up instead of reaching a backend as text;
 * any other brace (`{ "a": 1 }`) is literal.
 */
function parseParts(text: string, where: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  let index = 0;
  while (index < text.length) {
    const open = text.indexOf('{', index);
    const close = open < 0 ? -1 : text.indexOf('}', open + 1);
    if (open < 0 || close < 0) break;
    const segments = text.slice(open + 1, close).split('.');
    const [root = '', ...path] = segments;
    if (!IDENTIFIER.test(root) || !path.every((key) => IDENTIFIER.test(key) || INDEX.test(key))) {
      literal += text.slice(index, open + 1);
      index = open + 1;
      continue;
    }
    const placeholder = text.slice(open, close + 1);
    if (!ROOTS.has(root)) {
      throw new GatewayError('SCHEMA_INVALID', `${where}: template "${text}" uses ${placeholder}, but a placeholder must start with args, parent or context.`);
    }
    literal += text.slice(index, open);
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push({ root: root as TemplateRoot, path, text: placeholder });
    index = close + 1;
  }
  literal += text.slice(index);
  if (literal !== '') parts.push(literal);
  return parts;
}

function placeholdersOf(parts: readonly Part[]): Placeholder[] {
  return parts.filter((part): part is Placeholder => typeof part !== 'string');
}

/** A scalar as text: strings as they are, objects (inside lists) as JSON. */
function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A value interpolated into text: lists comma-joined (each element encoded), objects as JSON. */
function interpolate(value: unknown, encode: (value: string) => string): string {
  if (Array.isArray(value)) return value.map((item) => encode(scalarText(item))).join(',');
  return encode(scalarText(value));
}

/** Compiles a string that always renders to text (a URL path, a header value). */
export function compileText(text: string, where: string): TextTemplate {
  const parts = parseParts(text, where);
  const placeholders = placeholdersOf(parts);
  return {
    source: text,
    placeholders,
    render(scope, encode) {
      let out = '';
      for (const part of parts) {
        if (typeof part === 'string') {
          out += part;
          continue;
        }
        const value = lookup(scope, part);
        if (encode !== undefined && (value === null || value === undefined)) {
          // The template is the backend's route or request: the client learns only which
          // value was missing, never the template it goes into.
          throw new GatewayError('BAD_USER_INPUT', `No value for ${part.text}: the argument or field it names is missing or null.`);
        }
        out += interpolate(value, encode ?? keep);
      }
      return out;
    },
  };
}

function constant(value: unknown): Template {
  return { placeholders: [], render: () => value };
}

function compileString(text: string, where: string): Template {
  const parts = parseParts(text, where);
  const [first] = parts;
  if (parts.length === 1 && first !== undefined && typeof first !== 'string') {
    return { placeholders: [first], render: (scope) => lookup(scope, first) };
  }
  if (placeholdersOf(parts).length === 0) return constant(text);
  return compileText(text, where);
}

/**
 * Compiles a JSON value (a directive argument such as `body` or `request`) whose strings may
 * hold placeholders. Throws `SCHEMA_INVALID` naming `where` for a placeholder with an unknown
 * root.
 */
export function compileTemplate(value: unknown, where: string): Template {
  if (typeof value === 'string') return compileString(value, where);
  if (Array.isArray(value)) {
    const items = value.map((item) => compileTemplate(item, where));
    const placeholders = items.flatMap((item) => item.placeholders);
    if (placeholders.length === 0) return constant(value);
    return { placeholders, render: (scope) => items.map((item) => item.render(scope)) };
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => [key, compileTemplate(item, where)] as const);
    const placeholders = entries.flatMap(([, item]) => item.placeholders);
    if (placeholders.length === 0) return constant(value);
    return {
      placeholders,
      render(scope) {
        const out: Record<string, unknown> = {};
        for (const [key, item] of entries) out[key] = item.render(scope);
        return out;
      },
    };
  }
  return constant(value);
}

/** A parameter value as one string: lists comma-joined, objects flattened to `k,v,k,v`. */
function paramText(value: unknown, encode: (value: string) => string): string {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value).flatMap(([key, item]) => [encode(key), encode(scalarText(item))]).join(',');
  }
  return interpolate(value, encode);
}

/** The `[name, value]` pairs of a `query` / `headers` argument, or undefined for another shape. */
function paramEntries(value: unknown): Array<[string, unknown]> | undefined {
  if (Array.isArray(value)) {
    const pairs = value.filter((pair): pair is [string, unknown] => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string');
    return pairs.length === value.length ? pairs : undefined;
  }
  return value !== null && typeof value === 'object' ? Object.entries(value) : undefined;
}

/**
 * Compiles a map of names to templates (`query`, `headers`): an object literal
 * (`{ limit: "{args.first}" }`) or, for names that are not GraphQL names (`x-tenant`), a
 * list of pairs (`[["x-tenant", "{args.tenant}"]]`). Anything else is `SCHEMA_INVALID`
 * naming `where`.
 */
export function compileParams(value: unknown, where: string): ParamsTemplate {
  const pairs = paramEntries(value);
  if (pairs === undefined) {
    throw new GatewayError('SCHEMA_INVALID', `${where}: expected an object of names to values or a list of [name, value] pairs, received ${JSON.stringify(value)}.`);
  }
  const entries = pairs.map(([name, item]) => [name, compileTemplate(item, where)] as const);
  return {
    placeholders: entries.flatMap(([, item]) => item.placeholders),
    render(scope, encode = keep) {
      const rendered: Array<[string, string]> = [];
      for (const [name, item] of entries) {
        const result = item.render(scope);
        if (result === null || result === undefined) continue;
        rendered.push([name, paramText(result, encode)]);
      }
      return rendered;
    },
  };
}
