import { describe, expect, it } from 'vitest';
import { fixedClock } from '../lib/clock.ts';
import { FakeLedger } from '../server/test-support/fake-ledger.ts';
import { createMetricsService, readAll } from './metrics-service.ts';

describe('readAll', () => {
  it('reads every matching event in pages, newest first', async () => {
    const ledger = new FakeLedger(fixedClock('2026-11-26T09:00:00Z'));
    await ledger.append(
      Array.from({ length: 7 }, (_, index) => ({
        actor: 'test',
        event: { specversion: '1.0' as const, id: `e${index}`, source: '/t', type: 'dev.steadyops.git.tag', data: { repo: 'r', tag: `v${index}`, sha: 'abcdef1' } },
      })),
    );
    const events = await readAll(ledger, { types: ['dev.steadyops.git.*'] }, 3);
    expect(events.map((event) => event.seq)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect(ledger.queries.map((query) => [query.limit, query.beforeSeq])).toEqual([
      [3, undefined],
      [3, 5],
      [3, 2],
    ]);
  });
});

describe('the metrics service', () => {
  it('counts an incident for every service it lists, whichever service its events name as subject', async () => {
    const clock = fixedClock('2026-11-26T09:00:00Z');
    const ledger = new FakeLedger(clock);
    const incident = (id: string, type: string, time: string, data: Record<string, unknown>) => ({
      actor: 'test',
      event: { specversion: '1.0' as const, id, source: '/t', type: `dev.steadyops.incident.${type}`, subject: 'checkout-api', time, data: { incidentId: 'INC-1', ...data } },
    });
    await ledger.append([
      incident('d', 'declared', '2026-11-25T08:00:00Z', { title: 't', severity: 'sev2', services: ['checkout-api', 'payments-gateway'], environment: 'production' }),
      incident('r', 'resolved', '2026-11-25T10:00:00Z', {}),
    ]);
    const metrics = createMetricsService({ ledger, clock });
    for (const service of ['checkout-api', 'payments-gateway']) {
      const report = await metrics.report({ service, period: '7d' }, undefined);
      expect(report.incidents.count, service).toBe(1);
      expect(report.metrics.find((metric) => metric.key === 'mttr')?.value, service).toBe(2);
    }
  });
});
