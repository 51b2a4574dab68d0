import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeMetrics, trendOf } from './compute-metrics.ts';
import type { MetricsFact } from './lineage.ts';
import type { MetricKey, MetricsReport, MetricsScope } from './types.ts';

const now = new Date('2026-11-26T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const period = { label: '30d', ms: 30 * DAY };
const all: MetricsScope = { label: 'all services', environment: 'production' };
const api: MetricsScope = { label: 'service api', services: ['api'], environment: 'production' };

/** Builds facts with increasing seqs; times are offsets from `now` in ms. */
function facts() {
  const list: MetricsFact[] = [];
  const add = (type: string, offset: number, data: Record<string, unknown>, subject = (data['service'] as string | undefined) ?? 'api'): number => {
    const seq = list.length + 1;
    list.push({ seq, type: `dev.steadyops.${type}`, time: new Date(now.getTime() + offset).toISOString(), subject, data, actor: 'test', id: String(seq) });
    return seq;
  };
  const deploy = (offset: number, deployId: string, extra: Record<string, unknown> = {}, type = 'deploy.finished'): number =>
    add(type, offset, { service: 'api', environment: 'production', version: `v-${deployId}`, deployId, ...extra });
  return { list, add, deploy };
}

const metric = (report: MetricsReport, key: MetricKey) => report.metrics.find((candidate) => candidate.key === key)!;

/** The worked example of docs/metrics.md: four deploys, one rolled back and fixed forward. */
function workedExample() {
  const f = facts();
  const seqs = {
    commitA: f.add('git.commit', -10 * DAY - 5 * HOUR, { repo: 'org/api', sha: 'aaaaaaa', branch: 'main', author: 'ana', message: 'a' }),
    d1: f.deploy(-10 * DAY, 'd1', { commits: ['aaaaaaa'] }),
    commitB: f.add('git.commit', -8 * DAY - 3 * HOUR, { repo: 'org/api', sha: 'bbbbbbb', branch: 'main', author: 'ana', message: 'b' }),
    d2: f.deploy(-8 * DAY, 'd2', { commits: ['bbbbbbb'] }),
    rollback: f.add('rollback.finished', -8 * DAY + HOUR / 2, {
      service: 'api',
      environment: 'production',
      fromVersion: 'v-d2',
      toVersion: 'v-d1',
      reason: 'errors',
      outcome: 'succeeded',
      deployId: 'd2',
    }),
    d3: f.deploy(-5 * DAY, 'd3'),
    commitC: f.add('git.commit', -2 * DAY - HOUR, { repo: 'org/api', sha: 'ccccccc', branch: 'main', author: 'ana', message: 'c' }),
    d4: f.deploy(-2 * DAY, 'd4', { commits: ['ccccccc'], fixes: { deployId: 'd2' } }),
    older: f.deploy(-40 * DAY, 'd0'),
    staging: f.add('deploy.finished', -DAY, { service: 'api', environment: 'staging', version: 'v9', deployId: 's1' }),
    web: f.deploy(-DAY, 'w1', { service: 'web' }),
    inc1: f.add('incident.declared', -3 * DAY, { incidentId: 'INC-1', title: 't', severity: 'sev2', services: ['api'], environment: 'production' }),
    ack1: f.add('incident.acknowledged', -3 * DAY + 10 * 60_000, { incidentId: 'INC-1', by: 'ana' }),
    res1: f.add('incident.resolved', -3 * DAY + 2 * HOUR, { incidentId: 'INC-1', budgetBurned: [{ slo: 'availability', percent: 12.5 }] }),
    inc2: f.add('incident.declared', -DAY, { incidentId: 'INC-2', title: 't', severity: 'sev1', services: ['api'] }),
    ack2: f.add('incident.acknowledged', -DAY + 20 * 60_000, { incidentId: 'INC-2', by: 'ana' }),
    fu1: f.add('followup.created', -20 * DAY, { followUpId: 'SO-FU-1', incidentId: 'INC-1', title: 'x', owner: 'ana', due: '2026-11-21' }),
    fu2: f.add('followup.created', -20 * DAY, { followUpId: 'SO-FU-2', incidentId: 'INC-1', title: 'y', owner: 'ana', due: '2026-11-25' }),
    fu3: f.add('followup.created', -20 * DAY, { followUpId: 'SO-FU-3', incidentId: 'INC-1', title: 'z', owner: 'ana', due: '2026-12-06' }),
    fu1closed: f.add('followup.closed', -6 * DAY, { followUpId: 'SO-FU-1' }),
  };
  return { list: f.list, seqs };
}

describe('computeMetrics on a worked example', () => {
  const { list, seqs } = workedExample();
  const report = computeMetrics(list, api, period, now);

  it.each([
    ['deploymentFrequency', 4 / 30],
    ['changeLeadTime', 3],
    ['changeFailRate', 25],
    ['failedDeploymentRecoveryTime', 0.5],
    ['deploymentReworkRate', 25],
    ['mtta', 15],
    ['mttr', 2],
    ['sloBudgetBurned', 12.5],
    ['followUpCompletion', 50],
  ] as const)('%s is %d', (key, expected) => {
    expect(metric(report, key).value).toBeCloseTo(expected, 4);
  });

  it('counts deploys without lineage instead of guessing, and incidents by severity', () => {
    expect(report.deploys).toEqual({ count: 4, failed: 1, withoutLineage: 1, withoutLineageEvidence: [seqs.d3] });
    expect(report.incidents).toEqual({ count: 2, bySeverity: { sev1: 1, sev2: 1 } });
    expect(metric(report, 'changeLeadTime').spread).toEqual({ count: 3, mean: 3, median: 3 });
  });

  it('lists the evidence each value came from', () => {
    expect(metric(report, 'changeLeadTime').evidence).toEqual([seqs.commitA, seqs.d1, seqs.commitB, seqs.d2, seqs.commitC, seqs.d4]);
    expect(metric(report, 'changeFailRate').evidence).toEqual([seqs.d1, seqs.d2, seqs.rollback, seqs.d3, seqs.d4]);
    expect(metric(report, 'failedDeploymentRecoveryTime').evidence).toEqual([seqs.d2, seqs.rollback]);
    expect(metric(report, 'mttr').evidence).toEqual([seqs.inc1, seqs.res1]);
    expect(metric(report, 'followUpCompletion').evidence).toEqual([seqs.fu1, seqs.fu2, seqs.fu1closed]);
  });

  it('bands where DORA publishes one and compares with the previous period', () => {
    expect(metric(report, 'deploymentFrequency').band?.level).toBe('medium');
    expect(metric(report, 'changeLeadTime').band?.level).toBe('elite');
    expect(metric(report, 'changeFailRate').band?.level).toBe('low');
    expect(metric(report, 'failedDeploymentRecoveryTime').band?.level).toBe('elite');
    expect(metric(report, 'deploymentReworkRate').band).toBeUndefined();
    expect(metric(report, 'deploymentFrequency').trend).toEqual({ previous: 0.0333, change: 0.1, direction: 'up', better: true });
    expect(metric(report, 'changeFailRate').trend).toEqual({ previous: 0, change: 25, direction: 'up', better: false });
  });

  it('counts every service when unscoped, and only production', () => {
    const everything = computeMetrics(list, all, period, now);
    expect(everything.deploys.count).toBe(5);
    expect(metric(everything, 'changeFailRate').value).toBe(20);
  });

  it('says "not measured" when no event carries a number', () => {
    const empty = computeMetrics([], api, period, now);
    for (const key of ['changeLeadTime', 'changeFailRate', 'mtta', 'sloBudgetBurned', 'followUpCompletion'] as const) {
      expect(metric(empty, key).value).toBeNull();
      expect(metric(empty, key).sentence).toMatch(/^Not measured/);
    }
    expect(metric(empty, 'deploymentFrequency').value).toBe(0);
  });
});

describe('lineage', () => {
  it('links a failed deploy to its rollback by the version rolled back from', () => {
    const f = facts();
    f.deploy(-DAY, 'x', { deployId: undefined, version: 'v2' }, 'deploy.failed');
    f.add('rollback.finished', -DAY + HOUR, { service: 'api', environment: 'production', fromVersion: 'v2', toVersion: 'v1', reason: 'r', outcome: 'succeeded' });
    const report = computeMetrics(f.list, api, period, now);
    expect(metric(report, 'changeFailRate').value).toBe(100);
    expect(metric(report, 'failedDeploymentRecoveryTime').value).toBe(1);
  });

  it('takes lead time from the pull request of a merge commit', () => {
    const f = facts();
    f.add('git.commit', -3 * DAY, { repo: 'r', sha: 'ddddddd', branch: 'feature/x', author: 'a', message: 'm', pullRequest: 7 });
    f.add('git.merge', -2 * DAY, { repo: 'r', sha: 'eeeeeee', branch: 'main', sourceBranch: 'feature/x', author: 'a', pullRequest: 7 });
    f.deploy(-DAY, 'd', { commit: 'eeeeeee' });
    expect(metric(computeMetrics(f.list, api, period, now), 'changeLeadTime').value).toBe(48);
  });

  it('recovers a deploy that caused an incident when the incident resolves, and counts the fix as rework', () => {
    const f = facts();
    f.deploy(-2 * DAY, 'bad');
    f.add('incident.declared', -2 * DAY + HOUR, { incidentId: 'I', title: 't', severity: 'sev1', services: ['api'], causedBy: { deployId: 'bad' } });
    f.add('incident.resolved', -2 * DAY + 4 * HOUR, { incidentId: 'I' });
    f.deploy(-DAY, 'fix', { fixes: { incidentId: 'I' } });
    const report = computeMetrics(f.list, api, period, now);
    expect(metric(report, 'changeFailRate').value).toBe(50);
    expect(metric(report, 'failedDeploymentRecoveryTime').value).toBe(4);
    expect(metric(report, 'deploymentReworkRate').value).toBe(50);
  });

  it('scopes a follow-up by its incident even when the incident is older than both periods, and counts a merged change naming it as done', () => {
    const f = facts();
    f.add('incident.declared', -70 * DAY, { incidentId: 'OLD', title: 't', severity: 'sev2', services: ['api'] });
    f.add('followup.created', -65 * DAY, { followUpId: 'SO-FU-7', incidentId: 'OLD', title: 'x', owner: 'ana', due: '2026-11-20' });
    f.add('followup.created', -65 * DAY, { followUpId: 'SO-FU-8', incidentId: 'OLD', title: 'y', owner: 'ana', due: '2026-11-21' });
    const merge = f.add('git.merge', -10 * DAY, { repo: 'r', sha: 'fffffff', branch: 'main', sourceBranch: 'fix/SO-FU-7', author: 'a', title: 'Retry budget (SO-FU-7)' });
    const followUps = metric(computeMetrics(f.list, api, period, now), 'followUpCompletion');
    expect(followUps.ratio).toEqual({ numerator: 1, denominator: 2 });
    expect(followUps.evidence).toEqual([2, 3, merge]);
    expect(metric(computeMetrics(f.list, { ...api, services: ['web'] }, period, now), 'followUpCompletion').value).toBeNull();
  });

  it('counts a follow-up done ahead of a due date after the period in the period it was done, and one still open not at all', () => {
    const f = facts();
    f.add('incident.declared', -5 * DAY, { incidentId: 'INC-5', title: 't', severity: 'sev2', services: ['api'] });
    const early = f.add('followup.created', -4 * DAY, { followUpId: 'SO-FU-5', incidentId: 'INC-5', title: 'x', owner: 'ana', due: '2026-12-20' });
    f.add('followup.created', -4 * DAY, { followUpId: 'SO-FU-6', incidentId: 'INC-5', title: 'y', owner: 'ana', due: '2026-12-20' });
    const merge = f.add('git.merge', -2 * DAY, { repo: 'r', sha: 'eeeeeee', branch: 'main', sourceBranch: 'canary', author: 'a', title: 'SO-FU-5: canary analysis' });
    const followUps = metric(computeMetrics(f.list, api, period, now), 'followUpCompletion');
    expect(followUps.ratio).toEqual({ numerator: 1, denominator: 1 });
    expect(followUps.evidence).toEqual([early, merge]);
  });

  it('counts an event passed twice once', () => {
    const f = facts();
    f.deploy(-DAY, 'd');
    expect(computeMetrics([...f.list, ...f.list], api, period, now)).toEqual(computeMetrics(f.list, api, period, now));
  });

  it('never links by time alone: a rollback naming another deploy does not fail this one', () => {
    const f = facts();
    f.deploy(-DAY, 'd');
    f.add('rollback.finished', -DAY + 60_000, { service: 'api', environment: 'production', fromVersion: 'v-other', toVersion: 'v0', reason: 'r', outcome: 'succeeded' });
    expect(metric(computeMetrics(f.list, api, period, now), 'changeFailRate').value).toBe(0);
  });
});

describe('trendOf', () => {
  it.each([
    [10, 5, true, { previous: 5, change: 5, direction: 'up', better: true }],
    [10, 5, false, { previous: 5, change: 5, direction: 'up', better: false }],
    [5, 10, false, { previous: 10, change: -5, direction: 'down', better: true }],
    [5, 5, true, { previous: 5, change: 0, direction: 'flat', better: null }],
    [5, null, true, { previous: null, change: null, direction: 'unknown', better: null }],
  ] as const)('%d after %d (higher better: %s)', (current, previous, higherIsBetter, expected) => {
    expect(trendOf(current, previous, higherIsBetter)).toEqual(expected);
  });
});

const services = ['api', 'web'] as const;
const deployIds = ['a', 'b', 'c', 'd', 'e'] as const;

/** Random ledger histories over the last 100 days (and a little after now) with lineage between them. */
const historyArbitrary = fc
  .array(
    fc.oneof(
      fc.record({
        type: fc.constantFrom('deploy.finished', 'deploy.failed'),
        offset: fc.integer({ min: -100 * DAY, max: 5 * DAY }),
        data: fc.record({
          service: fc.constantFrom(...services),
          environment: fc.constantFrom('production', 'staging'),
          version: fc.constantFrom('v1', 'v2', 'v3'),
          deployId: fc.constantFrom(...deployIds),
          commits: fc.array(fc.constantFrom('aaaaaaa', 'bbbbbbb', 'ccccccc'), { maxLength: 2 }),
          fixes: fc.option(fc.record({ deployId: fc.constantFrom(...deployIds) }), { nil: undefined }),
        }),
      }),
      fc.record({
        type: fc.constant('rollback.finished'),
        offset: fc.integer({ min: -100 * DAY, max: 5 * DAY }),
        data: fc.record({
          service: fc.constantFrom(...services),
          environment: fc.constant('production'),
          fromVersion: fc.constant('v1'),
          toVersion: fc.constant('v0'),
          reason: fc.constant('r'),
          outcome: fc.constantFrom('succeeded', 'failed'),
          deployId: fc.constantFrom(...deployIds),
        }),
      }),
      fc.record({
        type: fc.constant('git.commit'),
        offset: fc.integer({ min: -200 * DAY, max: 5 * DAY }),
        data: fc.record({ repo: fc.constant('r'), sha: fc.constantFrom('aaaaaaa', 'bbbbbbb', 'ccccccc'), branch: fc.constant('main'), author: fc.constant('a'), message: fc.constant('m') }),
      }),
      fc.record({
        type: fc.constantFrom('followup.created', 'followup.closed'),
        offset: fc.integer({ min: -100 * DAY, max: 5 * DAY }),
        data: fc.record({
          followUpId: fc.constantFrom('SO-FU-1', 'SO-FU-2'),
          incidentId: fc.constantFrom('I1', 'I2'),
          title: fc.constant('t'),
          owner: fc.constant('ana'),
          due: fc.constantFrom('2026-09-01', '2026-10-20', '2026-11-20', '2026-12-01'),
        }),
      }),
      fc.record({
        type: fc.constantFrom('incident.declared', 'incident.acknowledged', 'incident.resolved'),
        offset: fc.integer({ min: -100 * DAY, max: 5 * DAY }),
        data: fc.record({
          incidentId: fc.constantFrom('I1', 'I2'),
          title: fc.constant('t'),
          severity: fc.constantFrom('sev1', 'sev2'),
          services: fc.constant(['api']),
          causedBy: fc.option(fc.record({ deployId: fc.constantFrom(...deployIds) }), { nil: undefined }),
        }),
      }),
    ),
    { maxLength: 40 },
  )
  .map((items) =>
    items.map(
      (item, index): MetricsFact => ({
        seq: index + 1,
        type: `dev.steadyops.${item.type}`,
        time: new Date(now.getTime() + item.offset).toISOString(),
        subject: 'service' in item.data ? item.data.service : 'api',
        data: item.data,
        actor: 'test',
        id: String(index + 1),
      }),
    ),
  );

describe('computeMetrics properties', () => {
  it('gives the same report for the same events in any order', () => {
    fc.assert(
      fc.property(historyArbitrary, fc.integer(), fc.constantFrom(all, api), (history, seed, scope) => {
        const shuffled = fc.sample(fc.shuffledSubarray(history, { minLength: history.length, maxLength: history.length }), { numRuns: 1, seed })[0]!;
        expect(computeMetrics(shuffled, scope, period, now)).toEqual(computeMetrics(history, scope, period, now));
      }),
      { numRuns: 200 },
    );
  });

  it('ignores deploys, rollbacks and incidents outside the two periods', () => {
    fc.assert(
      fc.property(historyArbitrary, historyArbitrary, (history, extra) => {
        const outside = extra
          .filter((fact) => !fact.type.includes('git.') && !fact.type.includes('followup.'))
          .map((fact, index) => {
            const offset = Date.parse(fact.time) - now.getTime();
            const moved = offset > 0 ? offset : -2 * period.ms - 1 - Math.abs(offset);
            return { ...fact, seq: history.length + index + 1, time: new Date(now.getTime() + moved).toISOString() };
          });
        expect(computeMetrics([...history, ...outside], all, period, now)).toEqual(computeMetrics(history, all, period, now));
      }),
      { numRuns: 200 },
    );
  });
});

describe('a ledger younger than the previous period', () => {
  it('gives no trend rather than a trend from zero, and says since when it records', () => {
    const f = facts();
    f.deploy(-DAY, 'recent');
    // the previous period of 30 days starts 60 days ago
    const uncovered = computeMetrics(f.list, api, period, now, { recordedSince: new Date(now.getTime() - 40 * DAY) });
    expect(metric(uncovered, 'deploymentFrequency').trend).toEqual({ previous: null, change: null, direction: 'unknown', better: null });
    expect(uncovered.coverage).toEqual({ recordedSince: new Date(now.getTime() - 40 * DAY).toISOString(), previousPeriodCovered: false });
    const covered = computeMetrics(f.list, api, period, now, { recordedSince: new Date(now.getTime() - 70 * DAY) });
    expect(metric(covered, 'deploymentFrequency').trend).toMatchObject({ previous: 0, direction: 'up', better: true });
    expect(covered.coverage?.previousPeriodCovered).toBe(true);
  });
});
