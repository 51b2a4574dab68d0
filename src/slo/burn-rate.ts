import { formatDuration } from '../lib/duration.ts';

export type AlertSeverity = 'page' | 'ticket';

/** One multiwindow burn-rate condition: both windows must burn faster than `factor`. */
export interface BurnWindow {
  severity: AlertSeverity;
  /** burn-rate multiple of the sustainable rate (1 = budget lasts exactly one period) */
  factor: number;
  longMs: number;
  shortMs: number;
}

const hour = 3_600_000;
const minute = 60_000;
const referencePeriodMs = 30 * 24 * hour;

/** The Google SRE workbook's multiwindow multi-burn-rate table, defined for a 30-day period. */
const referenceWindows: readonly BurnWindow[] = [
  { severity: 'page', factor: 14.4, longMs: hour, shortMs: 5 * minute },
  { severity: 'page', factor: 6, longMs: 6 * hour, shortMs: 30 * minute },
  { severity: 'ticket', factor: 3, longMs: 24 * hour, shortMs: 2 * hour },
  { severity: 'ticket', factor: 1, longMs: 72 * hour, shortMs: 6 * hour },
];

/** The error budget as a fraction of requests: 99.9 -> 0.001. */
export function errorBudget(objectivePercent: number): number {
  // Rounded so 100 - 99.9 reads 0.001, not 0.0010000000000000009, in generated rules.
  return Number(((100 - objectivePercent) / 100).toPrecision(12));
}

/**
 * The burn windows for an SLO period. Windows scale with the period relative to 30 days, so each
 * alert still fires on the same share of the budget (Sloth, SRE workbook); the factors stay put.
 * Windows are whole seconds, as Prometheus range selectors need.
 */
export function burnWindows(periodMs: number): BurnWindow[] {
  const scale = periodMs / referencePeriodMs;
  return referenceWindows.map((window) => ({
    ...window,
    longMs: scaleToSeconds(window.longMs, scale),
    shortMs: scaleToSeconds(window.shortMs, scale),
  }));
}

function scaleToSeconds(ms: number, scale: number): number {
  return Math.max(1_000, Math.round((ms * scale) / 1_000) * 1_000);
}

/** The error ratio above which a window burns faster than `factor`. */
export function burnThreshold(factor: number, objectivePercent: number): number {
  return Number((factor * errorBudget(objectivePercent)).toPrecision(12));
}

/** How fast the budget burns: 1 means it lasts exactly one period. */
export function burnRate(errorRatio: number, objectivePercent: number): number {
  return errorRatio / errorBudget(objectivePercent);
}

export interface BudgetStatus {
  /** share of the budget left; negative once overspent */
  remainingFraction: number;
  /** the whole budget expressed as time at total outage: period x budget */
  budgetMs: number;
  remainingMs: number;
}

/** Budget left after a period whose error ratio so far is `errorRatio`. */
export function budgetRemaining(errorRatio: number, objectivePercent: number, periodMs: number): BudgetStatus {
  const remainingFraction = 1 - burnRate(errorRatio, objectivePercent);
  const budgetMs = periodMs * errorBudget(objectivePercent);
  return { remainingFraction, budgetMs, remainingMs: remainingFraction * budgetMs };
}

/** "13m of 43m12s left" */
export function describeBudget(status: BudgetStatus): string {
  const left = status.remainingMs <= 0 ? '0s' : formatDuration(status.remainingMs);
  return `${left} of ${formatDuration(status.budgetMs)} left`;
}

/**
 * How long until the remaining budget is gone at a steady burn rate; Infinity when it does not burn,
 * 0 when nothing is left.
 */
export function timeToExhaustion(remainingFraction: number, rate: number, periodMs: number): number {
  if (remainingFraction <= 0) return 0;
  if (rate <= 0) return Number.POSITIVE_INFINITY;
  return (remainingFraction * periodMs) / rate;
}

/** Prometheus duration text for whole seconds: 3600000 -> "1h", 4200000 -> "1h10m". */
export function promDuration(ms: number): string {
  const units: Array<[string, number]> = [
    ['d', 24 * hour],
    ['h', hour],
    ['m', minute],
    ['s', 1_000],
  ];
  let rest = Math.round(ms / 1_000) * 1_000;
  let text = '';
  for (const [unit, size] of units) {
    const amount = Math.floor(rest / size);
    if (amount > 0) text += `${amount}${unit}`;
    rest -= amount * size;
  }
  return text || '0s';
}
