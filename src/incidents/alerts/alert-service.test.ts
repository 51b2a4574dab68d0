import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../lib/clock.ts';
import { emptyModel, type ResolvedModel } from '../../model/resolve.ts';
import { FakeLedger } from '../../server/test-support/fake-ledger.ts';
import { createAlertService } from './alert-service.ts';

const clock = fixedClock('2026-11-26T09:00:00Z');
const model: ResolvedModel = {
  ...emptyModel(),
  teams: [{ name: 'payments', labels: {}, annotations: {}, timezone: 'UTC', members: [{ name: 'Ana', email: 'ana@example.com' }] }],
  services: [{ name: 'checkout-api', labels: {}, annotations: {}, owner: 'payments', tier: 1, lifecycle: 'production', alerts: [{ alertname: 'CheckoutDown', severity: 'page', runbook: 'rb.md', firstAction: 'Roll back.' }] }],
};

async function ledgerWith(count: number): Promise<FakeLedger> {
  const ledger = new FakeLedger(clock);
  await ledger.append(
    Array.from({ length: count }, (_, index) => ({
      actor: 'system:alertmanager',
      event: {
        specversion: '1.0' as const,
        id: `a${index}`,
        source: '/alertmanager/production',
        type: 'dev.steadyops.alert.firing',
        subject: 'checkout-api',
        time: new Date(Date.parse('2026-11-26T08:00:00Z') + index * 60_000).toISOString(),
        data: { alertname: 'CheckoutDown', fingerprint: `f${index}`, severity: 'critical', labels: {}, startsAt: new Date(Date.parse('2026-11-26T08:00:00Z') + index * 60_000).toISOString() },
      },
    })),
  );
  return ledger;
}

describe('createAlertService', () => {
  it('lists an alert firing since before the window when asked for what is firing, up to 30 days back', async () => {
    const ledger = new FakeLedger(clock);
    const firing = (id: string, startsAt: string) => ({
      actor: 'system:alertmanager',
      event: {
        specversion: '1.0' as const,
        id,
        source: '/alertmanager/production',
        type: 'dev.steadyops.alert.firing',
        subject: 'checkout-api',
        time: startsAt,
        data: { alertname: 'CheckoutDown', fingerprint: id, severity: 'critical', labels: {}, startsAt },
      },
    });
    await ledger.append([firing('ten-days', '2026-11-16T09:00:00Z'), firing('forty-days', '2026-10-17T09:00:00Z')]);
    const service = createAlertService({ ledger, clock, model: { current: () => model } });
    const since = new Date('2026-11-19T09:00:00Z');
    expect((await service.list({ since, firing: true })).alerts.map((alert) => alert.fingerprint)).toEqual(['ten-days']);
    expect((await service.list({ since })).alerts).toEqual([]);
  });

  it('reads the window page by page, with the alert types only, and routes every alert', async () => {
    const ledger = await ledgerWith(5);
    const service = createAlertService({ ledger, clock, model: { current: () => model }, pageSize: 2 });
    const report = await service.list({ since: new Date('2026-11-25T09:00:00Z') });
    expect(report.alerts).toHaveLength(5);
    expect(report.alerts.every((alert) => alert.team === 'payments' && alert.firstAction === 'Roll back.')).toBe(true);
    expect(ledger.queries.map((query) => [query.limit, query.beforeSeq])).toEqual([
      [2, undefined],
      [2, expect.any(Number)],
      [2, expect.any(Number)],
    ]);
    expect(ledger.queries.every((query) => query.since?.toISOString() === '2026-11-25T09:00:00.000Z' && query.types?.every((type) => type.startsWith('dev.steadyops.alert.')))).toBe(true);
  });

  it('stops at maxEvents, the newest first', async () => {
    const service = createAlertService({ ledger: await ledgerWith(5), clock, model: { current: () => model }, pageSize: 2, maxEvents: 3 });
    const report = await service.list({ since: new Date('2026-11-25T09:00:00Z') });
    expect(report.alerts.map((alert) => alert.fingerprint)).toEqual(['f4', 'f3', 'f2']);
  });

  it('routes without a model (every alert is then a gap) and rejects unknown names with one', async () => {
    const without = createAlertService({ ledger: await ledgerWith(1), clock, model: { current: () => undefined } });
    expect((await without.gaps({ since: new Date('2026-11-25T09:00:00Z') })).gaps).toEqual([expect.objectContaining({ alertname: 'CheckoutDown', missing: ['owner', 'runbook', 'firstAction'] })]);
    const service = createAlertService({ ledger: await ledgerWith(1), clock, model: { current: () => model } });
    await expect(service.list({ since: new Date(0), service: 'nope' })).rejects.toMatchObject({ code: 'SO_E_NOT_FOUND' });
  });
});
