import { createHash } from 'node:crypto';
import { z } from 'zod';
import { SteadyopsError } from '../../lib/errors.ts';
import type { ErrorIssue } from '../../lib/errors.ts';

const action = z.enum(['no-op', 'create', 'read', 'update', 'delete', 'forget']);

const actionLists = ['no-op', 'create', 'read', 'update', 'delete', 'forget', 'delete,create', 'create,delete', 'create,forget'];

const resourceChange = z.looseObject({
  address: z.string().min(1),
  mode: z.enum(['managed', 'data']).optional(),
  type: z.string().min(1),
  name: z.string().min(1),
  change: z.looseObject({
    actions: z
      .array(action)
      .min(1)
      .refine((actions) => actionLists.includes(actions.join(',')), {
        message: `must be one of ${actionLists.map((list) => `[${list}]`).join(', ')}`,
      }),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
  }),
});

/** The parts of `terraform show -json PLANFILE` (plan JSON format 0.x/1.x) the import reads. */
export const terraformPlanSchema = z.looseObject({
  format_version: z.string().regex(/^\d+\.\d+$/, 'must be a plan JSON format version such as "1.2"'),
  terraform_version: z.string().optional(),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  resource_changes: z.array(resourceChange).optional(),
});

export type TerraformPlan = z.infer<typeof terraformPlanSchema>;
export type TerraformResourceChange = z.infer<typeof resourceChange>;

/** Pure: validates the plan JSON text; a malformed plan names the field path and nothing is imported. */
export function parseTerraformPlan(text: string, file: string): TerraformPlan {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', {
      detail: `${file} is not JSON (${(error as Error).message}); write it with terraform show -json plan.out > ${file}`,
    });
  }
  const result = terraformPlanSchema.safeParse(json);
  if (result.success) return result.data;
  const issues: ErrorIssue[] = result.error.issues.map((issue) => ({ path: fieldPath(issue.path), message: issue.message }));
  const first = issues[0]!;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem(s))` : '';
  throw new SteadyopsError(
    'SO_E_INPUT_INVALID',
    { detail: `${file} is not a Terraform plan JSON: ${first.path}: ${first.message}${more}` },
    issues,
  );
}

/** SHA-256 of the plan as read: the same plan imported twice yields the same event ids. */
export function planDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function fieldPath(path: readonly PropertyKey[]): string {
  const text = path.reduce<string>(
    (joined, key) => (typeof key === 'number' ? `${joined}[${key}]` : joined ? `${joined}.${String(key)}` : String(key)),
    '',
  );
  return text || '(root)';
}
