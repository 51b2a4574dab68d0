import { changeFailRateBand, deploymentFrequencyBand, leadTimeBand, recoveryTimeBand } from './dora-bands.ts';
import { buildLineage, type Admission, type IncidentRecord, type MetricsFact } from './lineage.ts';
import { interventionsOf, periodFigures, type Count, type PeriodFigures, type Samples, type ScopeTest } from './period-figures.ts';
import { mean, median, percent, round, spreadOf } from './statistics.ts';
import type { Metric, MetricKey, MetricsPeriod, MetricsReport, MetricsScope, MetricUnit, PerformanceBand, Trend } from './types.ts';

/** Event types read for lineage only: they count from any time before `now`, not just the two periods. */
export const lineageTypes = ['dev.steadyops.git.commit', 'dev.steadyops.git.merge', 'dev.steadyops.followup.*', 'dev.steadyops.incident.postmortem'] as const;

/** Read from before the two periods too, for follow-ups only. */
export const olderIncidentType = 'dev.steadyops.incident.declared';

/** Event types whose time decides which period they belong to. */
export const deliveryTypes = [
  'dev.steadyops.deploy.finished',
  'dev.steadyops.deploy.failed',
  'dev.steadyops.rollback.started',
  'dev.steadyops.rollback.finished',
  'dev.steadyops.rollout.rolledback',
  'dev.steadyops.incident.*',
  // changes that can carry out a follow-up besides deploys and git events
  'dev.steadyops.infra.*',
] as const;

const isLineageType = (type: string): boolean =>
  lineageTypes.some((pattern) => (pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern));

/** Since when the ledger has been recording (its first event): periods before it have no data, not zero. */
export interface LedgerCoverage {
  readonly recordedSince?: Date;
}

/**
 * Pure: DORA's delivery metrics, MTTA/MTTR, SLO budget burned by incidents and follow-up completion for
 * `scope` over the `period` before `now`, with the trend against the period before it. Lineage is explicit
 * (deploy commits/pullRequests/fixes, rollback deployId or fromVersion, incident causedBy); nothing is
 * inferred from events being close in time. The same facts in any order give the same report.
 */

export function computeMetrics(facts: readonly MetricsFact[], scope: MetricsScope, period: MetricsPeriod, now: Date, coverage: LedgerCoverage = {}): MetricsReport {
  const end = now.getTime();
  const current = { start: end - period.ms, end };
  const previous = { start: end - 2 * period.ms, end: current.start };
  // a ledger that began recording after the previous period started cannot say how it went: no trend, never "from 0"
  const previousCovered = coverage.recordedSince === undefined || coverage.recordedSince.getTime() <= previous.start;
  const lineage = buildLineage(facts, scope.environment, (fact, at): Admission => {
    if (at > end) return 'ignored';
    if (at > previous.start || isLineageType(fact.type)) return 'counted';
    // an older incident still tells its follow-ups which services they concern and when it began
    return fact.type === olderIncidentType ? 'followUpsOnly' : 'ignored';
  });
  const links = interventionsOf(lineage);
  const test = scopeTest(scope);
  const thisPeriod = periodFigures(lineage, links, current, test);
  const before = periodFigures(lineage, links, previous, test);
  return {
    at: now.toISOString(),
    scope: { label: scope.label, services: scope.services ? [...scope.services].sort() : 'all', environment: scope.environment },
    period: {
      label: period.label,
      start: new Date(current.start).toISOString(),
      end: now.toISOString(),
      previousStart: new Date(previous.start).toISOString(),
    },
    deploys: {
      count: thisPeriod.deploys.length,
      failed: thisPeriod.failures.numerator,
      withoutLineage: thisPeriod.withoutLineage.length,
      withoutLineageEvidence: [...thisPeriod.withoutLineage].sort((a, b) => a - b),
    },
    incidents: { count: thisPeriod.incidents.length, bySeverity: bySeverity(thisPeriod.incidents) },
    ...(coverage.recordedSince ? { coverage: { recordedSince: coverage.recordedSince.toISOString(), previousPeriodCovered: previousCovered } } : {}),
    metrics: metricDefinitions.map((definition) => buildMetric(definition, thisPeriod, previousCovered ? before : undefined, period.label)),
  };
}

function scopeTest(scope: MetricsScope): ScopeTest {
  const services = scope.services ? new Set(scope.services) : undefined;
  const service = (name: string): boolean => services === undefined || services.has(name);
  return {
    service,
    incident: (incident) =>
      (incident.environment === undefined || incident.environment === scope.environment) && [...incident.services].some(service),
  };
}

function bySeverity(incidents: readonly IncidentRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const incident of [...incidents].sort((a, b) => a.severity.localeCompare(b.severity))) {
    counts[incident.severity] = (counts[incident.severity] ?? 0) + 1;
  }
  return counts;
}

/** What a metric takes from a period's figures. */
interface Measured {
  readonly value: number | null;
  readonly evidence: readonly number[];
  readonly spread?: ReturnType<typeof spreadOf>;
  readonly ratio?: { numerator: number; denominator: number };
}

interface MetricDefinition {
  readonly key: MetricKey;
  readonly name: string;
  readonly unit: MetricUnit;
  readonly higherIsBetter: boolean;
  measure(figures: PeriodFigures): Measured;
  band?(value: number): PerformanceBand;
  sentence(measured: Measured, figures: PeriodFigures, period: string): string;
}

/** The SLO whose budget the period's incidents burned the most, and its burn (ties by SLO name). */
function mostBurned(figures: PeriodFigures): [string, { percent: number; evidence: number[] }] | undefined {
  return [...figures.budget.entries()].sort((a, b) => b[1].percent - a[1].percent || a[0].localeCompare(b[0]))[0];
}

const fixed = (value: number | null, digits = 1): string => (value === null ? '-' : String(round(value, digits)));

function rate(count: Count): Measured {
  return { value: percent(count.numerator, count.denominator), evidence: count.evidence, ratio: { numerator: count.numerator, denominator: count.denominator } };
}

function byMedian(samples: Samples): Measured {
  return { value: median(samples.values), evidence: samples.evidence, spread: spreadOf(samples.values) };
}

function byMean(samples: Samples): Measured {
  return { value: mean(samples.values), evidence: samples.evidence, spread: spreadOf(samples.values) };
}

const metricDefinitions: readonly MetricDefinition[] = [
  {
    key: 'deploymentFrequency',
    name: 'Deployment frequency',
    unit: 'deploys/day',
    higherIsBetter: true,
    measure: (figures) => ({ value: figures.deploys.length / figures.days, evidence: figures.deploys.map((deploy) => deploy.seq) }),
    band: deploymentFrequencyBand,
    sentence: (measured, figures, period) =>
      `${figures.deploys.length} production deploy(s) in ${period}: ${fixed(measured.value, 2)} a day, ${fixed((measured.value ?? 0) * 7, 1)} a week.`,
  },
  {
    key: 'changeLeadTime',
    name: 'Change lead time',
    unit: 'hours',
    higherIsBetter: false,
    measure: (figures) => byMedian(figures.leadTimes),
    band: leadTimeBand,
    sentence: (measured, figures) =>
      measured.value === null
        ? `Not measured: no deploy in the period names commits or pull requests whose commit times are in the ledger (${figures.withoutLineage.length} without lineage).`
        : `Median ${fixed(measured.value)} h from the first commit of a change to it running in production, over ${measured.spread!.count} deploy(s) (mean ${fixed(measured.spread!.mean)} h)${figures.withoutLineage.length > 0 ? `; ${figures.withoutLineage.length} deploy(s) without lineage not counted` : ''}.`,
  },
  {
    key: 'changeFailRate',
    name: 'Change fail rate',
    unit: 'percent',
    higherIsBetter: false,
    measure: (figures) => rate(figures.failures),
    band: changeFailRateBand,
    sentence: (measured) =>
      measured.value === null
        ? 'Not measured: no production deploys in the period.'
        : `${measured.ratio!.numerator} of ${measured.ratio!.denominator} deploy(s) (${fixed(measured.value)}%) needed immediate intervention: they failed, were rolled back, were fixed by a later deploy or caused an incident.`,
  },
  {
    key: 'failedDeploymentRecoveryTime',
    name: 'Failed deployment recovery time',
    unit: 'hours',
    higherIsBetter: false,
    measure: (figures) => byMedian(figures.recoveries),
    band: recoveryTimeBand,
    sentence: (measured, figures) =>
      measured.value === null
        ? `Not measured: no failed deploy in the period has recovered${figures.unrecovered > 0 ? ` (${figures.unrecovered} not recovered yet)` : ''}.`
        : `Median ${fixed(measured.value, 2)} h from a failed deploy to recovery (rollback finished, fix deployed or incident resolved), over ${measured.spread!.count} failure(s) (mean ${fixed(measured.spread!.mean, 2)} h)${figures.unrecovered > 0 ? `; ${figures.unrecovered} not recovered yet` : ''}.`,
  },
  {
    key: 'deploymentReworkRate',
    name: 'Deployment rework rate',
    unit: 'percent',
    higherIsBetter: false,
    measure: (figures) => rate(figures.rework),
    sentence: (measured) =>
      measured.value === null
        ? 'Not measured: no production deploys in the period.'
        : `${measured.ratio!.numerator} of ${measured.ratio!.denominator} deploy(s) (${fixed(measured.value)}%) were unplanned, made to fix a failed deploy or an incident.`,
  },
  {
    key: 'mtta',
    name: 'Mean time to acknowledge',
    unit: 'minutes',
    higherIsBetter: false,
    measure: (figures) => byMean(figures.acknowledge),
    sentence: (measured, figures) =>
      measured.value === null
        ? `Not measured: ${figures.incidents.length === 0 ? 'no incidents declared in the period' : 'no incident in the period was acknowledged'}.`
        : `Mean ${fixed(measured.value)} min from declared to acknowledged over ${measured.spread!.count} incident(s) (median ${fixed(measured.spread!.median)} min).`,
  },
  {
    key: 'mttr',
    name: 'Mean time to resolve',
    unit: 'hours',
    higherIsBetter: false,
    measure: (figures) => byMean(figures.resolve),
    sentence: (measured, figures) =>
      measured.value === null
        ? `Not measured: ${figures.incidents.length === 0 ? 'no incidents declared in the period' : 'no incident in the period is resolved'}.`
        : `Mean ${fixed(measured.value, 2)} h from declared to resolved over ${measured.spread!.count} incident(s) (median ${fixed(measured.spread!.median, 2)} h)${figures.unresolved > 0 ? `; ${figures.unresolved} still open` : ''}.`,
  },
  {
    key: 'sloBudgetBurned',
    name: 'SLO budget burned by incidents',
    unit: 'percent',
    higherIsBetter: false,
    measure: (figures) => {
      const worst = mostBurned(figures);
      return { value: worst ? worst[1].percent : null, evidence: [...figures.budget.values()].flatMap((burn) => burn.evidence) };
    },
    sentence: (measured, figures) => {
      const worst = mostBurned(figures);
      return worst
        ? `The period's incidents burned ${fixed(measured.value)}% of the error budget of ${worst[0]}, the most of ${figures.budget.size} SLO(s).`
        : 'Not measured: no incident in the period records the error budget it burned (incident.resolved budgetBurned).';
    },
  },
  {
    key: 'followUpCompletion',
    name: 'Follow-up completion',
    unit: 'percent',
    higherIsBetter: true,
    measure: (figures) => rate(figures.followUps),
    sentence: (measured) =>
      measured.value === null
        ? 'Not measured: no incident follow-ups fell due, or were done ahead of their due date, in the period.'
        : `${measured.ratio!.numerator} of ${measured.ratio!.denominator} follow-up(s) due in the period (or done in it ahead of their due date) are done (${fixed(measured.value)}%).`,
  },
];

function buildMetric(definition: MetricDefinition, current: PeriodFigures, previous: PeriodFigures | undefined, period: string): Metric {
  const measured = definition.measure(current);
  const before = previous ? definition.measure(previous) : { value: null };
  const value = round(measured.value, 4);
  return {
    key: definition.key,
    name: definition.name,
    value,
    unit: definition.unit,
    sentence: definition.sentence(measured, current, period),
    ...(value !== null && definition.band ? { band: definition.band(value) } : {}),
    trend: trendOf(value, round(before.value, 4), definition.higherIsBetter),
    ...(measured.spread ? { spread: { count: measured.spread.count, mean: round(measured.spread.mean, 4), median: round(measured.spread.median, 4) } } : {}),
    ...(measured.ratio ? { ratio: measured.ratio } : {}),
    evidence: [...new Set(measured.evidence)].sort((a, b) => a - b),
  };
}

export function trendOf(current: number | null, previous: number | null, higherIsBetter: boolean): Trend {
  if (current === null || previous === null) return { previous, change: null, direction: 'unknown', better: null };
  const change = round(current - previous, 4)!;
  if (change === 0) return { previous, change, direction: 'flat', better: null };
  return { previous, change, direction: change > 0 ? 'up' : 'down', better: change > 0 === higherIsBetter };
}
