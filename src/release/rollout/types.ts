import type { RollbackCriterion } from '../../model/schema.ts';

/**
 * How one measurement of a criterion came out:
 * - `pass` / `fail`: the query gave a number, inside or beyond the threshold;
 * - `inconclusive`: the query ran but gave no number (no series, or NaN such as 0/0 without traffic);
 * - `error`: the query could not run (Prometheus unreachable, query rejected).
 */
export type MeasurementOutcome = 'pass' | 'fail' | 'inconclusive' | 'error';

export interface Measurement {
  readonly criterion: string;
  /** RFC 3339 */
  readonly at: string;
  /** the value judged (the worst series when the query returns several); null when there was none */
  readonly value: number | null;
  readonly outcome: MeasurementOutcome;
  readonly error?: string;
}

export type CriterionPhase = 'running' | 'failed' | 'inconclusive' | 'error';

export interface CriterionState {
  readonly criterion: RollbackCriterion;
  readonly phase: CriterionPhase;
  /** failed measurements since the last pass; inconclusive and errored ones neither extend nor break it */
  readonly failureStreak: number;
  /** inconclusive measurements since the last pass or fail */
  readonly inconclusiveStreak: number;
  /** errored measurements since the last measurement that ran */
  readonly errorStreak: number;
  readonly counts: Readonly<Record<MeasurementOutcome, number>>;
  /** the failed measurements of the current streak, oldest first */
  readonly failures: readonly Measurement[];
  readonly last?: Measurement;
}

/** The worst phase of any criterion: failed before error before inconclusive before running, as Argo ranks them. */
export type AnalysisVerdict = CriterionPhase;

export interface AnalysisState {
  /** measurement rounds taken so far */
  readonly round: number;
  readonly verdict: AnalysisVerdict;
  readonly criteria: readonly CriterionState[];
  /** the criterion that decided a verdict other than `running` */
  readonly decidedBy?: string;
}

/** Argo Rollouts' inconclusiveLimit and consecutiveErrorLimit, both counted in a row here. */
export interface AnalysisLimits {
  /** a criterion with more inconclusive measurements in a row than this makes the analysis inconclusive */
  readonly inconclusiveLimit: number;
  /** a criterion with more errored measurements in a row than this makes the analysis error */
  readonly consecutiveErrorLimit: number;
}

export const defaultAnalysisLimits: AnalysisLimits = { inconclusiveLimit: 4, consecutiveErrorLimit: 4 };
