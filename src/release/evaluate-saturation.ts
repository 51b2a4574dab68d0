import type { ResolvedService } from '../model/resolve.ts';

export type DependencyKind = 'service' | 'datastore' | 'external';

/** A dependency the model gives a saturation query and threshold, read in one environment. */
export interface SaturationTarget {
  readonly service: string;
  readonly environment: string;
  readonly kind: DependencyKind;
  readonly dependency: string;
  readonly critical: boolean;
  readonly query: string;
  readonly threshold: number;
  readonly description?: string;
}

export interface SaturationStatus extends SaturationTarget {
  /** the highest value the query returned; undefined without data */
  readonly value: number | undefined;
  /** value ÷ threshold (1 = at the threshold); absent without data or with a threshold of 0 */
  readonly ratio?: number;
  /** threshold - value, in the query's unit; negative once over */
  readonly headroom: number | undefined;
  readonly saturated: boolean;
  readonly noData: boolean;
  /** how many series the query returned */
  readonly series: number;
  /** the labels of the series with the highest value, when there were several */
  readonly labels?: Readonly<Record<string, string>>;
  readonly summary: string;
}

interface LabelledValue {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Every dependency of the service that declares a saturation query, in declaration order. */
export function saturationTargets(service: ResolvedService, environment: string): SaturationTarget[] {
  return (service.dependsOn ?? []).flatMap((dependency) => {
    if (!dependency.saturation) return [];
    const [kind, name] = dependencyName(dependency);
    const { query, threshold, description } = dependency.saturation;
    return [
      {
        service: service.name,
        environment,
        kind,
        dependency: name,
        critical: dependency.critical ?? false,
        query,
        threshold,
        ...(description !== undefined ? { description } : {}),
      },
    ];
  });
}

type Dependency = NonNullable<ResolvedService['dependsOn']>[number];

function dependencyName(dependency: Dependency): [DependencyKind, string] {
  if (dependency.service !== undefined) return ['service', dependency.service];
  if (dependency.datastore !== undefined) return ['datastore', dependency.datastore];
  return ['external', dependency.external ?? ''];
}

/**
 * Pure: each target with the answer to its query (`answers[i]` for `targets[i]`), worst first by
 * value ÷ threshold; dependencies without data come last. A dependency is saturated at or above its
 * threshold. Several series: the highest counts, and its labels say which one it was.
 */
export function evaluateSaturation(targets: readonly SaturationTarget[], answers: readonly (readonly LabelledValue[])[]): SaturationStatus[] {
  return targets.map((target, index) => saturationStatus(target, answers[index] ?? [])).sort(worstFirst);
}

function saturationStatus(target: SaturationTarget, samples: readonly LabelledValue[]): SaturationStatus {
  const valid = samples.filter((sample) => !Number.isNaN(sample.value));
  const highest = valid.reduce<LabelledValue | undefined>((top, sample) => (top === undefined || sample.value > top.value ? sample : top), undefined);
  const value = highest?.value;
  const status: Omit<SaturationStatus, 'summary'> = {
    ...target,
    value,
    ...(value !== undefined && target.threshold > 0 ? { ratio: value / target.threshold } : {}),
    // rounded so 0.8 - 0.92 reads -0.12, not -0.12000000000000011
    headroom: value === undefined ? undefined : Number((target.threshold - value).toPrecision(12)),
    saturated: value !== undefined && value >= target.threshold,
    noData: value === undefined,
    series: valid.length,
    ...(highest !== undefined && valid.length > 1 ? { labels: withoutName(highest.labels) } : {}),
  };
  return { ...status, summary: describeSaturation(status) };
}

function withoutName(labels: Readonly<Record<string, string>>): Record<string, string> {
  const { __name__: _name, ...rest } = labels;
  return rest;
}

/** How close to saturation: value ÷ threshold; a threshold of 0 is reached by any value of 0 or more. */
export function saturationRank(status: Pick<SaturationStatus, 'value' | 'threshold'>): number {
  if (status.value === undefined) return Number.NEGATIVE_INFINITY;
  if (status.threshold > 0) return status.value / status.threshold;
  if (status.value > 0) return Number.POSITIVE_INFINITY;
  return status.value === 0 ? 1 : 0;
}

function worstFirst(a: SaturationStatus, b: SaturationStatus): number {
  const byRank = saturationRank(b) - saturationRank(a);
  if (byRank !== 0 && !Number.isNaN(byRank)) return byRank;
  return `${a.service}/${a.dependency}`.localeCompare(`${b.service}/${b.dependency}`);
}

export function describeSaturation(status: Omit<SaturationStatus, 'summary'>): string {
  const subject = `${status.dependency} (${status.kind} of ${status.service})`;
  const what = status.description ?? 'the saturation query';
  if (status.value === undefined) {
    return `${subject} has no data in ${status.environment}: its saturation query returned no samples, so whether it is saturated is unknown.`;
  }
  const share = status.ratio === undefined ? '' : ` (${Math.round(status.ratio * 100)}% of it)`;
  const verdict = status.saturated
    ? `${subject} is saturated: ${what} is ${formatValue(status.value)}, at or above its threshold of ${formatValue(status.threshold)}${share}.`
    : `${subject} is not saturated: ${what} is ${formatValue(status.value)} against a threshold of ${formatValue(status.threshold)}${share}.`;
  return status.labels === undefined ? verdict : `${verdict} Highest of ${status.series} series: ${formatLabels(status.labels)}.`;
}

/** 0.91234 -> "0.912", 5234.7 -> "5235" */
export function formatValue(value: number): string {
  if (Math.abs(value) >= 1_000) return String(Math.round(value));
  return String(Number(value.toPrecision(3)));
}

export function formatLabels(labels: Readonly<Record<string, string>>): string {
  return `{${Object.entries(labels)
    .map(([key, value]) => `${key}="${value}"`)
    .join(', ')}}`;
}
