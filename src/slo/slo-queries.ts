import { parseDuration } from '../lib/duration.ts';
import type { ResolvedService } from '../model/resolve.ts';
import { burnWindows, promDuration } from './burn-rate.ts';
import { windowPlaceholder } from '../model/check-promql.ts';
import { distinctRanges } from './generate-rules.ts';

export type Slo = NonNullable<ResolvedService['slos']>[number];

/** What the counted query of an SLI counts: failed events, or good ones. */
export type CountedKind = 'errors' | 'good';

/** The two instant queries that give an SLO's error ratio over one range. */
export interface RangeQueries {
  readonly rangeMs: number;
  /** the SLI's `errors` or `good` query, with `{{.window}}` set to the range */
  readonly counted: string;
  /** the SLI's `total` query, with `{{.window}}` set to the range */
  readonly total: string;
}

export interface SloQueries {
  readonly kind: CountedKind;
  /** every burn window and the whole period, shortest first */
  readonly ranges: readonly RangeQueries[];
}

/**
 * The queries `slo status` sends for one SLO: counted and total rates over the period and over every
 * burn window. Counted and total are asked apart, not as one ratio, so a missing errors series (no
 * request has failed yet) is told apart from a missing total (no data at all).
 */
export function sloQueries(slo: Slo): SloQueries {
  const periodMs = parseDuration(slo.period);
  const { errors, good, total } = slo.sli.ratio;
  const kind: CountedKind = errors !== undefined ? 'errors' : 'good';
  const counted = errors ?? good ?? '';
  const ranges = distinctRanges(burnWindows(periodMs), periodMs).map((rangeMs) => ({
    rangeMs,
    counted: withWindow(counted, rangeMs),
    total: withWindow(total, rangeMs),
  }));
  return { kind, ranges };
}

/** The queries in the order `queryAll` is sent them: counted, total, range after range. */
export function sloExprs(queries: SloQueries): string[] {
  return queries.ranges.flatMap((range) => [range.counted, range.total]);
}

function withWindow(expr: string, rangeMs: number): string {
  return expr.replace(windowPlaceholder, promDuration(rangeMs));
}
