import { z } from 'zod';
import { toJsonSchema } from '../json-schema.ts';

/** RFC 9457 problem details as steadyops sends them. */
export const problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  instance: z.string(),
  issues: z
    .array(
      z.object({
        message: z.string(),
        path: z.string().optional(),
        file: z.string().optional(),
        line: z.number().int().optional(),
        col: z.number().int().optional(),
      }),
    )
    .optional(),
});

export type Problem = z.output<typeof problem>;

const problemResponse = {
  description: 'RFC 9457 problem details',
  content: { 'application/problem+json': { schema: toJsonSchema(problem, 'output') } },
};

/** Error responses every route may give, for the OpenAPI document and serialisation. */
export const problemResponses = { '4xx': problemResponse, '5xx': problemResponse } as const;
