import { describe, expect, it } from 'vitest';
import type { AuditFinding, AuditScorecard } from './api-types.ts';
import { acceptedFindings, backlogByMilestone, bars, domainSeverityMatrix, factLabel, openCounts, operatingModelTitle, parseCompoundDuration, sortScorecards, trendDirection, validateAcceptance } from './audit-view.ts';

function finding(fingerprint: string, extra: Partial<AuditFinding> = {}): AuditFinding {
  return { fingerprint, controlId: 'REL-001', title: 't', domain: 'release', severity: 'high', effort: 'S', status: 'open', resource: 'r', evidence: 'e', ...extra };
}

describe('audit view', () => {
  it('scales bars to the largest count and keeps the given order and zeros', () => {
    expect(bars({ low: 0, medium: 10, high: 5, critical: 0 }, ['critical', 'high', 'medium', 'low'])).toEqual([
      { label: 'critical', count: 0, percent: 0 },
      { label: 'high', count: 5, percent: 50 },
      { label: 'medium', count: 10, percent: 100 },
      { label: 'low', count: 0, percent: 0 },
    ]);
    expect(bars({ a: 0 })).toEqual([{ label: 'a', count: 0, percent: 0 }]);
  });

  it('counts open findings per domain and severity, biggest domain first', () => {
    const matrix = domainSeverityMatrix([
      finding('1'),
      finding('2', { severity: 'medium' }),
      finding('3', { domain: 'access' }),
      finding('4', { domain: 'access', status: 'risk-accepted' }),
    ]);
    expect(matrix).toEqual([
      { domain: 'release', total: 2, bySeverity: { critical: 0, high: 1, medium: 1, low: 0 } },
      { domain: 'access', total: 1, bySeverity: { critical: 0, high: 1, medium: 0, low: 0 } },
    ]);
  });

  it('groups the backlog by milestone in rank order, with each finding, and drops empty milestones', () => {
    const groups = backlogByMilestone({
      run: { at: '', root: '', filesScanned: 0, warnings: [], findings: [finding('a'), finding('b'), finding('c')] },
      backlog: [
        { rank: 3, fingerprint: 'c', milestone: 'document', priority: 1, why: 'c why' },
        { rank: 2, fingerprint: 'b', milestone: 'stabilize', priority: 5, why: 'b why' },
        { rank: 1, fingerprint: 'a', milestone: 'stabilize', priority: 9, why: 'a why' },
        { rank: 4, fingerprint: 'gone', milestone: 'document', priority: 0.5, why: 'no finding' },
      ],
    });
    expect(groups.map((group) => [group.milestone, group.entries.map((entry) => entry.item.fingerprint)])).toEqual([
      ['stabilize', ['a', 'b']],
      ['document', ['c', 'gone']],
    ]);
    expect(groups[0]?.entries[0]?.finding?.fingerprint).toBe('a');
    expect(groups[1]?.entries[1]?.finding).toBeUndefined();
  });

  it('lists risk-accepted findings by expiry', () => {
    const accepted = acceptedFindings([
      finding('x', { status: 'risk-accepted', acceptance: { fingerprint: 'x', acceptedBy: 'token:a', reason: 'r', expiresAt: '2027-02-01T00:00:00Z' } }),
      finding('y'),
      finding('z', { status: 'risk-accepted', acceptance: { fingerprint: 'z', acceptedBy: 'token:a', reason: 'r', expiresAt: '2027-01-01T00:00:00Z' } }),
    ]);
    expect(accepted.map((f) => f.fingerprint)).toEqual(['z', 'x']);
  });

  it('reads the trend of maturity levels', () => {
    expect(trendDirection(['silver'])).toBe('new');
    expect(trendDirection(['bronze', 'silver'])).toBe('up');
    expect(trendDirection(['gold', 'none', 'bronze', 'none'])).toBe('down');
    expect(trendDirection(['bronze', 'bronze'])).toBe('same');
  });

  it('sorts scorecards: teams first, weakest level first, then by name', () => {
    const card = (kind: 'team' | 'service', name: string, level: AuditScorecard['level']): AuditScorecard => ({ kind, name, level, openFindings: { low: 0, medium: 0, high: 0, critical: 0 }, nextLevelBlockers: [], trend: [level] });
    const sorted = sortScorecards([card('service', 'b', 'gold'), card('service', 'a', 'silver'), card('team', 'z', 'bronze'), card('service', 'c', 'silver')]);
    expect(sorted.map((c) => c.name)).toEqual(['z', 'a', 'c', 'b']);
  });

  it('formats counts, operating models and fact names', () => {
    expect(openCounts({ low: 2, medium: 0, high: 1, critical: 0 })).toBe('1 high, 2 low');
    expect(openCounts({ low: 0, medium: 0, high: 0, critical: 0 })).toBe('none');
    expect(operatingModelTitle('full-platform-team')).toBe('Full platform team');
    expect(operatingModelTitle('fractional-sre-ownership')).toBe('Fractional SRE ownership');
    expect(factLabel('tier1Services')).toBe('tier 1 services');
    expect(factLabel('onCallCoveragePercent')).toBe('on call coverage percent');
    expect(factLabel('deploysPerWeek')).toBe('deploys per week');
  });

  it('validates an acceptance as the server does: reason of 10+ characters, expiry above 0 and at most 180d', () => {
    expect(validateAcceptance({ reason: 'replica count fixed in Q3', expires: '30d' })).toEqual({});
    expect(validateAcceptance({ reason: 'replica count fixed in Q3', expires: '180d' })).toEqual({});
    expect(validateAcceptance({ reason: 'replica count fixed in Q3', expires: '25w5d' })).toEqual({});
    expect(validateAcceptance({ reason: '   short   ', expires: '30d' }).reason).toContain('at least 10 characters (5 so far)');
    expect(validateAcceptance({ reason: 'long enough reason', expires: '181d' }).expires).toContain('At most 180d');
    expect(validateAcceptance({ reason: 'long enough reason', expires: '26w' }).expires).toContain('At most 180d');
    expect(validateAcceptance({ reason: 'long enough reason', expires: 'next year' }).expires).toContain('duration');
    expect(validateAcceptance({ reason: 'long enough reason', expires: '0d' }).expires).toContain('more than 0');
    expect(parseCompoundDuration('1w2d')).toBe(9 * 86_400_000);
    expect(parseCompoundDuration('12h30m')).toBe(12.5 * 3_600_000);
    expect(parseCompoundDuration('30')).toBeUndefined();
  });
});
