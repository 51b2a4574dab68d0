import type { Sample } from '../../connectors/prometheus/prometheus-client.ts';
import type { RollbackCriterion } from '../../model/schema.ts';
import type { AnalysisLimits, AnalysisState, AnalysisVerdict, CriterionPhase, CriterionState, Measurement } from './types.ts';

export function startAnalysis(criteria: readonly RollbackCriterion[]): AnalysisState {
  return {
    round: 0,
    verdict: 'running',
    criteria: criteria.map((criterion) => ({
      criterion,
      phase: 'running',
      failureStreak: 0,
      inconclusiveStreak: 0,
      errorStreak: 0,
      counts: { pass: 0, fail: 0, inconclusive: 0, error: 0 },
      failures: [],
    })),
  };
}

/**
 * Judges a query's answer against the criterion. Several series are judged by the worst one
 * (the highest when failing above, the lowest when failing below); NaN and no series are no data.
 */
export function judgeSamples(criterion: RollbackCriterion, samples: readonly Sample[], at: string): Measurement {
  const values = samples.map((sample) => sample.value).filter((value) => !Number.isNaN(value));
  if (values.length === 0) return { criterion: criterion.name, at, value: null, outcome: 'inconclusive' };
  const value = criterion.failWhen === 'below' ? Math.min(...values) : Math.max(...values);
  return { criterion: criterion.name, at, value, outcome: breaches(criterion, value) ? 'fail' : 'pass' };
}

/** A value equal to the threshold passes. */
export function breaches(criterion: Pick<RollbackCriterion, 'failWhen' | 'threshold'>, value: number): boolean {
  return criterion.failWhen === 'below' ? value < criterion.threshold : value > criterion.threshold;
}

export function erroredMeasurement(criterion: RollbackCriterion, error: string, at: string): Measurement {
  return { criterion: criterion.name, at, value: null, outcome: 'error', error };
}

const severity: Readonly<Record<CriterionPhase, number>> = { running: 0, inconclusive: 1, error: 2, failed: 3 };

/** Folds one round of measurements (one per criterion) into the analysis; a decided analysis stays decided. */
export function analyseRound(state: AnalysisState, measurements: readonly Measurement[], limits: AnalysisLimits): AnalysisState {
  if (state.verdict !== 'running') return state;
  const criteria = state.criteria.map((criterionState) => {
    const measurement = measurements.find((entry) => entry.criterion === criterionState.criterion.name);
    return measurement ? advanceCriterion(criterionState, measurement, limits) : criterionState;
  });
  const worst = criteria.reduce<CriterionState | undefined>((found, entry) => (severity[entry.phase] > severity[found?.phase ?? 'running'] ? entry : found), undefined);
  const verdict: AnalysisVerdict = worst?.phase ?? 'running';
  return { round: state.round + 1, verdict, criteria, ...(worst ? { decidedBy: worst.criterion.name } : {}) };
}

function advanceCriterion(state: CriterionState, measurement: Measurement, limits: AnalysisLimits): CriterionState {
  const counts = { ...state.counts, [measurement.outcome]: state.counts[measurement.outcome] + 1 };
  const streaks = nextStreaks(state, measurement);
  const phase: CriterionPhase =
    streaks.failureStreak >= state.criterion.consecutiveFailures
      ? 'failed'
      : streaks.errorStreak > limits.consecutiveErrorLimit
        ? 'error'
        : streaks.inconclusiveStreak > limits.inconclusiveLimit
          ? 'inconclusive'
          : 'running';
  return { ...state, ...streaks, phase, counts, last: measurement };
}

function nextStreaks(state: CriterionState, measurement: Measurement): Pick<CriterionState, 'failureStreak' | 'inconclusiveStreak' | 'errorStreak' | 'failures'> {
  switch (measurement.outcome) {
    case 'pass':
      return { failureStreak: 0, inconclusiveStreak: 0, errorStreak: 0, failures: [] };
    case 'fail':
      return {
        failureStreak: state.failureStreak + 1,
        inconclusiveStreak: 0,
        errorStreak: 0,
        failures: [...state.failures, measurement].slice(-state.criterion.consecutiveFailures),
      };
    case 'inconclusive':
      return { failureStreak: state.failureStreak, failures: state.failures, inconclusiveStreak: state.inconclusiveStreak + 1, errorStreak: 0 };
    case 'error':
      return { failureStreak: state.failureStreak, failures: state.failures, inconclusiveStreak: state.inconclusiveStreak, errorStreak: state.errorStreak + 1 };
  }
}

/** true when every criterion's latest measurement passed: the only round that may end a bake. */
export function allPassing(state: AnalysisState): boolean {
  return state.criteria.every((entry) => entry.last?.outcome === 'pass');
}

/** Whether a round is worth its own ledger event: the first, a decided one, or one where some criterion's outcome changed. */
export function roundChangedOutcomes(before: AnalysisState, after: AnalysisState): boolean {
  if (before.round === 0 || after.verdict !== before.verdict) return true;
  return after.criteria.some((entry, index) => entry.last?.outcome !== before.criteria[index]?.last?.outcome);
}
