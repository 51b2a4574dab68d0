import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../ledger/types.ts';
import { releaseHistory, signalsFromEvents } from './ledger-signals.ts';

let seq = 0;
const event = (type: string, time: string, data: unknown, extra: Partial<LedgerEvent> = {}): LedgerEvent => ({
  seq: (seq += 1),
  specversion: '1.0',
  id: `e${seq}`,
  source: '/test',
  type,
  time,
  actor: 'test',
  ingested_at: time,
  leaf_hash: '',
  data,
  ...extra,
});

describe('signalsFromEvents', () => {
  it('keeps alerts still firing, incidents still open, the latest restore per datastore and this environment\'s deploys', () => {
    const events = [
      event('dev.steadyops.alert.firing', '2026-11-26T08:00:00Z', { alertname: 'A', fingerprint: 'f1', severity: 'page' }, { subject: 'checkout-api' }),
      event('dev.steadyops.alert.firing', '2026-11-26T08:05:00Z', { alertname: 'B', fingerprint: 'f2', severity: 'ticket' }, { subject: 'ledger-service' }),
      event('dev.steadyops.alert.resolved', '2026-11-26T08:10:00Z', { alertname: 'A', fingerprint: 'f1' }, { subject: 'checkout-api' }),
      event('dev.steadyops.incident.declared', '2026-11-26T08:00:00Z', { incidentId: 'INC-1', severity: 'sev2', services: ['checkout-api'] }),
      event('dev.steadyops.incident.declared', '2026-11-26T08:01:00Z', { incidentId: 'INC-2', severity: 'sev1', services: ['search-api'] }),
      event('dev.steadyops.incident.resolved', '2026-11-26T09:00:00Z', { incidentId: 'INC-1' }),
      event('dev.steadyops.restore.drill.verified', '2026-11-01T00:00:00Z', { datastore: 'payments-db' }),
      event('dev.steadyops.restore.drill.verified', '2026-11-20T00:00:00Z', { datastore: 'payments-db' }),
      event('dev.steadyops.deploy.finished', '2026-11-26T07:00:00Z', {}, { subject: 'checkout-api', environment: 'production' }),
      event('dev.steadyops.deploy.finished', '2026-11-26T07:30:00Z', {}, { subject: 'checkout-api', environment: 'staging' }),
      event('dev.steadyops.deploy.finished', '2026-11-26T07:40:00Z', {}, { subject: 'search-api', environment: 'production' }),
    ];
    expect(signalsFromEvents(events, { service: 'checkout-api', environment: 'production', version: 'v1' })).toEqual({
      firingAlerts: [{ alertname: 'B', severity: 'ticket', service: 'ledger-service', startsAt: '2026-11-26T08:05:00Z' }],
      openIncidents: [{ id: 'INC-2', severity: 'sev1', services: ['search-api'] }],
      restores: [{ datastore: 'payments-db', verifiedAt: '2026-11-20T00:00:00Z' }],
      recentDeploys: [{ at: '2026-11-26T07:00:00Z' }],
      approvals: [],
    });
  });

  it('counts approvals of this version, for this environment or for any, and no other', () => {
    const approved = (data: Record<string, unknown>) => event('dev.steadyops.release.approved', '2026-11-26T08:00:00Z', data);
    const events = [
      approved({ service: 'checkout-api', version: 'v2', approver: 'ana@x.example', comment: 'looks good' }),
      approved({ service: 'checkout-api', version: 'v2', approver: 'bo@x.example', environment: 'production' }),
      approved({ service: 'checkout-api', version: 'v2', approver: 'cy@x.example', environment: 'staging' }),
      approved({ service: 'checkout-api', version: 'v1', approver: 'di@x.example' }),
      approved({ service: 'search-api', version: 'v2', approver: 'ed@x.example' }),
    ];
    const { approvals } = signalsFromEvents(events, { service: 'checkout-api', environment: 'production', version: 'v2' });
    expect(approvals).toEqual([
      { approver: 'ana@x.example', at: '2026-11-26T08:00:00Z', comment: 'looks good' },
      { approver: 'bo@x.example', at: '2026-11-26T08:00:00Z' },
    ]);
  });
});

describe('releaseHistory', () => {
  const release = { service: 'checkout-api', environment: 'production', version: 'v2' };
  const decided = (decision: string, data: Record<string, unknown> = {}) =>
    event('dev.steadyops.gate.decided', '2026-11-26T08:00:00Z', { ...release, policy: 'tier1', decision, ...data });

  it('finds the latest deny of this release and the override that answers it', () => {
    const deny = decided('deny');
    const override = event('dev.steadyops.gate.overridden', '2026-11-26T08:10:00Z', { ...release, reason: 'hotfix for INC-9', overriddenBy: 'ana@x.example', deniedSeq: deny.seq });
    expect(releaseHistory([decided('allow'), deny, override], release)).toEqual({
      lastDeny: { seq: deny.seq, at: deny.time, policy: 'tier1' },
      override: { seq: override.seq, at: override.time, by: 'ana@x.example', reason: 'hotfix for INC-9' },
    });
  });

  it('ignores other versions, services and environments', () => {
    const events = [
      decided('deny', { version: 'v1' }),
      decided('deny', { environment: 'staging' }),
      decided('deny', { service: 'search-api' }),
      event('dev.steadyops.gate.overridden', '2026-11-26T08:10:00Z', { ...release, version: 'v1', reason: 'r', overriddenBy: 'a' }),
    ];
    expect(releaseHistory(events, release)).toEqual({});
  });
});
