import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { errorBudget } from './burn-rate.ts';
import { sloExprs, sloQueries, type Slo } from './slo-queries.ts';
import { errorRatio, formatPercent, formatRate, sloStatus } from './slo-status.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;
const now = new Date('2026-11-26T09:00:00Z');

const availability: Slo = {
  name: 'availability',
  objective: 99.9,
  period: '30d',
  sli: { ratio: { errors: 'sum(rate(errors[{{.window}}]))', total: 'sum(rate(total[{{.window}}]))' } },
};

type Counts = { counted?: number; total?: number };

/** Answers in sloExprs order: each range's counted and total, from a function of the range. */
function statusOf(slo: Slo, counts: (rangeMs: number) => Counts) {
  const queries = sloQueries(slo);
  const answers = queries.ranges.flatMap((range) => {
    const { counted, total } = counts(range.rangeMs);
    return [counted === undefined ? [] : [{ value: counted }], total === undefined ? [] : [{ value: total }]];
  });
  expect(answers).toHaveLength(sloExprs(queries).length);
  return sloStatus({ service: 'checkout-api', environment: 'production', slo, queries, answers, now });
}

/** A steady error ratio everywhere at 100 req/s. */
const steady = (ratio: number) => () => ({ counted: 100 * ratio, total: 100 });

describe('sloStatus', () => {
  it('reads half the budget left at 0.05% errors against 99.9%, with the time and the date it runs out', () => {
    const status = statusOf(availability, steady(0.0005));
    expect(status.noData).toBe(false);
    expect(status.sli).toBeCloseTo(0.9995, 10);
    expect(status.budgetRemaining).toBeCloseTo(0.5, 10);
    expect(status.budgetTotalMs).toBeCloseTo(43.2 * minute, 3);
    expect(status.budgetRemainingMs).toBeCloseTo(21.6 * minute, 3);
    expect(status.burnRates.map((rate) => [rate.window, rate.long, rate.short, rate.firing])).toEqual([
      ['1h/5m', expect.closeTo(0.5, 10), expect.closeTo(0.5, 10), false],
      ['6h/30m', expect.closeTo(0.5, 10), expect.closeTo(0.5, 10), false],
      ['1d/2h', expect.closeTo(0.5, 10), expect.closeTo(0.5, 10), false],
      ['3d/6h', expect.closeTo(0.5, 10), expect.closeTo(0.5, 10), false],
    ]);
    expect(status.currentBurn).toEqual({ window: '6h', rate: expect.closeTo(0.5, 10) });
    // 0.5 of the budget at half the sustainable rate lasts one whole period
    expect(status.exhaustedAt).toBe(new Date(now.getTime() + 30 * day).toISOString());
    expect(status.firing).toBeUndefined();
    expect(status.summary).toBe(
      'checkout-api availability is at 99.95% against its 99.9% objective over the last 30d; 50% of its error budget is left (21m36s of 43m12s). ' +
        'It is burning its error budget at 0.5x the sustainable rate over the last 6h; at this rate the budget runs out on 2026-12-26 09:00 UTC. ' +
        'No burn-rate alert would be firing.',
    );
  });

  it.each<[string, (rangeMs: number) => Counts, 'page' | 'ticket' | undefined]>([
    ['a fast burn in the last hour pages', (ms) => (ms <= hour ? { counted: 2, total: 100 } : { counted: 0, total: 100 }), 'page'],
    ['a burn over 1h without the 5m window does not', (ms) => (ms === hour ? { counted: 2, total: 100 } : { counted: 0, total: 100 }), undefined],
    ['6x over 6h and 30m pages', (ms) => (ms <= 6 * hour ? { counted: 0.7, total: 100 } : { counted: 0, total: 100 }), 'page'],
    ['3x over 1d and 2h is a ticket', (ms) => (ms <= day ? { counted: 0.35, total: 100 } : { counted: 0, total: 100 }), 'ticket'],
    ['just at the threshold does not fire (strictly above)', (ms) => (ms <= hour ? { counted: 1.44, total: 100 } : { counted: 0, total: 100 }), undefined],
    ['no data in the short window does not fire', (ms) => (ms === 5 * minute ? {} : { counted: 2, total: 100 }), 'page'],
    ['no data anywhere never fires', () => ({}), undefined],
  ])('%s', (_name, counts, firing) => {
    expect(statusOf(availability, counts).firing).toBe(firing);
  });

  it('says so when the budget is overspent, and gives no date', () => {
    const status = statusOf(availability, (ms) => (ms === 30 * day ? { counted: 0.25, total: 100 } : { counted: 2, total: 100 }));
    expect(status.budgetRemaining).toBeCloseTo(-1.5, 10);
    expect(status.budgetRemainingMs).toBeCloseTo(-1.5 * 43.2 * minute, 3);
    expect(status.exhaustedAt).toBeUndefined();
    expect(status.summary).toContain('its error budget is overspent by 150% (1h4m more than the 43m12s it had)');
    expect(status.summary).toContain('It is burning its error budget 20x faster than sustainable over the last 6h, and the budget is already spent.');
    expect(status.summary).toMatch(/The page alert would be firing: it burns 20x over the last 1h and 20x over the last 5m, both above 14\.4x\.$/);
  });

  it('never runs out when nothing fails now', () => {
    const status = statusOf(availability, (ms) => (ms === 30 * day ? { counted: 0.05, total: 100 } : { total: 100 }));
    expect(status.currentBurn.rate).toBe(0);
    expect(status.exhaustedAt).toBeUndefined();
    expect(status.summary).toContain('It spent no error budget over the last 6h, so at the current burn the budget never runs out.');
  });

  it.each<[string, Counts]>([
    ['no total series', { counted: 1 }],
    ['a total of 0', { counted: 0, total: 0 }],
    ['a NaN total', { counted: 0, total: Number.NaN }],
  ])('is "no data" with %s, never a perfect SLI', (_name, counts) => {
    const status = statusOf(availability, () => counts);
    expect(status).toMatchObject({ noData: true, sli: undefined, budgetRemaining: undefined, budgetRemainingMs: undefined, firing: undefined });
    expect(status.exhaustedAt).toBeUndefined();
    expect(status.summary).toBe(
      'checkout-api availability has no data in production: Prometheus returned no samples (or a total of 0) for its SLI over the last 30d, so its SLI and error budget are unknown.',
    );
  });

  it('says when the current burn cannot be told', () => {
    const status = statusOf(availability, (ms) => (ms === 30 * day ? { counted: 0.05, total: 100 } : {}));
    expect(status.noData).toBe(false);
    expect(status.summary).toContain('There is no data over the last 6h to tell how fast it burns its error budget now.');
  });

  it('sums several series of one query', () => {
    const queries = sloQueries(availability);
    const answers = sloExprs(queries).map((_expr, index) => (index % 2 === 0 ? [{ value: 0.03 }, { value: 0.02 }] : [{ value: 60 }, { value: 40 }]));
    expect(sloStatus({ service: 's', environment: 'e', slo: availability, queries, answers, now }).errorRatio).toBeCloseTo(0.0005, 10);
  });
});

describe('errorRatio', () => {
  it.each<[string, 'errors' | 'good', number | undefined, number | undefined, number | undefined]>([
    ['errors over total', 'errors', 1, 100, 0.01],
    ['no errors series yet means nothing failed', 'errors', undefined, 100, 0],
    ['1 - good over total', 'good', 99, 100, 0.01],
    ['no good series is no data', 'good', undefined, 100, undefined],
    ['good above total (extrapolation) is clamped to 0', 'good', 100.2, 100, 0],
    ['no total is no data', 'errors', 0, undefined, undefined],
    ['a zero total is no data', 'errors', 0, 0, undefined],
  ])('%s', (_name, kind, counted, total, expected) => {
    const ratio = errorRatio(kind, counted, total);
    if (expected === undefined) expect(ratio).toBeUndefined();
    else expect(ratio).toBeCloseTo(expected, 12);
  });
});

describe('properties', () => {
  const objective = fc.constantFrom(90, 95, 99, 99.5, 99.9, 99.95, 99.99);
  const period = fc.constantFrom('1h', '7d', '28d', '30d', '90d');
  const ratio = fc.double({ min: 0, max: 1, noNaN: true });

  it('budget remaining is 1 - error ratio ÷ budget, and its time is that share of (1 - objective) x period', () => {
    fc.assert(
      fc.property(objective, period, ratio, (target, window, errors) => {
        const status = statusOf({ ...availability, objective: target, period: window }, steady(errors));
        const expected = 1 - (status.errorRatio ?? 0) / errorBudget(target);
        expect(status.budgetRemaining).toBeCloseTo(expected, 6);
        expect(status.budgetRemainingMs ?? 0).toBeCloseTo(expected * status.budgetTotalMs, 0);
        expect(status.budgetTotalMs).toBeCloseTo(status.periodMs * (1 - target / 100), 0);
      }),
    );
  });

  it('never claims a 100% SLI or a full budget without data', () => {
    const missing = fc.constantFrom<Counts>({}, { counted: 0 }, { counted: 0, total: 0 }, { total: 0 }, { counted: 5, total: Number.NaN });
    fc.assert(
      fc.property(objective, period, missing, (target, window, counts) => {
        const status = statusOf({ ...availability, objective: target, period: window }, () => counts);
        expect(status.noData).toBe(true);
        expect(status.sli).toBeUndefined();
        expect(status.budgetRemaining).toBeUndefined();
        expect(status.summary).not.toMatch(/100%/);
        expect(status.summary).toMatch(/no data/);
      }),
    );
  });

  it('fires exactly when both windows of some condition burn faster than its factor', () => {
    const perRange = fc.dictionary(fc.constantFrom('5m', '30m', '1h', '2h', '6h', '1d', '3d'), fc.double({ min: 0, max: 0.05, noNaN: true }));
    const ranges: Record<string, number> = { '5m': 5 * minute, '30m': 30 * minute, '1h': hour, '2h': 2 * hour, '6h': 6 * hour, '1d': day, '3d': 3 * day };
    fc.assert(
      fc.property(perRange, (ratios) => {
        const byMs = new Map(Object.entries(ratios).map(([key, value]) => [ranges[key], value]));
        const status = statusOf(availability, (ms) => ({ counted: 100 * (byMs.get(ms) ?? 0), total: 100 }));
        for (const rate of status.burnRates) expect(rate.firing).toBe((rate.long ?? 0) > rate.factor && (rate.short ?? 0) > rate.factor);
        const expected = status.burnRates.some((rate) => rate.firing && rate.severity === 'page') ? 'page' : status.burnRates.some((rate) => rate.firing) ? 'ticket' : undefined;
        expect(status.firing).toBe(expected);
      }),
    );
  });

  it('runs out sooner the faster it burns', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.00001, max: 0.0004, noNaN: true }), fc.double({ min: 1.01, max: 10, noNaN: true }), (recent, faster) => {
        const at = (burn: number) => statusOf(availability, (ms) => (ms === 30 * day ? { counted: 0.05, total: 100 } : { counted: 100 * burn, total: 100 })).exhaustedAt;
        expect(Date.parse(at(recent * faster) ?? '')).toBeLessThan(Date.parse(at(recent) ?? ''));
      }),
    );
  });
});

describe('formatting', () => {
  it.each([
    [16.24, '16.2x'],
    [14.1, '14.1x'],
    [250.4, '250x'],
    [2.04, '2x'],
    [0.5, '0.5x'],
    [0.043, '0.043x'],
  ])('formatRate(%s) = %s', (rate, text) => expect(formatRate(rate)).toBe(text));

  it.each([
    [0.9995, 3, '99.95%'],
    [0.5, 1, '50%'],
    [-1.5, 1, '-150%'],
  ])('formatPercent(%s, %s) = %s', (fraction, decimals, text) => expect(formatPercent(fraction, decimals)).toBe(text));
});
