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
