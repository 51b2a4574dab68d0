import { describe, expect, it } from 'vitest';
import { parseTerraformPlan, planDigest } from './parse-terraform-plan.ts';

const change = (actions: unknown) => ({ address: 'aws_s3_bucket.a', mode: 'managed', type: 'aws_s3_bucket', name: 'a', change: { actions, before: null, after: {} } });

describe('parseTerraformPlan', () => {
  it('accepts a plan and keeps fields it does not read', () => {
    const plan = parseTerraformPlan(JSON.stringify({ format_version: '1.2', resource_changes: [change(['create'])], planned_values: {} }), 'plan.json');
    expect(plan.resource_changes?.[0]?.change.actions).toEqual(['create']);
    expect(plan).toHaveProperty('planned_values');
  });

  it.each([
    { name: 'text that is not JSON', text: '{"format_version": ', detail: /plan\.json is not JSON/, path: undefined },
    { name: 'a missing format_version', text: JSON.stringify({ resource_changes: [] }), detail: /format_version/, path: 'format_version' },
    { name: 'a state file instead of a plan', text: JSON.stringify({ format_version: 'x', values: {} }), detail: /format_version/, path: 'format_version' },
    { name: 'resource_changes that is not a list', text: JSON.stringify({ format_version: '1.2', resource_changes: {} }), detail: /resource_changes/, path: 'resource_changes' },
    { name: 'an unknown action', text: JSON.stringify({ format_version: '1.2', resource_changes: [change(['destroy'])] }), detail: /resource_changes\[0\]\.change\.actions\[0\]/, path: 'resource_changes[0].change.actions[0]' },
    { name: 'an impossible action list', text: JSON.stringify({ format_version: '1.2', resource_changes: [change(['update', 'delete'])] }), detail: /resource_changes\[0\]\.change\.actions: must be one of/, path: 'resource_changes[0].change.actions' },
    { name: 'a change without address', text: JSON.stringify({ format_version: '1.2', resource_changes: [{ ...change(['create']), address: undefined }] }), detail: /resource_changes\[0\]\.address/, path: 'resource_changes[0].address' },
  ])('rejects $name with the field path', ({ text, detail, path }) => {
    let caught: unknown;
    try {
      parseTerraformPlan(text, 'plan.json');
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'SO_E_INPUT_INVALID', message: expect.stringMatching(detail) });
    if (path) expect((caught as { issues: Array<{ path: string }> }).issues[0]?.path).toBe(path);
  });

  it('digests the plan text', () => {
    expect(planDigest('{}')).toMatch(/^[0-9a-f]{64}$/);
    expect(planDigest('{}')).not.toBe(planDigest('{ }'));
  });
});
