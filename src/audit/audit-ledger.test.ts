import { describe, expect, it } from 'vitest';
import { validateEventData } from '../ledger/event-types.ts';
import type { CloudEventInput, LedgerEvent } from '../ledger/types.ts';
import { auditNow, auditRun, finding } from './audit-fixtures.ts';
import { acceptanceFromEvent, auditCompletedEvent, auditCompletedType, riskAcceptedEvent, riskAcceptedType, snapshotFromEvent } from './audit-ledger.ts';
import { summarize } from './build-audit-report.ts';
import { snapshotOf } from './run-snapshot.ts';

const run = auditRun([
  finding({ controlId: 'BAK-003', domain: 'backup', resource: 'Datastore orders-db', team: 'shop' }),
  finding({ controlId: 'RUN-006', domain: 'runtime', service: 'orders', team: 'shop' }),
  finding({ controlId: 'REL-001', service: 'orders', status: 'risk-accepted' }),
]);
const stored = (event: CloudEventInput, seq = 7): LedgerEvent => ({ ...event, seq, time: event.time!, actor: 'cli:test', ingested_at: event.time!, leaf_hash: '' });

describe('audit.completed', () => {
  it('is a valid catalogue event holding the run compactly, and reads back as the same snapshot', () => {
    const event = auditCompletedEvent(run, summarize(run));
    expect(event).toMatchObject({ type: auditCompletedType, source: '/steadyops/audit', time: auditNow.toISOString() });
    expect(event).not.toHaveProperty('subject');
    expect(validateEventData(event.type, event.data)).toEqual({ ok: true });
    expect(event.data).toMatchObject({
      findings: [
        { controlId: 'BAK-003', severity: 'high', team: 'shop', datastore: 'orders-db' },
        { controlId: 'RUN-006', severity: 'high', service: 'orders', team: 'shop' },
      ],
      riskAccepted: [{ controlId: 'REL-001', service: 'orders' }],
    });
    expect(JSON.stringify(event.data)).not.toContain('evidence');
    expect(snapshotFromEvent(stored(event))).toEqual(snapshotOf(run));
  });

  it('ignores an event whose payload is not an audit run', () => {
    expect(snapshotFromEvent({ ...stored(auditCompletedEvent(run, summarize(run))), data: { root: '/repo' } })).toBeUndefined();
  });
});

describe('audit.risk.accepted', () => {
  it('is a valid catalogue event and reads back as the acceptance', () => {
    const fingerprint = run.findings[1]!.fingerprint;
    const { event, acceptance } = riskAcceptedEvent({ fingerprint, reason: 'pinned in the next release', expires: '14d', acceptedBy: 'dana' }, snapshotOf(run), auditNow);
    expect(event.type).toBe(riskAcceptedType);
    expect(validateEventData(event.type, event.data)).toEqual({ ok: true });
    expect(event.data).toMatchObject({ fingerprint, controlId: 'RUN-006', service: 'orders', expiresAt: '2026-12-10T09:00:00.000Z' });
    expect(acceptanceFromEvent(stored(event, 9))).toEqual({ ...acceptance, seq: 9 });
  });
});
