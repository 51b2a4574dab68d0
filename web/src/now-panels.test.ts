import { describe, expect, it } from 'vitest';
import type { LedgerEvent, OwnershipModel } from './api-types.ts';
import { accessDecisions, drillLookback, fastestBurning, firingAlertsByOwner, recentReleases, restoreStatuses, type RollbackAnswer, rollbackTone, rollbackVerdictLabels } from './now-panels.ts';

let seq = 0;
function event(type: string, time: string, data: Record<string, unknown>, subject?: string): LedgerEvent {
  seq += 1;
  return { seq, id: `e-${seq}`, source: '/test', type: `dev.steadyops.${type}`, time, data, actor: 'github:someone', ingested_at: time, leaf_hash: 'x', ...(subject ? { subject } : {}) };
}

const model: OwnershipModel = {
  teams: [{ name: 'payments' }, { name: 'platform' }],
  services: [
    { name: 'checkout-api', owner: 'payments' },
    { name: 'search-api', owner: 'growth' },
  ],
  datastores: [
    { name: 'core-postgres', owner: 'platform', restoreDrill: { every: '30d' } },
    { name: 'session-redis', owner: 'identity', restoreDrill: { every: '7d' } },
    { name: 'events-kafka', owner: 'platform', restoreDrill: { every: '30d' } },
    { name: 'scratch', owner: 'platform' },
  ],
};

describe('the Now page answers', () => {
  const now = new Date('2026-11-26T12:00:00Z');

  it('lists approvals, grants and break-glass with requester, approver and role, one row per request', () => {
    const events = [
      event('access.breakglass', '2026-11-25T10:00:00Z', { requester: 'github:priya', role: 'prod-db-admin' }),
      event('access.granted', '2026-11-24T10:00:01Z', { requester: 'github:daniel', approver: 'github:grace', role: 'prod-db-admin', requestId: 'AR-1' }),
      event('access.approved', '2026-11-24T10:00:00Z', { requester: 'github:daniel', approver: 'github:grace', role: 'prod-db-admin', requestId: 'AR-1' }),
      event('access.requested', '2026-11-24T09:00:00Z', { requester: 'github:daniel', role: 'prod-db-admin' }),
      event('access.granted', '2026-11-23T10:00:01Z', { requester: 'github:tomas', role: 'prod-k8s-operator', requestId: 'AR-2' }),
      event('access.approved', '2026-11-23T10:00:00Z', { requester: 'github:tomas', role: 'prod-k8s-operator', requestId: 'AR-2' }),
    ];
    expect(accessDecisions(events).map(({ verb, requester, approver, role }) => ({ verb, requester, approver, role }))).toEqual([
      { verb: 'breakglass', requester: 'github:priya', approver: undefined, role: 'prod-db-admin' },
      { verb: 'granted', requester: 'github:daniel', approver: 'github:grace', role: 'prod-db-admin' },
      // the grant does not name its approver; the approval's actor does
      { verb: 'granted', requester: 'github:tomas', approver: 'github:someone', role: 'prod-k8s-operator' },
    ]);
  });

  it('says per datastore when restore was last verified, red when older than its interval or never', () => {
    const drills = [
      event('restore.drill.verified', '2026-11-20T10:00:00Z', { datastore: 'core-postgres' }, 'core-postgres'),
      event('restore.drill.verified', '2026-11-10T10:00:00Z', { datastore: 'session-redis' }, 'session-redis'),
      event('restore.drill.failed', '2026-11-16T10:00:00Z', { datastore: 'events-kafka' }, 'events-kafka'),
      event('restore.drill.verified', '2026-11-01T10:00:00Z', { datastore: 'scratch' }, 'scratch'),
    ];
    const statuses = restoreStatuses(model.datastores, drills, now);
    expect(statuses.map(({ datastore, state }) => [datastore, state])).toEqual([
      ['core-postgres', 'fresh'],
      ['session-redis', 'overdue'],
      ['events-kafka', 'never'],
      ['scratch', 'no-drill-policy'],
    ]);
    expect(statuses[2]?.lastFailed?.time).toBe('2026-11-16T10:00:00Z');
    expect(drillLookback(model.datastores)).toBe('60d');
  });

  it('groups alerts still firing by the owning team, resolved ones left out', () => {
    const events = [
      event('alert.firing', '2026-11-26T11:00:00Z', { alertname: 'CheckoutLatencyHigh', fingerprint: 'a', severity: 'page', environment: 'production' }, 'checkout-api'),
      event('alert.firing', '2026-11-26T10:00:00Z', { alertname: 'SearchDown', fingerprint: 'b', severity: 'page' }, 'search-api'),
      event('alert.resolved', '2026-11-26T10:30:00Z', { alertname: 'SearchDown', fingerprint: 'b', severity: 'page' }, 'search-api'),
      event('alert.firing', '2026-11-26T09:00:00Z', { alertname: 'Mystery', fingerprint: 'c', severity: 'ticket' }),
    ];
    const owners = firingAlertsByOwner(events, model);
    expect(owners.map((owner) => [owner.owner, owner.alerts.map((alert) => alert.alertname)])).toEqual([
      ['payments', ['CheckoutLatencyHigh']],
      ['unowned', ['Mystery']],
    ]);
  });

  it('finds the services released in the window and ranks SLOs by burn', () => {
    const releases = recentReleases([
      event('deploy.finished', '2026-11-26T11:00:00Z', { service: 'checkout-api', version: 'v2', environment: 'production' }, 'checkout-api'),
      event('deploy.finished', '2026-11-26T10:00:00Z', { service: 'checkout-api', version: 'v1', environment: 'production' }, 'checkout-api'),
      event('deploy.started', '2026-11-26T09:00:00Z', { service: 'search-api', version: 'v9' }, 'search-api'),
    ]);
    expect(releases.map((release) => [release.service, release.version])).toEqual([['checkout-api', 'v2']]);
    const slo = (name: string, rate?: number) => ({ service: 's', slo: name, environment: 'production', objective: 99.9, period: '30d', summary: '', ...(rate === undefined ? {} : { currentBurn: { window: '6h', rate } }) });
    expect(fastestBurning([slo('a', 1), slo('none'), slo('b', 3.2), slo('c', 0)]).map((s) => s.slo)).toEqual(['b', 'a', 'c', 'none']);
  });
});

describe('the rollback panel', () => {
  const answer = (verdict: RollbackAnswer['verdict']): RollbackAnswer => ({ service: 's', verdict, reason: '' });

  it('is red when a release would lose data, amber while one is unknown, green when all are safe', () => {
    expect(rollbackTone([answer('safe'), answer('data-loss-risk'), answer('unknown')])).toBe('bad');
    expect(rollbackTone([answer('safe'), answer('unknown')])).toBe('warn');
    expect(rollbackTone([answer('safe'), answer('safe')])).toBe('ok');
    expect(rollbackTone([answer('safe'), undefined])).toBe('unknown');
    expect(rollbackTone([])).toBe('unknown');
    expect(rollbackVerdictLabels['data-loss-risk']).toBe('data loss risk');
  });
});
