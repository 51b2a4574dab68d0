/** The Service page's SLO charts, kept pure for unit tests: range in the URL, the API path, the latest values. */
import type { SloHistory } from './api-types.ts';

export const sloHistoryRanges = ['24h', '7d'] as const;
export type SloHistoryRange = (typeof sloHistoryRanges)[number];

/** `?slo-range=7d` on the Service page; 24h otherwise. */
export function sloRangeFromSearch(search: string): SloHistoryRange {
  const value = new URLSearchParams(search).get('slo-range');
  return value === '7d' ? '7d' : '24h';
}

/** The Service page's query string with another SLO chart range, other parameters kept. */
export function searchWithSloRange(search: string, range: SloHistoryRange): string {
  const params = new URLSearchParams(search);
  if (range === '24h') params.delete('slo-range');
  else params.set('slo-range', range);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export function sloHistoryPath(service: string, slo: string, range: SloHistoryRange, environment?: string): string {
  const params = new URLSearchParams({ range });
  if (environment) params.set('env', environment);
  return `/api/v1/slos/${encodeURIComponent(service)}/${encodeURIComponent(slo)}/history?${params.toString()}`;
}

export interface LatestValue {
  readonly label: string;
  /** null when the whole range has no data */
  readonly value: number | null;
  /** unix seconds of that value */
  readonly at: number | null;
  /** the burn rate at which this window's page alert fires, for burn-rate lines */
  readonly factor?: number;
}

/** The last non-null value of a series and when it was measured. */
export function latestOf(timestamps: readonly number[], values: ReadonlyArray<number | null>): { value: number | null; at: number | null } {
  for (let index = values.length - 1; index >= 0; index--) {
    const value = values[index];
    if (value !== null && value !== undefined) return { value, at: timestamps[index] ?? null };
  }
  return { value: null, at: null };
}

/** The table beside the charts (and for screen readers): each line's latest value. */
export function latestValues(history: SloHistory): LatestValue[] {
  return [
    ...history.burnRates.map((line) => ({ label: `Burn rate over ${line.window}`, factor: line.factor, ...latestOf(history.timestamps, line.values) })),
    { label: 'Error budget left', ...latestOf(history.timestamps, history.budgetRemaining) },
  ];
}

/** True when Prometheus answered no sample at all for the range. */
export function historyIsEmpty(history: SloHistory): boolean {
  return latestValues(history).every((entry) => entry.value === null);
}

/** `3.2x`, `0.45x`, `12x`: burn rates read as multiples of the sustainable rate. */
export function formatBurn(rate: number): string {
  if (rate >= 10) return `${Math.round(rate)}x`;
  if (rate >= 1) return `${rate.toFixed(1).replace(/\.0$/, '')}x`;
  return `${rate.toFixed(2).replace(/0$/, '').replace(/\.0?$/, '')}x`;
}
