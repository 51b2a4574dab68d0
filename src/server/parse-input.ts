import type { z } from 'zod';
import { SteadyopsError, type ErrorIssue } from '../lib/errors.ts';

/** Parses request input with zod, turning failures into SO_E_INPUT_INVALID with one issue per field path. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, value: unknown, location: string): z.output<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues: ErrorIssue[] = result.error.issues.map((issue) => ({
    path: [location, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `invalid ${location}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}` }, issues);
}
