import type { z } from 'zod';
import { documentSchemas } from './schema.ts';
import type { ModelDocument, ModelKind } from './schema.ts';
import { didYouMean } from './suggest.ts';
import { formatPath } from './yaml-positions.ts';
import type { ModelPath, Target } from './yaml-positions.ts';

/** A problem inside one document, located by data path; the loader turns the path into line:col. */
export interface DocumentProblem {
  path: ModelPath;
  target: Target;
  message: string;
  /** for a mistake inside a string value (e.g. PromQL): how many characters into the value */
  offset?: number;
}

export type DocumentValidation =
  | { ok: true; document: ModelDocument }
  | { ok: false; problems: DocumentProblem[] };

const validFieldsPrefix = 'valid fields: ';

// zod's final issues do not say which fields an object accepts, so the error map records them.
const errorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== 'unrecognized_keys') return undefined;
  const def = issue.inst?._zod.def as { shape?: Record<string, unknown> } | undefined;
  return validFieldsPrefix + Object.keys(def?.shape ?? {}).join(', ');
};

export function validateDocument(kind: ModelKind, data: unknown): DocumentValidation {
  const result = validateData(documentSchemas[kind], data);
  return result.ok ? { ok: true, document: result.value as ModelDocument } : result;
}

/** Any outside data (e.g. an imported file) checked with a zod schema, with the same located, hinted problems as model documents. */
export function validateData<S extends z.ZodType>(
  schema: S,
  data: unknown,
): { ok: true; value: z.output<S> } | { ok: false; problems: DocumentProblem[] } {
  const result = schema.safeParse(data, { error: errorMap, reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, problems: result.error.issues.flatMap(describeIssue) };
}

function describeIssue(issue: z.core.$ZodIssue): DocumentProblem[] {
  const path = issue.path;
  const where = formatPath(path);
  const field = String(path.at(-1) ?? 'document');
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const valid = issue.message.startsWith(validFieldsPrefix)
        ? issue.message.slice(validFieldsPrefix.length).split(', ').filter(Boolean)
        : [];
      return issue.keys.map((key) => ({
        path: [...path, key],
        target: 'key' as const,
        message: `${formatPath([...path, key])}: unknown field "${key}"${didYouMean(key, valid)}; valid fields here: ${valid.join(', ')}`,
      }));
    }
    case 'invalid_type':
      if (input === undefined) return [{ path, target: 'value', message: `${where}: missing required field "${field}"${hintFor(path)}` }];
      return [{ path, target: 'value', message: `${where}: expected ${issue.expected}, got ${describeValue(input)}` }];
    case 'invalid_value':
      if (input === undefined) {
        return [{ path, target: 'value', message: `${where}: missing required field "${field}" (one of: ${issue.values.map(show).join(', ')})` }];
      }
      return [
        {
          path,
          target: 'value',
          message: `${where}: ${describeValue(input)} is not allowed; use one of: ${issue.values.map(show).join(', ')}${typoHint(input, issue.values.map(String))}`,
        },
      ];
    case 'invalid_union':
      return [describeUnion(issue, path, input)];
    case 'too_small':
      return [{ path, target: 'value', message: `${where}: ${tooSmall(issue)}` }];
    case 'too_big':
      return [{ path, target: 'value', message: `${where}: ${tooBig(issue)}` }];
    case 'invalid_format':
      return [{ path, target: 'value', message: `${where}: ${describeValue(input)} is not a valid ${formatName(issue.format)}` }];
    default:
      return [{ path, target: 'value', message: `${where}: ${issue.message}` }];
  }
}

function describeUnion(issue: z.core.$ZodIssueInvalidUnion, path: ModelPath, input: unknown): DocumentProblem {
  const where = formatPath(path);
  const extra = issue as { discriminator?: string; options?: unknown[] };
  if (extra.options && extra.discriminator) {
    const options = extra.options.map(String);
    const value = input && typeof input === 'object' ? (input as Record<string, unknown>)[extra.discriminator] : input;
    if (value === undefined) {
      return { path, target: 'value', message: `${where}: missing required field "${String(path.at(-1))}" (one of: ${options.join(', ')})` };
    }
    return {
      path,
      target: 'value',
      message: `${where}: ${describeValue(value)} is not allowed; use one of: ${options.join(', ')}${typoHint(value, options)}`,
    };
  }
  return { path, target: 'value', message: `${where}: ${issue.message}` };
}

function tooSmall(issue: z.core.$ZodIssueTooSmall): string {
  if (!issue.message.startsWith('Too small')) return issue.message;
  const minimum = String(issue.minimum);
  if (issue.origin === 'array') return `needs at least ${minimum} item(s)`;
  if (issue.origin === 'string') return minimum === '1' ? 'must not be empty' : `needs at least ${minimum} characters`;
  return issue.inclusive ? `must be at least ${minimum}` : `must be greater than ${minimum}`;
}

function tooBig(issue: z.core.$ZodIssueTooBig): string {
  if (!issue.message.startsWith('Too big')) return issue.message;
  const maximum = String(issue.maximum);
  if (issue.origin === 'array') return `allows at most ${maximum} item(s)`;
  return issue.inclusive ? `must be at most ${maximum}` : `must be less than ${maximum}`;
}

const ownerHint = '; every service and datastore names the Team that owns it (spec.owner: TEAM-NAME)';

function hintFor(path: ModelPath): string {
  return path.length === 2 && path[0] === 'spec' && path[1] === 'owner' ? ownerHint : '';
}

function typoHint(value: unknown, options: readonly string[]): string {
  return typeof value === 'string' ? didYouMean(value, options) : '';
}

function formatName(format: string): string {
  if (format === 'email') return 'email address';
  if (format === 'url') return 'URL (e.g. https://example.com/path)';
  return format;
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function describeValue(value: unknown): string {
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}
