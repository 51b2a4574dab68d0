import type { RangeSeries } from '../connectors/prometheus/prometheus-client.ts';
import { parseDuration } from '../lib/duration.ts';
import { type AlertSeverity, budgetRemaining, burnRate, burnWindows, promDuration } from './burn-rate.ts';
import { type CountedKind, type Slo, sloQueries } from './slo-queries.ts';
import { errorRatio } from './slo-status.ts';

const minute = 60_000;
const hour = 60 * minute;

/** The ranges a history covers, each with its default step (about 300 points). */
export const historyRanges = {
  '24h': { rangeMs: 24 * hour, stepMs: 5 * minute },
  '7d': { rangeMs: 7 * 24 * hour, stepMs: 30 * minute },
} as const;

export type HistoryRange = keyof typeof historyRanges;

/** More points than this is a chart nobody can read, and a slow Prometheus query. */
export const maxHistoryPoints = 2_000;

/** One burn-rate line: the error ratio over a page alert's long window, as a multiple of the sustainable rate. */
export interface HistoryWindowQueries {
  readonly window: string;
  readonly severity: AlertSeverity;
  readonly factor: number;
  readonly rangeMs: number;
  readonly counted: string;
  readonly total: string;
}

export interface SloHistoryQueries {
  readonly kind: CountedKind;
  /** the page alerts' long windows (1h and 6h for a 30-day period) */
  readonly windows: readonly HistoryWindowQueries[];
  /** counted and total over the whole period: budget remaining at each point */
  readonly period: { readonly counted: string; readonly total: string };
}

/** The range queries behind an SLO's burn-rate and error-budget charts. */
export function sloHistoryQueries(slo: Slo): SloHistoryQueries {
  const periodMs = parseDuration(slo.period);
  const queries = sloQueries(slo);
  const rangeOf = (rangeMs: number) => queries.ranges.find((range) => range.rangeMs === rangeMs);
  const windows = burnWindows(periodMs)
    .filter((window) => window.severity === 'page')
    .flatMap((window) => {
      const range = rangeOf(window.longMs);
      return range ? [{ window: promDuration(window.longMs), severity: window.severity, factor: window.factor, rangeMs: window.longMs, counted: range.counted, total: range.total }] : [];
    });
  const period = rangeOf(periodMs);
  return { kind: queries.kind, windows, period: { counted: period?.counted ?? '', total: period?.total ?? '' } };
}

/** The queries in the order the answers are handed to `sloHistory`: counted, total, window after window, then the period. */
export function sloHistoryExprs(queries: SloHistoryQueries): string[] {
  return [...queries.windows.flatMap((window) => [window.counted, window.total]), queries.period.counted, queries.period.total];
}

export interface SloHistory {
  readonly service: string;
  readonly slo: string;
  readonly environment: string;
  /** percent */
  readonly objective: number;
  readonly period: string;
  readonly range: string;
  readonly stepMs: number;
  readonly start: string;
  readonly end: string;
  /** unix seconds, one per step from start to end */
  readonly timestamps: readonly number[];
  /** burn rate per page window at each timestamp; null where Prometheus has no data */
  readonly burnRates: ReadonlyArray<{ readonly window: string; readonly severity: AlertSeverity; readonly factor: number; readonly values: ReadonlyArray<number | null> }>;
  /** fraction of the period's budget left at each timestamp (negative when overspent); null without data */
  readonly budgetRemaining: ReadonlyArray<number | null>;
}

export interface SloHistoryInput {
  readonly service: string;
  readonly environment: string;
  readonly slo: Slo;
  readonly range: string;
  readonly queries: SloHistoryQueries;
  /** the answers to `sloHistoryExprs(queries)`, in that order */
  readonly answers: readonly (readonly RangeSeries[])[];
  readonly start: Date;
  readonly end: Date;
  readonly stepMs: number;
}

/** Steps from start to end inclusive, as Prometheus evaluates a range query: unix seconds. */
export function historyTimestamps(start: Date, end: Date, stepMs: number): number[] {
  const timestamps: number[] = [];
  for (let at = start.getTime(); at <= end.getTime(); at += stepMs) timestamps.push(at / 1000);
  return timestamps;
}

/** The window a history covers: ends at `now` rounded down to a step, so repeated loads line up. */
export function historyWindow(now: Date, rangeMs: number, stepMs: number): { start: Date; end: Date } {
  const end = Math.floor(now.getTime() / stepMs) * stepMs;
  return { start: new Date(end - Math.floor(rangeMs / stepMs) * stepMs), end: new Date(end) };
}

/** Burn rates and budget remaining over time from the range answers. */
export function sloHistory(input: SloHistoryInput): SloHistory {
  const timestamps = historyTimestamps(input.start, input.end, input.stepMs);
  const summed = input.answers.map((series) => sumByTimestamp(series));
  const ratiosAt = (index: number) => timestamps.map((at) => errorRatio(input.queries.kind, summed[2 * index]?.get(key(at)), summed[2 * index + 1]?.get(key(at))));
  const { objective } = input.slo;
  const periodMs = parseDuration(input.slo.period);
  const burnRates = input.queries.windows.map((window, index) => ({
    window: window.window,
    severity: window.severity,
    factor: window.factor,
    values: ratiosAt(index).map((ratio) => (ratio === undefined ? null : burnRate(ratio, objective))),
  }));
  const budget = ratiosAt(input.queries.windows.length).map((ratio) => (ratio === undefined ? null : budgetRemaining(ratio, objective, periodMs).remainingFraction));
  return {
    service: input.service,
    slo: input.slo.name,
    environment: input.environment,
    objective,
    period: input.slo.period,
    range: input.range,
    stepMs: input.stepMs,
    start: input.start.toISOString(),
    end: input.end.toISOString(),
    timestamps,
    burnRates,
    budgetRemaining: budget,
  };
}

/** Milliseconds as the key: Prometheus answers timestamps as float seconds. */
function key(atSeconds: number): number {
  return Math.round(atSeconds * 1000);
}

/** The sum over every series at each timestamp; NaN samples count as none. */
function sumByTimestamp(series: readonly RangeSeries[]): Map<number, number> {
  const sums = new Map<number, number>();
  for (const entry of series) {
    for (const [at, value] of entry.values) {
      if (Number.isNaN(value)) continue;
      sums.set(key(at), (sums.get(key(at)) ?? 0) + value);
    }
  }
  return sums;
}
