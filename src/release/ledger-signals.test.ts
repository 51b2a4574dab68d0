import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../ledger/types.ts';
import { signalsFromEvents } from './ledger-signals.ts';

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
    expect(signalsFromEvents(events, 'checkout-api', 'production')).toEqual({
      firingAlerts: [{ alertname: 'B', severity: 'ticket', service: 'ledger-service', startsAt: '2026-11-26T08:05:00Z' }],
      openIncidents: [{ id: 'INC-2', severity: 'sev1', services: ['search-api'] }],
      restores: [{ datastore: 'payments-db', verifiedAt: '2026-11-20T00:00:00Z' }],
      recentDeploys: [{ at: '2026-11-26T07:00:00Z' }],
    });
  });
});
