import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../ledger/types.ts';
import { fixedClock } from '../lib/clock.ts';
import { FakeLedger } from '../server/test-support/fake-ledger.ts';
import { incidentSource } from './incident-ledger.ts';
import { createIncidentService } from './incident-service.ts';

const clock = fixedClock('2026-11-26T10:00:00Z');
const ana = { actor: 'cli:ana', name: 'ana' };
const declare = { title: 'checkout failing', severity: 'sev2', services: ['checkout-api'] };

describe('incident service', () => {
  it('gives concurrent declarations distinct ids, one append each', async () => {
    const ledger = new FakeLedger(clock);
    const incidents = createIncidentService({ ledger, clock, model: () => undefined });
    const ids = await Promise.all([1, 2, 3].map(() => incidents.declare(declare, ana).then((record) => record.incident.id)));
    expect(ids.sort()).toEqual(['INC-1', 'INC-2', 'INC-3']);
    expect(ledger.appendCalls.every((batch) => batch.length === 1)).toBe(true);
  });

  it('continues numbering after the highest id in the ledger, whoever declared it', async () => {
    const ledger = new FakeLedger(clock);
    await ledger.append([
      { actor: 'x', event: { specversion: '1.0', id: 'imported', source: '/wiki', type: 'dev.steadyops.incident.declared', subject: 'a', data: { incidentId: 'INC-2041', title: 't', severity: 'sev3', services: ['a'] } } },
    ]);
    const incidents = createIncidentService({ ledger, clock, model: () => undefined });
    expect((await incidents.declare(declare, ana)).incident.id).toBe('INC-2042');
  });

  it('re-reads and retries when another writer took the event id first', async () => {
    const ledger = new FakeLedger(clock);
    const incidents = createIncidentService({ ledger, clock, model: () => undefined });
    await incidents.declare(declare, ana);
    // another replica acknowledged with the same idempotent id, but its own payload
    await ledger.append([{ actor: 'token:bot', event: { specversion: '1.0', id: 'INC-1.2', source: incidentSource, type: 'dev.steadyops.incident.updated', subject: 'checkout-api', data: { incidentId: 'INC-1', message: 'from elsewhere' } } }]);
    const acknowledged = await incidents.acknowledge('INC-1', ana);
    expect(ledger.events.at(-1)).toMatchObject({ id: 'INC-1.3', type: 'dev.steadyops.incident.acknowledged' });
    expect(acknowledged.incident.updates.map((update) => update.message)).toEqual(['checkout failing', 'from elsewhere', 'acknowledged by ana']);
  });

  it('tells the notifier after the append, with the stored event, and survives a failing notifier', async () => {
    const ledger = new FakeLedger(clock);
    const seen: LedgerEvent[] = [];
    const incidents = createIncidentService({
      ledger,
      clock,
      model: () => undefined,
      notify: {
        incidentChanged(event) {
          expect(ledger.events.some((stored) => stored.seq === event.seq)).toBe(true);
          seen.push(event);
          throw new Error('chat is down');
        },
      },
    });
    const recorded = await incidents.declare(declare, ana);
    await incidents.resolve('INC-1', undefined, ana);
    expect(seen.map((event) => [event.seq, event.type])).toEqual([
      [recorded.seq, 'dev.steadyops.incident.declared'],
      [2, 'dev.steadyops.incident.resolved'],
    ]);
    await expect(incidents.resolve('INC-1', undefined, ana)).rejects.toThrow('cannot resolve INC-1');
    expect(seen).toHaveLength(2);
  });
});

describe('confirming the deploy that caused an incident', () => {
  const deploy = (id: string, type: string, data: Record<string, unknown>) => ({
    actor: 'github',
    event: { specversion: '1.0' as const, id, source: '/github', type, subject: 'checkout-api', data, extensions: { environment: 'production' } },
  });

  it('reads the deploy id from the deploy event named by seq:N, and records it with the seq', async () => {
    const ledger = new FakeLedger(clock);
    const [withId, withoutId] = await ledger.append([
      deploy('d1', 'dev.steadyops.deploy.finished', { service: 'checkout-api', environment: 'production', version: 'v2', deployId: 'dep-77' }),
      deploy('d2', 'dev.steadyops.deploy.finished', { service: 'checkout-api', environment: 'production', version: 'v3' }),
    ]);
    const incidents = createIncidentService({ ledger, clock, model: () => undefined });
    await incidents.declare(declare, ana);
    const first = await incidents.update('INC-1', { message: 'v2 did it', causedBy: `seq:${withId!.seq}` }, ana);
    expect(first.incident.causedBy).toEqual({ deployId: 'dep-77', seq: withId!.seq });
    const second = await incidents.update('INC-1', { message: 'no, v3 did', causedBy: `seq:${withoutId!.seq}` }, ana);
    expect(second.incident.causedBy).toEqual({ deployId: 'checkout-api/production/v3', seq: withoutId!.seq });
    expect((ledger.events.at(-1)!.data as Record<string, unknown>).causedBy).toEqual({ deployId: 'checkout-api/production/v3', seq: withoutId!.seq });
    expect((await incidents.show('INC-1')).causedBy?.deployId).toBe('checkout-api/production/v3');
  });

  it('takes a deploy id as given', async () => {
    const ledger = new FakeLedger(clock);
    const incidents = createIncidentService({ ledger, clock, model: () => undefined });
    await incidents.declare(declare, ana);
    expect((await incidents.update('INC-1', { message: 'cause', causedBy: 'dep-9' }, ana)).incident.causedBy).toEqual({ deployId: 'dep-9' });
  });

  it('refuses a seq that is not a deploy, or not in the ledger, and writes nothing', async () => {
    const ledger = new FakeLedger(clock);
    const incidents = createIncidentService({ ledger, clock, model: () => undefined });
    const declared = await incidents.declare(declare, ana);
    const before = ledger.events.length;
    await expect(incidents.update('INC-1', { message: 'x', causedBy: `seq:${declared.seq}` }, ana)).rejects.toMatchObject({ code: 'SO_E_INPUT_INVALID' });
    await expect(incidents.update('INC-1', { message: 'x', causedBy: 'seq:999' }, ana)).rejects.toMatchObject({ code: 'SO_E_NOT_FOUND' });
    expect(ledger.events).toHaveLength(before);
  });
});

describe('the SLO budget an incident burned', () => {
  it('is measured up to the resolution and recorded on it, per SLO of each service', async () => {
    const ledger = new FakeLedger(clock);
    const seen: Array<{ id: string; end: string }> = [];
    const incidents = createIncidentService({
      ledger,
      clock,
      model: () => undefined,
      sloImpact: async (incident, end) => {
        seen.push({ id: incident.id, end: end.toISOString() });
        return {
          measured: true,
          slos: [
            { service: 'checkout-api', slo: 'availability', environment: 'production', budgetBurnedPercent: 12.34567 },
            { service: 'checkout-api', slo: 'latency', environment: 'production', budgetBurnedPercent: undefined },
          ],
        };
      },
    });
    await incidents.declare(declare, ana);
    await incidents.resolve('INC-1', 'rolled back', ana);
    expect(seen).toEqual([{ id: 'INC-1', end: '2026-11-26T10:00:00.000Z' }]);
    expect(ledger.events.at(-1)).toMatchObject({
      type: 'dev.steadyops.incident.resolved',
      data: { incidentId: 'INC-1', summary: 'rolled back', budgetBurned: [{ slo: 'checkout-api/availability', service: 'checkout-api', environment: 'production', percent: 12.346 }] },
    });
  });

  it('records nothing when it could not be measured, and is not asked for an incident already resolved', async () => {
    const ledger = new FakeLedger(clock);
    let asked = 0;
    const incidents = createIncidentService({
      ledger,
      clock,
      model: () => undefined,
      sloImpact: async () => {
        asked += 1;
        return { measured: false, reason: 'no SLO data (Prometheus unreachable)' };
      },
    });
    await incidents.declare(declare, ana);
    await incidents.resolve('INC-1', undefined, ana);
    expect((ledger.events.at(-1)!.data as Record<string, unknown>).budgetBurned).toBeUndefined();
    await expect(incidents.resolve('INC-1', undefined, ana)).rejects.toMatchObject({ code: 'SO_E_INCIDENT_TRANSITION' });
    expect(asked).toBe(1);
  });
});
