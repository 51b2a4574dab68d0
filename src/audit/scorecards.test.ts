import { describe, expect, it } from 'vitest';
import { emptyModel, type ResolvedModel } from '../model/resolve.ts';
import { auditRun, finding } from './audit-fixtures.ts';
import { controlCatalog } from './controls/control-catalog.ts';
import { datastore, service, team } from './controls/control-fixtures.ts';
import type { Finding } from './run-audit.ts';
import { snapshotOf } from './run-snapshot.ts';
import { buildScorecards, levelRules } from './scorecards.ts';

const model: ResolvedModel = {
  ...emptyModel(),
  teams: [team('payments'), team('growth', undefined, { oncall: undefined })],
  services: [
    service('checkout-api', { owner: 'payments', dependsOn: [{ datastore: 'orders-db', critical: true }] }),
    service('ledger-service', { owner: 'payments', tier: 2 }),
    service('web-frontend', { owner: 'growth', tier: 2 }),
    service('old-admin', { owner: 'growth', lifecycle: 'deprecated' }),
  ],
  datastores: [datastore('orders-db', { owner: 'payments' })],
};

const growthOnCall = finding({ controlId: 'OWN-001', domain: 'ownership', resource: 'Team growth', team: 'growth' });

function cards(findings: readonly Finding[], options: { notApplicable?: readonly string[]; previous?: readonly Finding[][]; withoutModel?: boolean } = {}) {
  const notApplicable = (options.notApplicable ?? []).map((id) => ({ id, status: 'not-applicable' as const, findings: 0, reason: 'no ledger found' }));
  return buildScorecards({
    current: snapshotOf(auditRun(findings, notApplicable)),
    previous: (options.previous ?? []).map((earlier) => snapshotOf(auditRun(earlier))),
    catalog: controlCatalog,
    ...(options.withoutModel ? {} : { model }),
  });
}

const cardOf = (list: ReturnType<typeof cards>, kind: 'service' | 'team', name: string) => list.find((entry) => entry.kind === kind && entry.name === name)!;

describe('levels', () => {
  it('gives gold when every rule holds, per production service and per team', () => {
    const list = cards([]);
    expect(list.map((entry) => `${entry.kind} ${entry.name} ${entry.level}`)).toEqual([
      'service checkout-api gold',
      'service ledger-service gold',
      'service web-frontend gold',
      'team growth gold',
      'team payments gold',
    ]);
    expect(cardOf(list, 'service', 'checkout-api').nextLevelBlockers).toEqual([]);
  });

  it.each([
    ['an open critical finding', [finding({ controlId: 'ACC-020', severity: 'critical', service: 'checkout-api' })], 'none', ['1 open critical finding (ACC-020)']],
    ['an open high finding', [finding({ controlId: 'RUN-011', severity: 'high', service: 'checkout-api' })], 'bronze', ['1 open high finding (RUN-011)']],
    [
      'no SLO',
      [finding({ controlId: 'OBS-002', domain: 'observability', severity: 'medium', service: 'checkout-api' })],
      'bronze',
      ['OBS-002 (Service has no SLO) fails'],
    ],
    ['an open medium finding', [finding({ controlId: 'RUN-004', severity: 'medium', service: 'checkout-api' })], 'silver', ['1 open medium finding (RUN-004)']],
    [
      'a restore drill overdue on its datastore',
      [finding({ controlId: 'BAK-003', domain: 'backup', severity: 'high', resource: 'Datastore orders-db', team: 'payments' })],
      'silver',
      ['datastore orders-db: BAK-003 (Last verified restore is older than the drill interval) fails'],
    ],
  ] as const)('%s', (_name, findings, level, blockers) => {
    const entry = cardOf(cards(findings), 'service', 'checkout-api');
    expect(entry.level).toBe(level);
    expect(entry.nextLevelBlockers).toEqual(blockers);
  });

  it('needs the owning team on call for bronze', () => {
    const entry = cardOf(cards([growthOnCall]), 'service', 'web-frontend');
    expect(entry).toMatchObject({ level: 'none', nextLevelBlockers: ['team growth: OWN-001 (Team owns production systems but has no on-call) fails'] });
  });

  it('does not give a level a control could not check', () => {
    const entry = cardOf(cards([], { notApplicable: ['BAK-002', 'BAK-003'] }), 'service', 'checkout-api');
    expect(entry.level).toBe('silver');
    expect(entry.nextLevelBlockers).toEqual([
      'datastore orders-db: BAK-002 (Restore drill declared but never verified) could not be checked: it did not apply in this run',
      'datastore orders-db: BAK-003 (Last verified restore is older than the drill interval) could not be checked: it did not apply in this run',
    ]);
    // a service without datastores does not need them
    expect(cardOf(cards([], { notApplicable: ['BAK-002'] }), 'service', 'ledger-service').level).toBe('gold');
  });

  it('lets risk-accepted findings through', () => {
    expect(cardOf(cards([finding({ severity: 'critical', service: 'checkout-api', status: 'risk-accepted' })]), 'service', 'checkout-api').level).toBe('gold');
  });

  it('counts open findings by severity', () => {
    const entry = cardOf(cards([finding({ controlId: 'RUN-004', severity: 'medium', service: 'checkout-api' }), finding({ controlId: 'RUN-002', severity: 'low', service: 'checkout-api' })]), 'service', 'checkout-api');
    expect(entry.openFindings).toEqual({ low: 1, medium: 1, high: 0, critical: 0 });
  });
});

describe('teams', () => {
  it('is no higher than its lowest production service or its own team-wide findings', () => {
    const list = cards([finding({ controlId: 'RUN-011', severity: 'high', service: 'ledger-service' }), finding({ controlId: 'INF-001', domain: 'infrastructure', resource: 'aws_db_instance.growth', team: 'growth', severity: 'medium' })]);
    expect(cardOf(list, 'team', 'payments')).toMatchObject({ level: 'bronze', nextLevelBlockers: ['service ledger-service is bronze'] });
    expect(cardOf(list, 'team', 'growth')).toMatchObject({ level: 'silver', nextLevelBlockers: ['1 open medium finding (INF-001)'] });
    expect(cardOf(cards([growthOnCall]), 'team', 'growth')).toMatchObject({
      level: 'none',
      nextLevelBlockers: ['OWN-001 (Team owns production systems but has no on-call) fails', 'service web-frontend is below bronze'],
    });
  });
});

describe('without a model', () => {
  it('scores the services and teams the findings name, none of them owned', () => {
    const list = cards([finding({ controlId: 'RUN-004', severity: 'medium', service: 'api', team: 'core' })], { withoutModel: true });
    expect(list.map((entry) => [entry.kind, entry.name, entry.level])).toEqual([
      ['service', 'api', 'none'],
      ['team', 'core', 'none'],
    ]);
    expect(list[0]!.nextLevelBlockers).toEqual(['api is not in the ownership model, so nobody owns it']);
  });
});

describe('trend', () => {
  it('lists the levels of earlier runs, oldest first, then this one', () => {
    const entry = cardOf(
      cards([], { previous: [[finding({ severity: 'critical', service: 'checkout-api' })], [finding({ severity: 'high', service: 'checkout-api' })]] }),
      'service',
      'checkout-api',
    );
    expect(entry.trend).toEqual(['none', 'bronze', 'gold']);
  });
});

it('names controls that exist in the catalog', () => {
  const ids = new Set(controlCatalog.map((control) => control.id));
  for (const rule of levelRules) for (const id of [...(rule.teamPasses ?? []), ...(rule.servicePasses ?? []), ...(rule.datastoresPass ?? [])]) expect(ids).toContain(id);
});
