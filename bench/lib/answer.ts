/**
 * The correctness gate: before a gateway is timed its answer is compared with the reference.
 * A gateway that answers differently is reported as failing and not timed, because a fast
 * wrong answer is not a result.
 */
import { isDeepStrictEqual } from 'node:util';

/** The verdict on one answer. */
export interface AnswerCheck {
  ok: boolean;
  /** Why not, or a remark on a passing answer (key order); empty when there is nothing to say. */
  detail: string;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The path of the first difference between `actual` and `expected`, with both values. */
export function firstDifference(actual: unknown, expected: unknown, path = ''): string | undefined {
  if (isDeepStrictEqual(actual, expected)) return undefined;
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length !== expected.length) return `${path || '.'}: ${actual.length} items, expected ${expected.length}`;
    for (let index = 0; index < actual.length; index += 1) {
      const found = firstDifference(actual[index], expected[index], `${path}[${index}]`);
      if (found) return found;
    }
  }
  if (typeof actual === 'object' && actual !== null && typeof expected === 'object' && expected !== null && !Array.isArray(actual)) {
    const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
    for (const key of keys) {
      const found = firstDifference((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  return `${path || '.'}: got ${describe(actual)}, expected ${describe(expected)}`;
}

/** Compares a response body (text) with the expected GraphQL result. */
export function checkAnswer(status: number, text: string, expected: unknown): AnswerCheck {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, detail: `HTTP ${status}, not JSON: ${text.slice(0, 120)}` };
  }
  const errors = (body as { errors?: unknown }).errors;
  if (errors !== undefined) return { ok: false, detail: `HTTP ${status} with errors: ${describe(errors)}` };
  if (status !== 200) return { ok: false, detail: `HTTP ${status}` };
  const difference = firstDifference(body, expected);
  if (difference) return { ok: false, detail: `answer differs at ${difference}` };
  // Same values; the GraphQL spec asks for fields in selection order, so say when it is not.
  const ordered = JSON.stringify(body) === JSON.stringify(expected);
  return { ok: true, detail: ordered ? '' : 'fields not in selection order' };
}

/** POSTs `body` to `url` (with `headers`, an API key say) and checks the answer against `expected`. */
export async function fetchAndCheck(url: string, body: string, expected: unknown, headers: Record<string, string> = {}): Promise<AnswerCheck> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body,
      signal: AbortSignal.timeout(30_000),
    });
    return checkAnswer(response.status, await response.text(), expected);
  } catch (error) {
    return { ok: false, detail: `request failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
