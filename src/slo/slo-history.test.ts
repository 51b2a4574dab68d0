import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { historyTimestamps, historyWindow, sloHistory, sloHistoryExprs, sloHistoryQueries } from './slo-history.ts';
import type { Slo } from './slo-queries.ts';

const slo = (kind: 'errors' | 'good', period = '30d'): Slo =>
  ({
    name: 'availability',
    objective: 99,
    period,
    sli: { ratio: { [kind]: `sum(rate(${kind}[{{.window}}]))`, total: 'sum(rate(total[{{.window}}]))' } },
  }) as unknown as Slo;

describe('sloHistoryQueries', () => {
  it("asks the page alerts' long windows and the period, in that order", () => {
    const queries = sloHistoryQueries(slo('errors'));
    expect(queries.windows.map((window) => [window.window, window.factor])).toEqual([
      ['1h', 14.4],
      ['6h', 6],
    ]);
    expect(sloHistoryExprs(queries)).toEqual([
      'sum(rate(errors[1h]))',
      'sum(rate(total[1h]))',
      'sum(rate(errors[6h]))',
      'sum(rate(total[6h]))',
      'sum(rate(errors[30d]))',
      'sum(rate(total[30d]))',
    ]);
  });

  it('scales the windows with the period', () => {
    expect(sloHistoryQueries(slo('errors', '7d')).windows.map((window) => window.window)).toEqual(['14m', '1h24m']);
  });
});

describe('historyWindow', () => {
  it('ends on the last whole step before now and spans the range', () => {
    const { start, end } = historyWindow(new Date('2026-11-26T09:07:30Z'), 3_600_000, 300_000);
    expect(end.toISOString()).toBe('2026-11-26T09:05:00.000Z');
    expect(start.toISOString()).toBe('2026-11-26T08:05:00.000Z');
    expect(historyTimestamps(start, end, 300_000)).toHaveLength(13);
  });

  it('always gives range ÷ step + 1 points, ending at or before now', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4e12 }), fc.constantFrom(60_000, 300_000, 1_800_000), fc.integer({ min: 1, max: 500 }), (nowMs, stepMs, steps) => {
        const { start, end } = historyWindow(new Date(nowMs), steps * stepMs, stepMs);
        expect(end.getTime()).toBeLessThanOrEqual(nowMs);
        expect(nowMs - end.getTime()).toBeLessThan(stepMs);
        expect(historyTimestamps(start, end, stepMs)).toHaveLength(steps + 1);
      }),
    );
  });
});

describe('sloHistory', () => {
  const start = new Date('2026-11-26T08:00:00Z');
  const end = new Date('2026-11-26T08:10:00Z');
  const t0 = start.getTime() / 1000;
  const series = (...values: Array<[number, number]>) => [{ labels: {}, values }];

  it('sums series per timestamp, turns ratios into burn rates and budget left, and says null where data is missing', () => {
    const queries = sloHistoryQueries(slo('errors'));
    const answers = [
      // 1h: errors in two series at t0 (0.5 + 0.5 of 100 = 1%), none at all at t0+5m (nothing failed), no total at t0+10m
      [...series([t0, 0.5]), ...series([t0, 0.5])],
      series([t0, 100], [t0 + 300, 100]),
      // 6h: 2% at every point
      series([t0, 2], [t0 + 300, 2], [t0 + 600, 2]),
      series([t0, 100], [t0 + 300, 100], [t0 + 600, 100]),
      // period: 0.5%, then a NaN error series (read as nothing failed, as a missing one is)
      series([t0, 0.5], [t0 + 300, Number.NaN]),
      series([t0, 100], [t0 + 300, 100]),
    ];
    const history = sloHistory({ service: 'checkout-api', environment: 'production', slo: slo('errors'), range: '24h', queries, answers, start, end, stepMs: 300_000 });
    expect(history.timestamps).toEqual([t0, t0 + 300, t0 + 600]);
    expect(history.burnRates.map((line) => line.values.map((value) => (value === null ? null : Number(value.toFixed(6)))))).toEqual([
      [1, 0, null],
      [2, 2, 2],
    ]);
    expect(history.budgetRemaining.map((value) => (value === null ? null : Number(value.toFixed(6))))).toEqual([0.5, 1, null]);
  });

  it('reads a good-events SLI as 1 - good/total, and no good series as no data', () => {
    const queries = sloHistoryQueries(slo('good'));
    const answers = [series([t0, 97]), series([t0, 100]), [], series([t0, 100]), series([t0, 100]), series([t0, 100])];
    const history = sloHistory({ service: 's', environment: 'e', slo: slo('good'), range: '24h', queries, answers, start, end: start, stepMs: 300_000 });
    expect(history.burnRates[0]!.values[0]).toBeCloseTo(3, 6);
    expect(history.burnRates[1]!.values).toEqual([null]);
    expect(history.budgetRemaining).toEqual([1]);
  });
});
