/**
 * Turns zod issues into lines a person can read: "vad.threshold: must be at most 1 (got 3)".
 */
import type { z } from 'zod';

export interface SettingsProblem {
  /** Dotted path of the field ("vad.threshold"), or "settings" for the whole object. */
  field: string;
  problem: string;
}

const isDefaultZodMessage = (message: string): boolean => /^(Invalid|Too (big|small)|Unrecognized|Expected)/.test(message);

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function shortValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function describeExpected(expected: string): string {
  const article = /^[aeiou]/.test(expected) ? 'an' : 'a';
  return expected === 'null' ? 'null' : `${article} ${expected}`;
}

function problemOf(issue: z.core.$ZodIssue, input: unknown): string {
  if (!isDefaultZodMessage(issue.message)) return issue.message;
  const got = shortValue(valueAt(input, issue.path));
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${describeExpected(issue.expected)} (got ${got})`;
    case 'too_big': {
      const max = String(issue.maximum);
      if (issue.origin === 'string') return `must be at most ${max} characters`;
      if (issue.origin === 'array') return `must have at most ${max} entries`;
      return `must be at most ${max}${issue.inclusive === false ? ' (exclusive)' : ''} (got ${got})`;
    }
    case 'too_small': {
      const min = String(issue.minimum);
      if (issue.origin === 'string') return min === '1' ? 'must not be empty' : `must be at least ${min} characters`;
      if (issue.origin === 'array') return `must have at least ${min} entries`;
      return `must be at least ${min}${issue.inclusive === false ? ' (exclusive)' : ''} (got ${got})`;
    }
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')} (got ${got})`;
    case 'unrecognized_keys':
      return `unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
    case 'invalid_union':
      return `is not an accepted value (got ${got})`;
    case 'invalid_key': {
      // The path ends with the name at fault, so it is named already; `got` would be the value under
      // that name, which for MCP headers and environment variables is often a token: never echo it.
      const own = issue.issues.find((inner) => !isDefaultZodMessage(inner.message));
      return own ? own.message : 'has an invalid name';
    }
    case 'invalid_format':
      return `is not in the expected format (got ${got})`;
    default:
      return `${issue.message} (got ${got})`;
  }
}

export function problemsFromZod(error: z.ZodError, input: unknown, prefix: readonly PropertyKey[] = []): SettingsProblem[] {
  return error.issues.map((issue) => {
    const path = [...prefix, ...issue.path];
    return { field: path.length > 0 ? path.map(String).join('.') : 'settings', problem: problemOf(issue, valueAt(input, prefix)) };
  });
}

export function formatProblems(problems: readonly SettingsProblem[]): string {
  return problems.map((problem) => `${problem.field}: ${problem.problem}`).join('; ');
}

/** Thrown by SettingsService.update; `message` lists every field and its problem. */
export class SettingsValidationError extends Error {
  override name = 'SettingsValidationError';
  readonly problems: readonly SettingsProblem[];
  constructor(problems: readonly SettingsProblem[]) {
    super(`Settings not saved: ${formatProblems(problems)}`);
    this.problems = problems;
  }
}
