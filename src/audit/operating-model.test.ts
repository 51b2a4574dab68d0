import { describe, expect, it } from 'vitest';
import { emptyModel, type ResolvedModel } from '../model/resolve.ts';
import { auditNow, finding } from './audit-fixtures.ts';
import { ledgerEvent, service, team } from './controls/control-fixtures.ts';
import { assessOperatingModel } from './operating-model.ts';
import type { Finding } from './run-audit.ts';

function organisation(services: number, teams: number, tier1: number, options: { withoutOnCall?: number } = {}): ResolvedModel {
  const names = Array.from({ length: teams }, (_, index) => `team-${index}`);
  return {
    ...emptyModel(),
    teams: names.map((name, index) => team(name, undefined, index < (options.withoutOnCall ?? 0) ? { oncall: undefined } : {})),
    services: Array.from({ length: services }, (_, index) => service(`svc-${index}`, { owner: names[index % teams]!, tier: index < tier1 ? 1 : 2 })),
  };
}

const highs = (count: number): Finding[] => Array.from({ length: count }, (_, index) => finding({ severity: 'high', service: `svc-${index}`, resource: `Thing ${index}` }));
const deploys = (count: number) =>
  Array.from({ length: count }, (_, index) => ledgerEvent('deploy.finished', 1 + (index % 600), { service: 'svc-0', environment: 'production', version: `v${index}` }));

describe('the decision matrix', () => {
  it('small estate, few gaps: ad hoc help', () => {
    const assessment = assessOperatingModel({ findings: highs(2), model: organisation(4, 2, 1), now: auditNow });
    expect(assessment.recommended).toBe('ad-hoc-help');
    expect(assessment.facts).toEqual({ services: 4, teams: 2, tier1Services: 1, onCallCoveragePercent: 100, openCritical: 0, openHigh: 2 });
    expect(assessment.reasons[0]).toBe('smaller estate: no size signal (2 of 4 size signals make it larger)');
  });

  it('small estate, serious gaps: fractional SRE ownership', () => {
    const assessment = assessOperatingModel({ findings: [finding({ severity: 'critical', service: 'svc-0' })], model: organisation(5, 3, 4, { withoutOnCall: 1 }), now: auditNow });
    expect(assessment.recommended).toBe('fractional-sre-ownership');
    expect(assessment.reasons.slice(0, 2)).toEqual([
      'smaller estate: only 4 tier-1 services (4 or more) (2 of 4 size signals make it larger)',
      'serious gaps: 1 open critical finding; only 67% of the teams owning production services are on call',
    ]);
  });

  it('larger estate, few gaps: developer-owned operations', () => {
    const assessment = assessOperatingModel({ findings: highs(4), model: organisation(20, 5, 3), events: deploys(100), now: auditNow });
    expect(assessment.recommended).toBe('developer-owned-operations');
    expect(assessment.facts.deploysPerWeek).toBe(23.3);
    expect(assessment.reasons[0]).toBe('larger estate: 20 production services (12 or more); 5 teams (4 or more); 23.3 production deploys a week (20 or more)');
  });

  it('larger estate, serious gaps: full platform team', () => {
    const assessment = assessOperatingModel({ findings: highs(6), model: organisation(14, 4, 6), now: auditNow });
    expect(assessment.recommended).toBe('full-platform-team');
    expect(assessment.reasons.at(-1)).toMatch(/^full-platform-team: /);
    expect(assessment.reasons).toContain('serious gaps: 6 open high findings (5 or more)');
  });

  it('without a model or a ledger, says what it could not count', () => {
    const assessment = assessOperatingModel({ findings: [], now: auditNow });
    expect(assessment.recommended).toBe('ad-hoc-help');
    expect(assessment.facts).toEqual({ openCritical: 0, openHigh: 0 });
    expect(assessment.reasons).toContain('no ownership model: services, teams and on-call coverage are unknown, so the estate counts as smaller');
    expect(assessment.reasons).toContain('no ledger: the deploy rate is unknown');
  });

  it('does not count risk-accepted findings as gaps', () => {
    const accepted = highs(6).map((entry) => ({ ...entry, status: 'risk-accepted' as const }));
    expect(assessOperatingModel({ findings: accepted, model: organisation(4, 2, 1), now: auditNow }).recommended).toBe('ad-hoc-help');
  });
});
