// Test-only: the table every control's test fills in, so each control is shown to trigger and to pass.
import { describe, expect, it } from 'vitest';
import type { Control } from '../control.ts';
import type { AuditFacts } from '../facts.ts';

export interface ControlCase {
  readonly name: string;
  readonly facts: AuditFacts;
  /** for the triggering cases: the resources found (exactly, in any order) */
  readonly resources?: readonly string[];
}

export const auditNow = new Date('2026-11-26T09:00:00Z');

/** `describeControl(control, { triggers, passes })`: every triggering case finds exactly its resources; every passing case finds none. */
export function describeControl(control: Control, cases: { triggers: readonly ControlCase[]; passes: readonly ControlCase[] }): void {
  describe(`${control.id} ${control.title}`, () => {
    it('has triggering and passing cases', () => {
      expect(cases.triggers.length).toBeGreaterThan(0);
      expect(cases.passes.length).toBeGreaterThan(0);
    });
    it.each(cases.triggers)('triggers: $name', ({ facts, resources }) => {
      const found = control.evaluate(facts, auditNow);
      expect(found.length).toBeGreaterThan(0);
      if (resources) expect(found.map((finding) => finding.resource).sort()).toEqual([...resources].sort());
      for (const finding of found) expect(finding.evidence.length).toBeGreaterThan(10);
    });
    it.each(cases.passes)('passes: $name', ({ facts }) => {
      expect(control.evaluate(facts, auditNow)).toEqual([]);
    });
  });
}
