import { describe, expect, it } from 'vitest';
import type { SloHistory } from './api-types.ts';
import { formatBurn, historyIsEmpty, latestOf, latestValues, searchWithSloRange, sloHistoryPath, sloRangeFromSearch } from './slo-history-view.ts';

const history = (budget: Array<number | null>, oneHour: Array<number | null>): SloHistory => ({
  service: 'checkout-api',
  slo: 'availability',
  environment: 'production',
  range: '24h',
  timestamps: [100, 400, 700],
  burnRates: [{ window: '1h', factor: 14.4, values: oneHour }],
  budgetRemaining: budget,
});

describe('the SLO charts of the Service page', () => {
  it('keeps the range in the URL, next to other parameters', () => {
    expect(sloRangeFromSearch('')).toBe('24h');
    expect(sloRangeFromSearch('?slo-range=7d')).toBe('7d');
    expect(sloRangeFromSearch('?slo-range=3y')).toBe('24h');
    expect(searchWithSloRange('?tab=x', '7d')).toBe('?tab=x&slo-range=7d');
    expect(searchWithSloRange('?slo-range=7d', '24h')).toBe('');
  });

  it('asks the history route with the names escaped', () => {
    expect(sloHistoryPath('checkout api', 'a/b', '7d')).toBe('/api/v1/slos/checkout%20api/a%2Fb/history?range=7d');
    expect(sloHistoryPath('checkout-api', 'availability', '24h', 'staging')).toBe('/api/v1/slos/checkout-api/availability/history?range=24h&env=staging');
  });

  it('reads the latest value that has data, and says when there is none', () => {
    expect(latestOf([1, 2, 3], [0.5, 0.4, null])).toEqual({ value: 0.4, at: 2 });
    expect(latestOf([1, 2], [null, null])).toEqual({ value: null, at: null });
    expect(latestValues(history([0.9, 0.8, 0.7], [null, 2, null]))).toEqual([
      { label: 'Burn rate over 1h', factor: 14.4, value: 2, at: 400 },
      { label: 'Error budget left', value: 0.7, at: 700 },
    ]);
    expect(historyIsEmpty(history([null, null, null], [null, null, null]))).toBe(true);
    expect(historyIsEmpty(history([null, null, 0], [null, null, null]))).toBe(false);
  });

  it('says burn rates as multiples', () => {
    expect(formatBurn(14.4)).toBe('14x');
    expect(formatBurn(2)).toBe('2x');
    expect(formatBurn(2.25)).toBe('2.3x');
    expect(formatBurn(0.5)).toBe('0.5x');
    expect(formatBurn(0.456)).toBe('0.46x');
    expect(formatBurn(0)).toBe('0x');
  });
});
