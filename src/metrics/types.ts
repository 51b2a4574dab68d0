/** Which deploys and incidents the metrics cover. */
export interface MetricsScope {
  /** the services counted; undefined counts every service */
  readonly services?: readonly string[];
  /** how the scope was asked for, for the report's heading */
  readonly label: string;
  /** the environment whose deploys count (production by default) */
  readonly environment: string;
}

export interface MetricsPeriod {
  /** as asked, e.g. 30d */
  readonly label: string;
  readonly ms: number;
}

export type MetricKey =
  | 'deploymentFrequency'
  | 'changeLeadTime'
  | 'changeFailRate'
  | 'failedDeploymentRecoveryTime'
  | 'deploymentReworkRate'
  | 'mtta'
  | 'mttr'
  | 'sloBudgetBurned'
  | 'followUpCompletion';

export type MetricUnit = 'deploys/day' | 'hours' | 'minutes' | 'percent';

export type PerformanceLevel = 'elite' | 'high' | 'medium' | 'low';

export interface PerformanceBand {
  readonly level: PerformanceLevel;
  /** the published table the band comes from */
  readonly source: string;
}

export interface Trend {
  /** the same metric over the previous period of the same length; null when it had no data */
  readonly previous: number | null;
  readonly change: number | null;
  readonly direction: 'up' | 'down' | 'flat' | 'unknown';
  /** whether the change is an improvement; null when flat or unknown */
  readonly better: boolean | null;
}

/** Mean and median of a set of durations (in the metric's unit). */
export interface Spread {
  readonly count: number;
  readonly mean: number | null;
  readonly median: number | null;
}

export interface Metric {
  readonly key: MetricKey;
  readonly name: string;
  /** null when not measured: no data, or no event carries it */
  readonly value: number | null;
  readonly unit: MetricUnit;
  /** one plain sentence saying what the number means */
  readonly sentence: string;
  readonly band?: PerformanceBand;
  readonly trend: Trend;
  /** for durations: mean and median (the value is one of them, named in the sentence) */
  readonly spread?: Spread;
  /** numerator and denominator of a rate */
  readonly ratio?: { readonly numerator: number; readonly denominator: number };
  /** ledger seqs of the events the value was computed from, ascending */
  readonly evidence: readonly number[];
}

export interface MetricsReport {
  readonly at: string;
  readonly scope: { readonly label: string; readonly services: readonly string[] | 'all'; readonly environment: string };
  readonly period: { readonly label: string; readonly start: string; readonly end: string; readonly previousStart: string };
  readonly deploys: { readonly count: number; readonly failed: number; readonly withoutLineage: number; readonly withoutLineageEvidence: readonly number[] };
  readonly incidents: { readonly count: number; readonly bySeverity: Readonly<Record<string, number>> };
  /** when the ledger's first event was recorded; a previous period starting before it has no trend */
  readonly coverage?: { readonly recordedSince: string; readonly previousPeriodCovered: boolean };
  readonly metrics: readonly Metric[];
}
