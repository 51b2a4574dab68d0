import { describe, expect, it } from 'vitest';
import { emptyModel } from '../model/resolve.ts';
import { auditRun, finding } from './audit-fixtures.ts';
import { buildAuditReport } from './build-audit-report.ts';
import { controlCatalog } from './controls/control-catalog.ts';
import { service, team } from './controls/control-fixtures.ts';

const findings = [
  finding({ controlId: 'RUN-006', domain: 'runtime', severity: 'high', service: 'api' }),
  finding({ controlId: 'OBS-002', domain: 'observability', severity: 'medium', service: 'api' }),
  finding({ controlId: 'ACC-020', domain: 'access', severity: 'critical', resource: 'keys/deploy.pem', status: 'risk-accepted' }),
];
const run = auditRun(findings, [
  { id: 'REL-002', status: 'pass', findings: 0 },
  { id: 'REL-004', status: 'not-applicable', findings: 0, reason: 'no ledger found' },
]);
const model = { ...emptyModel(), teams: [team('core')], services: [service('api', { owner: 'core', tier: 2 })] };

describe('buildAuditReport', () => {
  it('summarises open findings by severity and domain, risk-accepted apart, and the controls', () => {
    const report = buildAuditReport({ run, catalog: controlCatalog, model });
    expect(report.summary).toEqual({
      open: 2,
      riskAccepted: 1,
      bySeverity: { low: 0, medium: 1, high: 1, critical: 0 },
      byDomain: { ownership: 0, release: 0, runtime: 1, infrastructure: 0, database: 0, observability: 1, backup: 0, access: 0, documentation: 0, incident: 0 },
      controls: { pass: 1, fail: 3, notApplicable: 1 },
      wouldAdd: [{ source: 'ledger', controls: ['REL-004'], how: expect.stringContaining('the ledger holds what happened') }],
    });
  });

  it('puts the backlog, scorecards and operating model together, and no comparison without a baseline', () => {
    const report = buildAuditReport({ run, catalog: controlCatalog, model });
    expect(report.run).toBe(run);
    expect(report.catalog).toBe(controlCatalog);
    expect(report.backlog.map((item) => [item.rank, item.finding.controlId])).toEqual([
      [1, 'RUN-006'],
      [2, 'OBS-002'],
    ]);
    expect(report.scorecards.map((card) => [card.kind, card.name, card.level])).toEqual([
      ['service', 'api', 'bronze'],
      ['team', 'core', 'bronze'],
    ]);
    expect(report.operatingModel.recommended).toBe('ad-hoc-help');
    expect(report).not.toHaveProperty('comparison');
  });

  it('compares with a baseline when given one', () => {
    const report = buildAuditReport({ run, catalog: controlCatalog, baseline: { at: '2026-11-25T09:00:00.000Z', findings: [findings[0]!], fixedBefore: [] } });
    expect(report.comparison).toMatchObject({ baselineAt: '2026-11-25T09:00:00.000Z', fixed: [], unchanged: 1 });
    expect(report.comparison?.new.map((entry) => entry.controlId)).toEqual(['OBS-002', 'ACC-020']);
  });
});

describe('what a missing model or ledger would add', () => {
  it('lists the controls that could not run for want of each source, and how to get it', () => {
    const outcomes = [
      { id: 'REL-001', status: 'not-applicable' as const, findings: 0, reason: 'no model found' },
      { id: 'REL-004', status: 'not-applicable' as const, findings: 0, reason: 'no model, ledger found' },
      { id: 'RUN-001', status: 'not-applicable' as const, findings: 0, reason: 'no kubernetes found' },
      { id: 'DB-001', status: 'pass' as const, findings: 0 },
    ];
    const report = buildAuditReport({ run: { ...run, controls: outcomes }, catalog: controlCatalog });
    expect(report.summary.wouldAdd.map((missing) => [missing.source, missing.controls])).toEqual([
      ['model', ['REL-001', 'REL-004']],
      ['ledger', ['REL-004']],
    ]);
    expect(report.summary.wouldAdd[0]?.how).toContain('`steadyops init` drafts one');
  });
});
