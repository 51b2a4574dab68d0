import { describe, expect, it } from 'vitest';
import type { LedgerEvent, OwnershipModel } from './api-types.ts';
import { dependencyRows, dependents, findService, historyRow, onCallNow, openFindingsOf, serviceDatastores, zonedTime, type DetailTeam, type ServiceFinding } from './service-detail.ts';

const model = {
  teams: [{ name: 'payments' }],
  services: [
    { name: 'checkout-api', owner: 'payments', dependsOn: [{ service: 'auth-service', critical: true }, { datastore: 'core-postgres' }, { external: 'stripe-api' }, { service: 'ghost' }] },
    { name: 'auth-service', owner: 'identity' },
    { name: 'web-frontend', owner: 'growth', dependsOn: [{ service: 'checkout-api' }] },
  ],
  datastores: [
    { name: 'core-postgres', owner: 'platform', restoreDrill: { every: '30d' } },
    { name: 'other-db', owner: 'platform' },
  ],
} as unknown as OwnershipModel;

function event(type: string, data: unknown, seq = 1): LedgerEvent {
  return { seq, id: `e${seq}`, source: '/test', type, time: '2026-11-26T12:00:00Z', data, actor: 'token:ci', ingested_at: '2026-11-26T12:00:00Z', leaf_hash: '' };
}

describe('service detail from the model', () => {
  it('lists dependencies, linking only what the model defines, and who depends on the service', () => {
    const service = findService(model, 'checkout-api');
    expect(service).toBeDefined();
    expect(dependencyRows(service!, model)).toEqual([
      { kind: 'service', name: 'auth-service', critical: true, known: true },
      { kind: 'datastore', name: 'core-postgres', critical: false, known: true },
      { kind: 'external', name: 'stripe-api', critical: false, known: false },
      { kind: 'service', name: 'ghost', critical: false, known: false },
    ]);
    expect(dependents('checkout-api', model)).toEqual(['web-frontend']);
    expect(serviceDatastores(service!, model).map((store) => store.name)).toEqual(['core-postgres']);
    expect(findService(model, 'nope')).toBeUndefined();
  });

  it('reads a handoff time in the team\'s time zone', () => {
    expect(new Date(zonedTime('2025-01-06', '10:00', 'Europe/Lisbon')).toISOString()).toBe('2025-01-06T10:00:00.000Z');
    expect(new Date(zonedTime('2025-07-07', '10:00', 'Europe/Lisbon')).toISOString()).toBe('2025-07-07T09:00:00.000Z');
    expect(new Date(zonedTime('2025-01-06', '09:00', 'America/New_York')).toISOString()).toBe('2025-01-06T14:00:00.000Z');
    expect(new Date(zonedTime('2025-01-06', '09:00', 'Not/AZone')).toISOString()).toBe('2025-01-06T09:00:00.000Z');
  });

  it('works out who is on call from a rotation', () => {
    const team: DetailTeam = {
      name: 'payments',
      timezone: 'UTC',
      members: [
        { name: 'Ana', email: 'ana@x.example' },
        { name: 'Tom', email: 'tom@x.example' },
      ],
      oncall: { rotation: { members: ['ana@x.example', 'tom@x.example'], period: '1w', handoff: '10:00', start: '2025-01-06' } },
    };
    expect(onCallNow(team, new Date('2025-01-06T10:00:00Z'))).toEqual({ member: 'Ana', until: new Date('2025-01-13T10:00:00Z'), next: 'Tom' });
    expect(onCallNow(team, new Date('2025-01-13T09:59:00Z'))?.member).toBe('Ana');
    expect(onCallNow(team, new Date('2025-01-13T10:00:00Z'))?.member).toBe('Tom');
    expect(onCallNow(team, new Date('2025-01-20T10:00:00Z'))?.member).toBe('Ana');
    expect(onCallNow({ name: 'x', oncall: { schedule: { provider: 'pagerduty', id: 'P1' } } }, new Date())).toBeUndefined();
  });
});

describe('deploy history rows', () => {
  it('says what a deploy, a gate decision and a rollback were', () => {
    expect(historyRow(event('dev.steadyops.deploy.finished', { version: 'v2', previousVersion: 'v1', strategy: 'canary' }))).toMatchObject({ kind: 'deploy', what: 'deploy finished', detail: 'v1 → v2 · canary', tone: 'ok' });
    expect(historyRow(event('dev.steadyops.deploy.started', { version: 'v2' }))).toMatchObject({ what: 'deploy started', detail: 'v2', tone: 'neutral' });
    expect(historyRow(event('dev.steadyops.deploy.failed', {})).tone).toBe('bad');
    expect(
      historyRow(event('dev.steadyops.gate.decided', { decision: 'deny', policy: 'tier1', version: 'v3', checks: [{ type: 'errorBudget', outcome: 'fail' }, { type: 'freezeWindow', outcome: 'pass' }] })),
    ).toMatchObject({ kind: 'gate', what: 'gate deny', detail: 'v3 · policy tier1 · errorBudget fail', tone: 'bad' });
    expect(historyRow(event('dev.steadyops.gate.decided', { decision: 'allow', checks: [{ type: 'a', outcome: 'pass' }] }))).toMatchObject({ detail: '1 checks passed', tone: 'ok' });
    expect(historyRow(event('dev.steadyops.rollback.finished', { fromVersion: 'v9', toVersion: 'v8', outcome: 'succeeded', reason: 'INC-1' }))).toMatchObject({
      kind: 'rollback',
      what: 'rollback finished',
      detail: 'v9 → v8 · succeeded · INC-1',
      tone: 'warn',
    });
    expect(historyRow(event('dev.steadyops.rollback.finished', { outcome: 'failed' })).tone).toBe('bad');
    expect(historyRow(event('dev.steadyops.config.changed', 'not an object'))).toMatchObject({ kind: 'other', tone: 'neutral' });
  });
});

describe('findings of a service', () => {
  it('keeps the open findings of that service, most severe first', () => {
    const finding = (controlId: string, severity: ServiceFinding['severity'], service: string, status = 'open'): ServiceFinding => ({ fingerprint: controlId, controlId, title: '', severity, status, resource: '', evidence: '', service });
    const report = { run: { findings: [finding('DB-005', 'medium', 'checkout-api'), finding('DB-001', 'high', 'checkout-api'), finding('X-1', 'critical', 'other'), finding('X-2', 'critical', 'checkout-api', 'risk-accepted')] } };
    expect(openFindingsOf(report, 'checkout-api').map((f) => f.controlId)).toEqual(['DB-001', 'DB-005']);
    expect(openFindingsOf(null, 'checkout-api')).toEqual([]);
  });
});
