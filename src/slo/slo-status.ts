import { formatDuration, parseDuration } from '../lib/duration.ts';
import { type AlertSeverity, type BurnWindow, budgetRemaining, burnRate, burnThreshold, burnWindows, promDuration, timeToExhaustion } from './burn-rate.ts';
import type { CountedKind, Slo, SloQueries } from './slo-queries.ts';

/** One burn window of an SLO's multiwindow alerts, with the burn rate measured over each of its windows. */
export interface BurnRateStatus {
  /** "1h/5m": long and short window */
  readonly window: string;
  readonly severity: AlertSeverity;
  readonly factor: number;
  readonly longMs: number;
  readonly shortMs: number;
  /** burn rate over the long window (error ratio ÷ budget); undefined without data */
  readonly long: number | undefined;
  readonly short: number | undefined;
  /** both windows burn faster than `factor`: this condition of the alert holds */
  readonly firing: boolean;
}

export interface SloStatus {
  readonly service: string;
  readonly slo: string;
  readonly environment: string;
  /** percent, e.g. 99.9 */
  readonly objective: number;
  /** as written in the model, e.g. "30d" */
  readonly period: string;
  readonly periodMs: number;
  /** share of good events over the period (0.9995); undefined without data */
  readonly sli: number | undefined;
  /** share of failed events over the period: 1 - sli */
  readonly errorRatio: number | undefined;
  /** fraction of the period's error budget left, negative when overspent; undefined without data */
  readonly budgetRemaining: number | undefined;
  readonly budgetRemainingMs: number | undefined;
  /** the whole budget as time at total outage: (1 - objective/100) x period */
  readonly budgetTotalMs: number;
  readonly burnRates: readonly BurnRateStatus[];
  /** the burn rate the exhaustion date is projected from: over the slower page alert's long window (6h at 30d) */
  readonly currentBurn: { readonly window: string; readonly rate: number | undefined };
  /** when the budget runs out at the current burn; absent when it never does, is already spent, or is unknown */
  readonly exhaustedAt?: string;
  readonly firing: AlertSeverity | undefined;
  readonly noData: boolean;
  /** plain sentences for a new on-call engineer */
  readonly summary: string;
}

interface Valued {
  readonly value: number;
}

export interface SloStatusInput {
  readonly service: string;
  readonly environment: string;
  readonly slo: Slo;
  readonly queries: SloQueries;
  /** the answers to `sloExprs(queries)`, in that order */
  readonly answers: readonly (readonly Valued[])[];
  readonly now: Date;
}

/** The status of one SLO from its query answers: budget left, burn rates, alerts, and what they mean. */
export function sloStatus(input: SloStatusInput): SloStatus {
  const { slo } = input;
  const periodMs = parseDuration(slo.period);
  const ratios = errorRatios(input);
  const errorRatio = ratios.get(periodMs);
  const budget = budgetRemaining(errorRatio ?? 0, slo.objective, periodMs);
  const burnRates = burnWindows(periodMs).map((window) => burnRateStatus(window, ratios, slo.objective));
  const firing = firingSeverity(burnRates);
  const projection = projectionWindow(burnRates);
  const currentBurn = { window: promDuration(projection.longMs), rate: projection.long };
  const noData = errorRatio === undefined;
  const exhaustsInMs = noData || currentBurn.rate === undefined ? undefined : timeToExhaustion(budget.remainingFraction, currentBurn.rate, periodMs);
  const exhaustedAt = exhaustsInMs !== undefined && exhaustsInMs > 0 ? futureDate(input.now, exhaustsInMs) : undefined;
  const status: Omit<SloStatus, 'summary'> = {
    service: input.service,
    slo: slo.name,
    environment: input.environment,
    objective: slo.objective,
    period: slo.period,
    periodMs,
    sli: noData ? undefined : 1 - errorRatio,
    errorRatio,
    budgetRemaining: noData ? undefined : budget.remainingFraction,
    budgetRemainingMs: noData ? undefined : budget.remainingMs,
    budgetTotalMs: budget.budgetMs,
    burnRates,
    currentBurn,
    ...(exhaustedAt !== undefined ? { exhaustedAt } : {}),
    firing,
    noData,
  };
  return { ...status, summary: describeSloStatus(status) };
}

/** Error ratio per range; undefined where the total is missing or zero (no data, never a perfect SLI). */
function errorRatios(input: SloStatusInput): Map<number, number | undefined> {
  const ratios = new Map<number, number | undefined>();
  input.queries.ranges.forEach((range, index) => {
    const counted = sum(input.answers[2 * index]);
    const total = sum(input.answers[2 * index + 1]);
    ratios.set(range.rangeMs, errorRatio(input.queries.kind, counted, total));
  });
  return ratios;
}

/**
 * Errors with no series while the total has some mean nothing failed yet (a `sum` over no 5xx series
 * is empty, not 0). A missing `good` series cannot be read that way, so it is no data.
 */
export function errorRatio(kind: CountedKind, counted: number | undefined, total: number | undefined): number | undefined {
  if (total === undefined || !(total > 0)) return undefined;
  if (kind === 'errors') return Math.max(0, (counted ?? 0) / total);
  if (counted === undefined) return undefined;
  return Math.max(0, 1 - counted / total);
}

/** Sum of the series' values; undefined when there is none (NaN values count as none). */
function sum(samples: readonly Valued[] | undefined): number | undefined {
  const values = (samples ?? []).map((sample) => sample.value).filter((value) => !Number.isNaN(value));
  return values.length === 0 ? undefined : values.reduce((total, value) => total + value, 0);
}

function burnRateStatus(window: BurnWindow, ratios: Map<number, number | undefined>, objective: number): BurnRateStatus {
  const longRatio = ratios.get(window.longMs);
  const shortRatio = ratios.get(window.shortMs);
  const threshold = burnThreshold(window.factor, objective);
  return {
    window: `${promDuration(window.longMs)}/${promDuration(window.shortMs)}`,
    severity: window.severity,
    factor: window.factor,
    longMs: window.longMs,
    shortMs: window.shortMs,
    long: longRatio === undefined ? undefined : burnRate(longRatio, objective),
    short: shortRatio === undefined ? undefined : burnRate(shortRatio, objective),
    // the same comparison as the generated alerting rule: both error ratios above factor x budget
    firing: longRatio !== undefined && shortRatio !== undefined && longRatio > threshold && shortRatio > threshold,
  };
}

function firingSeverity(burnRates: readonly BurnRateStatus[]): AlertSeverity | undefined {
  if (burnRates.some((rate) => rate.firing && rate.severity === 'page')) return 'page';
  if (burnRates.some((rate) => rate.firing && rate.severity === 'ticket')) return 'ticket';
  return undefined;
}

/**
 * The window the exhaustion date is projected from: the slower page alert's long window (6h for a
 * 30-day period). Recent enough to reflect the current incident, long enough not to swing on one blip.
 */
function projectionWindow(burnRates: readonly BurnRateStatus[]): BurnRateStatus {
  return burnRates.filter((rate) => rate.severity === 'page').at(-1) ?? (burnRates[0] as BurnRateStatus);
}

const latestDateMs = 8.64e15;

function futureDate(now: Date, inMs: number): string | undefined {
  const at = now.getTime() + inMs;
  return Number.isFinite(at) && at <= latestDateMs ? new Date(at).toISOString() : undefined;
}

export function describeSloStatus(status: Omit<SloStatus, 'summary'>): string {
  const name = `${status.service} ${status.slo}`;
  if (status.noData || status.budgetRemaining === undefined || status.sli === undefined) {
    return (
      `${name} has no data in ${status.environment}: Prometheus returned no samples (or a total of 0) for its SLI over the last ${status.period}, ` +
      'so its SLI and error budget are unknown.'
    );
  }
  return [
    `${name} is at ${formatPercent(status.sli, 3)} against its ${status.objective}% objective over the last ${status.period}; ${describeBudgetLeft(status)}.`,
    describeBurn(status),
    describeAlert(status),
  ].join(' ');
}

function describeBudgetLeft(status: Omit<SloStatus, 'summary'>): string {
  const remaining = status.budgetRemaining ?? 0;
  const remainingMs = status.budgetRemainingMs ?? 0;
  const total = formatDuration(status.budgetTotalMs);
  if (remaining >= 0) return `${formatPercent(remaining, 1)} of its error budget is left (${formatDuration(remainingMs)} of ${total})`;
  return `its error budget is overspent by ${formatPercent(-remaining, 1)} (${formatDuration(-remainingMs)} more than the ${total} it had)`;
}

function describeBurn(status: Omit<SloStatus, 'summary'>): string {
  const { rate, window } = status.currentBurn;
  const over = `over the last ${window}`;
  if (rate === undefined) return `There is no data ${over} to tell how fast it burns its error budget now.`;
  const spent = (status.budgetRemaining ?? 0) <= 0;
  if (rate <= 0) return spent ? `It spent no error budget ${over}, but the budget is already spent.` : `It spent no error budget ${over}, so at the current burn the budget never runs out.`;
  const pace = rate > 1 ? `${formatRate(rate)} faster than sustainable` : `at ${formatRate(rate)} the sustainable rate`;
  if (spent) return `It is burning its error budget ${pace} ${over}, and the budget is already spent.`;
  const runsOut = status.exhaustedAt === undefined ? 'at this rate the budget never runs out' : `at this rate the budget runs out on ${formatWhen(status.exhaustedAt)}`;
  return `It is burning its error budget ${pace} ${over}; ${runsOut}.`;
}

function describeAlert(status: Omit<SloStatus, 'summary'>): string {
  const condition = status.burnRates.find((rate) => rate.firing && rate.severity === status.firing);
  if (status.firing === undefined || condition === undefined) return 'No burn-rate alert would be firing.';
  const [long, short] = [condition.long ?? 0, condition.short ?? 0].map(formatRate);
  return (
    `The ${status.firing} alert would be firing: it burns ${long} over the last ${promDuration(condition.longMs)} ` +
    `and ${short} over the last ${promDuration(condition.shortMs)}, both above ${condition.factor}x.`
  );
}

/** 0.99953 -> "99.953%"; trailing zeros dropped. */
export function formatPercent(fraction: number, decimals: number): string {
  return `${Number((fraction * 100).toFixed(decimals))}%`;
}

/** 16.24 -> "16.2x", 2.04 -> "2x", 0.5 -> "0.5x", 0.043 -> "0.043x"; one decimal so 14.1 never reads as the 14.4 factor */
export function formatRate(rate: number): string {
  if (rate >= 100) return `${Math.round(rate)}x`;
  return `${Number(rate >= 1 ? rate.toFixed(1) : rate.toPrecision(2))}x`;
}

/** "2026-11-27 14:00 UTC" */
export function formatWhen(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}
