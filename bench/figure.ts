/** One reported number, measured beside its baseline in the same run. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly baseline?: { readonly value: number; readonly unit: string };
  /** value / baseline (or baseline / value for "lower is better" figures, so a larger ratio is always better) */
  readonly ratio?: number;
  readonly target?: Target;
  /** extra facts worth keeping in results.json (sizes, percentiles, check results) */
  readonly details?: Readonly<Record<string, unknown>>;
}

export type Target =
  | { readonly kind: 'min-ratio'; readonly ratio: number }
  | { readonly kind: 'max-value'; readonly value: number; readonly unit: string }
  | { readonly kind: 'check'; readonly description: string };

export type Verdict = 'PASS' | 'MISS' | 'INFO';

export function verdictOf(figure: Figure): Verdict {
  const { target } = figure;
  if (!target) return 'INFO';
  if (target.kind === 'min-ratio') return figure.ratio !== undefined && figure.ratio >= target.ratio ? 'PASS' : 'MISS';
  if (target.kind === 'max-value') return figure.value < target.value ? 'PASS' : 'MISS';
  return figure.value === 1 ? 'PASS' : 'MISS';
}

export function formatTarget(target: Target | undefined): string {
  if (!target) return 'none';
  if (target.kind === 'min-ratio') return `>= ${target.ratio.toFixed(2)}`;
  if (target.kind === 'max-value') return `< ${formatNumber(target.value)} ${target.unit}`;
  return target.description;
}

/** `name: value unit (baseline: value unit, ratio: 0.xx, target: >= 0.70) PASS|MISS` */
export function formatFigure(figure: Figure): string {
  const baseline = figure.baseline ? `${formatNumber(figure.baseline.value)} ${figure.baseline.unit}` : 'none';
  const ratio = figure.ratio === undefined ? 'n/a' : figure.ratio.toFixed(2);
  return `${figure.name}: ${formatNumber(figure.value)} ${figure.unit} (baseline: ${baseline}, ratio: ${ratio}, target: ${formatTarget(figure.target)}) ${verdictOf(figure)}`;
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 100) return Math.round(value).toString();
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** A throughput figure: larger is better, ratio = value / baseline. */
export function rateFigure(
  name: string,
  value: number,
  baseline: number,
  unit: string,
  minRatio: number,
  details?: Record<string, unknown>,
): Figure {
  return {
    name,
    value,
    unit,
    baseline: { value: baseline, unit },
    ratio: value / baseline,
    target: { kind: 'min-ratio', ratio: minRatio },
    ...(details ? { details } : {}),
  };
}

/** A latency figure: smaller is better, ratio = baseline / value (the product's share of the raw speed). */
export function latencyFigure(name: string, valueMs: number, baselineMs: number, maxMs: number, details?: Record<string, unknown>): Figure {
  return {
    name,
    value: valueMs,
    unit: 'ms',
    baseline: { value: baselineMs, unit: 'ms' },
    ratio: baselineMs / valueMs,
    target: { kind: 'max-value', value: maxMs, unit: 'ms' },
    ...(details ? { details } : {}),
  };
}
