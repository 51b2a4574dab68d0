import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Control, FindingDraft } from './control.ts';
import { emptyFacts, type AuditFacts } from './facts.ts';
import { fingerprintOf, runAudit } from './run-audit.ts';

const now = new Date('2026-11-26T09:00:00Z');

function control(id: string, needs: Control['needs'], drafts: (facts: AuditFacts) => FindingDraft[]): Control {
  return {
    id,
    title: `control ${id}`,
    domain: 'runtime',
    severity: 'high',
    risk: 'r',
    detection: 'd',
    remediation: 'fix',
    example: 'e',
    effort: 'S',
    soc2: ['CC8.1'],
    needs,
    evaluate: drafts,
  };
}

const deployment = (name: string, line: number): FindingDraft => ({
  resource: `Deployment payments/${name}`,
  location: { file: `k8s/${name}.yaml`, line },
  evidence: `${name} has no readiness probe`,
  service: name,
});

describe('runAudit', () => {
  it('marks a control not applicable when the facts it needs are missing, and says which', () => {
    const run = runAudit(emptyFacts(), [control('RUN-001', ['kubernetes'], () => [deployment('a', 1)]), control('REL-001', ['model'], () => [])], now);
    expect(run.controls).toEqual([
      { id: 'RUN-001', status: 'not-applicable', findings: 0, reason: 'no kubernetes found' },
      { id: 'REL-001', status: 'not-applicable', findings: 0, reason: 'no model found' },
    ]);
    expect(run.findings).toEqual([]);
  });

  it('passes a control without drafts, fails one with drafts, and copies the control onto each finding', () => {
    const facts = { ...emptyFacts(), workflows: [{ file: 'w.yml', on: 'push', jobs: [] }] };
    const run = runAudit(facts, [control('REL-010', ['workflows'], () => []), control('REL-011', [], () => [deployment('a', 3)])], now);
    expect(run.controls.map((outcome) => [outcome.id, outcome.status, outcome.findings])).toEqual([
      ['REL-010', 'pass', 0],
      ['REL-011', 'fail', 1],
    ]);
    expect(run.findings[0]).toMatchObject({ controlId: 'REL-011', title: 'control REL-011', severity: 'high', effort: 'S', status: 'open', fingerprint: fingerprintOf('REL-011', deployment('a', 3)) });
  });

  it('keeps one finding per fingerprint', () => {
    const run = runAudit(emptyFacts(), [control('RUN-001', [], () => [deployment('a', 1), deployment('a', 9)])], now);
    expect(run.findings).toHaveLength(1);
    expect(run.findings[0]?.location?.line).toBe(1);
  });

  it('marks findings risk-accepted until the acceptance expires', () => {
    const draft = deployment('a', 1);
    const fingerprint = fingerprintOf('RUN-001', draft);
    const acceptance = { fingerprint, acceptedBy: 'ana', reason: 'replaced next quarter', expiresAt: '2026-12-01T00:00:00Z' };
    const checks = [control('RUN-001', [], () => [draft])];
    expect(runAudit(emptyFacts(), checks, now, [acceptance]).findings[0]).toMatchObject({ status: 'risk-accepted', acceptance });
    expect(runAudit(emptyFacts(), checks, new Date('2026-12-02T00:00:00Z'), [acceptance]).findings[0]?.status).toBe('open');
  });

  it('gives a finding the same fingerprint when only its line moves, and a different one for another resource or control', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.nat(), fc.nat(), (resource, file, lineA, lineB) => {
        const draft = (line: number): FindingDraft => ({ resource, location: { file, line }, evidence: 'x' });
        expect(fingerprintOf('RUN-001', draft(lineA))).toBe(fingerprintOf('RUN-001', draft(lineB)));
        expect(fingerprintOf('RUN-002', draft(lineA))).not.toBe(fingerprintOf('RUN-001', draft(lineA)));
        expect(fingerprintOf('RUN-001', { ...draft(lineA), resource: `${resource}!` })).not.toBe(fingerprintOf('RUN-001', draft(lineA)));
      }),
    );
  });
});
