/**
 * Turns validation failures into the one message shape users see: the key path, the shape it
 * expects and the value received, e.g.
 * `Invalid config: "server.port" must be an integer from 0 to 65535; received "abc" (string).`
 * Several problems become one error listing each on its own line.
 */
import type { z } from 'zod';
import { GatewayError } from '../errors/index.js';
import { knownKeysAt, SECRET_KEYS } from './schema.js';
import { suggestClosest } from './suggest.js';

/** Where a bad value came from: the config file, an environment variable, a CLI option. */
export type ProblemScope = 'config' | 'environment' | 'option';

/** One bad value, as a sentence that names it, says what was expected and what was received. */
export interface ConfigProblem {
  scope: ProblemScope;
  text: string;
}

const SCOPE_LABELS: Record<ProblemScope, string> = {
  config: 'config',
  environment: 'environment',
  option: 'command-line option',
};

const MAX_SHOWN = 60;
const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** A key path as users write it: `server.port`, `schema[1]`, `sources["my api"].url`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(String(segment))) out += `${out === '' ? '' : '.'}${String(segment)}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out;
}

/** A value as shown after "received": JSON-ish text (shortened) and its type, e.g. `"abc" (string)`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return 'a function';
  const type = Array.isArray(value) ? 'array' : typeof value;
  let shown: string;
  if (typeof value === 'string') shown = JSON.stringify(value);
  else if (typeof value === 'bigint') shown = `${value}n`;
  else if (typeof value === 'object') {
    try {
      shown = JSON.stringify(value) ?? String(value);
    } catch {
      shown = String(value);
    }
  } else shown = String(value);
  if (shown.length > MAX_SHOWN) shown = `${shown.slice(0, MAX_SHOWN - 3)}...`;
  return `${shown} (${type})`;
}

/**
 * A secret's value as shown after "received": its length only; a URL (which may carry a
 * password) is shown with its password and query values replaced by `***`.
 */
export function describeSecret(value: unknown, kind: 'secret' | 'url' = 'secret'): string {
  if (typeof value !== 'string') return value === null || value === undefined ? String(value) : `a ${Array.isArray(value) ? 'array' : typeof value} (hidden)`;
  if (kind === 'url') {
    try {
      const url = new URL(value);
      if (url.password === '' && url.search === '') return describeValue(value);
      if (url.password !== '') url.password = '***';
      for (const name of [...url.searchParams.keys()]) url.searchParams.set(name, '***');
      return `${JSON.stringify(url.href)} (string, secrets hidden)`;
    } catch {
      // Not a URL: nothing can be shown safely.
    }
  }
  return `a string of ${value.length} characters (hidden)`;
}

function received(path: ReadonlyArray<PropertyKey>, value: unknown): string {
  const key = formatPath(path);
  if (!SECRET_KEYS.has(key)) return describeValue(value);
  return describeSecret(value, key.endsWith('Url') ? 'url' : 'secret');
}

function subject(path: ReadonlyArray<PropertyKey>): string {
  return path.length === 0 ? 'the config' : `"${formatPath(path)}"`;
}

function unknownKeyText(path: ReadonlyArray<PropertyKey>, key: string): string {
  const known = knownKeysAt(path);
  const suggestion = suggestClosest(key, known);
  const hint = suggestion === undefined ? '' : ` (did you mean "${formatPath([...path, suggestion])}"?)`;
  return `unknown key "${formatPath([...path, key])}"${hint}; ${subject(path)} takes the keys ${known.join(', ')}.`;
}

/**
 * One sentence per problem in zod's `issues` (from a parse with `reportInput: true`), with
 * `base` put in front of every path (for a field checked on its own).
 */
export function describeIssues(issues: ReadonlyArray<z.core.$ZodIssue>, base: ReadonlyArray<PropertyKey> = []): string[] {
  return issues.flatMap((issue): string[] => {
    const path = [...base, ...issue.path];
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => unknownKeyText(path, key));
      case 'invalid_key': {
        const parent = path.slice(0, -1);
        const inner = issue.issues[0]?.message ?? issue.message;
        return [`key ${JSON.stringify(String(path.at(-1)))} of ${subject(parent)} ${inner}.`];
      }
      case 'invalid_union': {
        // A value of the right kind (a list) with a bad element: report the element, not the union.
        const deeper = issue.errors.find((branch) => branch.length > 0 && branch.every((inner) => inner.path.length > 0));
        if (deeper) return describeIssues(deeper, path);
        break;
      }
      default:
        break;
    }
    return [`${subject(path)} ${issue.message}; received ${received(path, issue.input)}.`];
  });
}

/**
 * The `CONFIG_INVALID` error for one or more problems. One problem reads
 * `Invalid <scope>: <text>`; several read `Invalid <scopes>, N problems:` followed by one
 * indented line each (prefixed with its scope when the scopes differ).
 */
export function configError(problems: ReadonlyArray<ConfigProblem>): GatewayError {
  const [first] = problems;
  if (problems.length === 1 && first) {
    return new GatewayError('CONFIG_INVALID', `Invalid ${SCOPE_LABELS[first.scope]}: ${first.text}`);
  }
  const scopes = [...new Set(problems.map((problem) => problem.scope))];
  const mixed = scopes.length > 1;
  const lines = problems.map((problem) => `  ${mixed ? `${SCOPE_LABELS[problem.scope]}: ` : ''}${problem.text}`);
  const heading = `Invalid ${scopes.map((scope) => SCOPE_LABELS[scope]).join(' and ')}, ${problems.length} problems:`;
  return new GatewayError('CONFIG_INVALID', [heading, ...lines].join('\n'));
}
