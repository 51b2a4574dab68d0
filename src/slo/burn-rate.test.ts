import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  budgetRemaining,
  burnRate,
  burnThreshold,
  burnWindows,
  describeBudget,
  errorBudget,
  promDuration,
  timeToExhaustion,
} from './burn-rate.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

describe('errorBudget', () => {
  it.each([
    [99.9, 0.001],
    [99.99, 0.0001],
    [99, 0.01],
    [95, 0.05],
    [99.95, 0.0005],
  ])('objective %s%% leaves a budget of %s', (objective, budget) => {
    expect(errorBudget(objective)).toBe(budget);
  });
});

describe('burnWindows', () => {
  it('is the SRE workbook table for a 30-day period', () => {
    expect(burnWindows(30 * day)).toEqual([
      { severity: 'page', factor: 14.4, longMs: hour, shortMs: 5 * minute },
      { severity: 'page', factor: 6, longMs: 6 * hour, shortMs: 30 * minute },
      { severity: 'ticket', factor: 3, longMs: day, shortMs: 2 * hour },
      { severity: 'ticket', factor: 1, longMs: 3 * day, shortMs: 6 * hour },
    ]);
  });

  it.each([
    [7 * day, ['14m', '1m10s', '1h24m', '7m', '5h36m', '28m', '16h48m', '1h24m']],
    [28 * day, ['56m', '4m40s', '5h36m', '28m', '22h24m', '1h52m', '2d19h12m', '5h36m']],
    [90 * day, ['3h', '15m', '18h', '1h30m', '3d', '6h', '9d', '18h']],
  ])('scales windows with a period of %s ms', (period, expected) => {
    expect(burnWindows(period).flatMap((window) => [promDuration(window.longMs), promDuration(window.shortMs)])).toEqual(expected);
  });

  it('keeps the share of budget each alert spends whatever the period (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), (days) => {
        const period = days * day;
        const shares = burnWindows(period).map((window) => (window.factor * window.longMs) / period);
        // 2% in the 1h window, 5% in 6h, 10% in 1d and 3d, within one second of rounding
        [0.02, 0.05, 0.1, 0.1].forEach((share, index) => {
          expect(Math.abs((shares[index] ?? 0) - share)).toBeLessThanOrEqual((14.4 * 1_000) / period);
        });
        for (const window of burnWindows(period)) expect(window.shortMs).toBeLessThanOrEqual(window.longMs);
      }),
    );
  });
});

describe('burnThreshold and burnRate', () => {
  it.each([
    [14.4, 99.9, 0.0144],
    [6, 99.9, 0.006],
    [3, 99.99, 0.0003],
    [1, 99, 0.01],
  ])('factor %s at %s%% is an error ratio of %s', (factor, objective, threshold) => {
    expect(burnThreshold(factor, objective)).toBe(threshold);
    expect(burnRate(threshold, objective)).toBeCloseTo(factor, 9);
  });
});

describe('budgetRemaining', () => {
  it.each([
    { ratio: 0, objective: 99.9, fraction: 1, text: '43m12s of 43m12s left' },
    { ratio: 0.0007, objective: 99.9, fraction: 0.3, text: '12m58s of 43m12s left' },
    { ratio: 0.001, objective: 99.9, fraction: 0, text: '0s of 43m12s left' },
    { ratio: 0.002, objective: 99.9, fraction: -1, text: '0s of 43m12s left' },
    { ratio: 0.005, objective: 99, fraction: 0.5, text: '3h36m of 7h12m left' },
  ])('error ratio $ratio at $objective% leaves $fraction of the budget', ({ ratio, objective, fraction, text }) => {
    const status = budgetRemaining(ratio, objective, 30 * day);
    expect(status.remainingFraction).toBeCloseTo(fraction, 9);
    expect(describeBudget(status)).toBe(text);
  });
});

describe('timeToExhaustion', () => {
  it.each([
    { remaining: 1, rate: 14.4, period: 30 * day, ms: 50 * hour },
    { remaining: 1, rate: 1, period: 30 * day, ms: 30 * day },
    { remaining: 0.5, rate: 6, period: 30 * day, ms: 60 * hour },
    { remaining: 0, rate: 6, period: 30 * day, ms: 0 },
    { remaining: -0.2, rate: 6, period: 30 * day, ms: 0 },
    { remaining: 0.5, rate: 0, period: 30 * day, ms: Number.POSITIVE_INFINITY },
  ])('$remaining of the budget at $rate x lasts $ms ms', ({ remaining, rate, period, ms }) => {
    expect(timeToExhaustion(remaining, rate, period)).toBeCloseTo(ms, 3);
  });

  it('spends exactly the remaining budget time when burning at the computed rate (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1_000, noNaN: true }),
        fc.integer({ min: 1, max: 365 }),
        (remaining, rate, days) => {
          const period = days * day;
          expect(timeToExhaustion(remaining, rate, period) * rate).toBeCloseTo(remaining * period, 0);
        },
      ),
    );
  });
});

describe('promDuration', () => {
  it.each([
    [5 * minute, '5m'],
    [hour + 10 * minute, '1h10m'],
    [3 * day, '3d'],
    [70_000, '1m10s'],
    [0, '0s'],
  ])('%s ms is %s', (ms, text) => {
    expect(promDuration(ms)).toBe(text);
  });
});
