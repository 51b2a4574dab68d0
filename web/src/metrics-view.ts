/** The Metrics page's logic, kept pure for unit tests: scope in the URL, figures and trends as text, evidence links. */
import { changesLink, typePrefix } from './changes-filter.ts';
import { formatPercent } from './format.ts';

export interface MetricsFilter {
  readonly service: string;
  readonly team: string;
  readonly period: string;
  readonly env: string;
}

export const metricsPeriods = ['7d', '30d', '90d'] as const;
export const defaultMetricsFilter: MetricsFilter = { service: '', team: '', period: '30d', env: 'production' };

const keys = Object.keys(defaultMetricsFilter) as (keyof MetricsFilter)[];

export function metricsFilterFromSearch(search: string): MetricsFilter {
  const params = new URLSearchParams(search);
  const filter: Record<string, string> = { ...defaultMetricsFilter };
  for (const key of keys) {
    const value = params.get(key)?.trim();
    if (value) filter[key] = value;
  }
  if (!(metricsPeriods as readonly string[]).includes(filter.period as string)) filter.period = defaultMetricsFilter.period;
  return filter as unknown as MetricsFilter;
}

export function metricsFilterToSearch(filter: MetricsFilter): string {
  const params = new URLSearchParams();
  for (const key of keys) if (filter[key] && filter[key] !== defaultMetricsFilter[key]) params.set(key, filter[key]);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export function metricsApiQuery(filter: MetricsFilter): string {
  const params = new URLSearchParams({ period: filter.period, env: filter.env });
  if (filter.service) params.set('service', filter.service);
  if (filter.team) params.set('team', filter.team);
  return `/api/v1/metrics?${params.toString()}`;
}

export interface MetricTrend {
  readonly previous: number | null;
  readonly change: number | null;
  readonly direction: 'up' | 'down' | 'flat' | 'unknown';
  readonly better: boolean | null;
}

export interface MetricFigure {
  readonly key: string;
  readonly name: string;
  readonly value: number | null;
  readonly unit: string;
  readonly sentence: string;
  readonly band?: { readonly level: string; readonly source: string };
  readonly trend: MetricTrend;
  readonly spread?: { readonly count: number; readonly mean: number | null; readonly median: number | null };
  readonly ratio?: { readonly numerator: number; readonly denominator: number };
  readonly evidence: readonly number[];
}

export interface MetricsReportView {
  readonly at: string;
  readonly scope: { readonly label: string; readonly services: readonly string[] | 'all'; readonly environment: string };
  readonly period: { readonly label: string; readonly start: string; readonly end: string; readonly previousStart: string };
  readonly deploys: { readonly count: number; readonly failed: number; readonly withoutLineage: number; readonly withoutLineageEvidence: readonly number[] };
  readonly incidents: { readonly count: number; readonly bySeverity: Readonly<Record<string, number>> };
  readonly metrics: readonly MetricFigure[];
}

/** A figure in its unit: `1.4/day`, `3.2 h`, `25%`; "not measured" when there is no value. */
export function formatMetric(value: number | null, unit: string): string {
  if (value === null) return 'not measured';
  const rounded = Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
  const short = rounded.replace(/\.?0+$/, '') || '0';
  if (unit === 'percent') return formatPercent(value / 100);
  if (unit === 'deploys/day') return `${short}/day`;
  if (unit === 'hours') return `${short} h`;
  if (unit === 'minutes') return `${short} min`;
  return `${short} ${unit}`;
}

/** `▲ from 1.2/day (better)`, `▼ from 40% (worse)`, `no earlier data`. */
export function trendText(trend: MetricTrend, unit: string): string {
  if (trend.direction === 'unknown' || trend.previous === null) return 'no data for the previous period';
  if (trend.direction === 'flat') return `unchanged from ${formatMetric(trend.previous, unit)}`;
  const arrow = trend.direction === 'up' ? '▲' : '▼';
  const verdict = trend.better === null ? '' : trend.better ? ' (better)' : ' (worse)';
  return `${arrow} from ${formatMetric(trend.previous, unit)}${verdict}`;
}

/** The kinds of ledger event each metric is computed from, for the Changes page's type filter. */
export function evidenceTypes(key: string): string {
  const deploys = typePrefix('deploy');
  const failures = [deploys, typePrefix('rollback'), typePrefix('incident')].join(',');
  const table: Record<string, string> = {
    deploymentFrequency: deploys,
    changeLeadTime: [deploys, typePrefix('git')].join(','),
    changeFailRate: failures,
    failedDeploymentRecoveryTime: failures,
    deploymentReworkRate: failures,
    mtta: typePrefix('incident'),
    mttr: typePrefix('incident'),
    sloBudgetBurned: typePrefix('incident'),
    followUpCompletion: [typePrefix('followup'), typePrefix('incident')].join(','),
  };
  return table[key] ?? '';
}

/** The Changes page over the metric's period and scope, showing the kinds of event it was computed from. */
export function evidenceLink(key: string, report: Pick<MetricsReportView, 'period'>, filter: MetricsFilter): string {
  return changesLink({ since: report.period.start, until: report.period.end, type: evidenceTypes(key), service: filter.service, team: filter.team });
}

/** Bar widths (0..1) for this period and the previous one, against the larger of the two. */
export function trendBars(value: number | null, previous: number | null): { current: number; previous: number } {
  const top = Math.max(Math.abs(value ?? 0), Math.abs(previous ?? 0));
  if (top === 0) return { current: 0, previous: 0 };
  return { current: Math.abs(value ?? 0) / top, previous: Math.abs(previous ?? 0) / top };
}

/** The page's path: /metrics is the server's Prometheus endpoint, so the dashboard page is /delivery. */
export const metricsPagePath = '/delivery';
