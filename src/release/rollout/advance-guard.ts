import type { RollbackCriterion } from '../../model/schema.ts';
import { allPassing, analyseRound, startAnalysis } from './analyse-round.ts';
import type { RolloutProgress } from './rollout-progress.ts';
import type { AnalysisLimits, AnalysisState, CriterionState, Measurement } from './types.ts';

export interface GuardPolicy {
  readonly bakeMs: number;
  readonly limits: AnalysisLimits;
}

export interface GuardState {
  readonly analysis: AnalysisState;
  /** the Deployment revision being guarded */
  readonly revision: number | undefined;
  /** epoch ms at which the guard first saw the rollout complete */
  readonly bakeStartedAt?: number;
  /** rounds taken after the bake time ran out without every criterion passing */
  readonly settleRounds: number;
  /** where the last round found the rollout */
  readonly stage: GuardStage;
}

/** One round's view of the world: the rollout's progress and one measurement per criterion. */
export interface Observation {
  readonly progress: RolloutProgress;
  readonly measurements: readonly Measurement[];
  readonly now: Date;
}

export interface FailureCause {
  /** the failed criterion, or `progress-deadline` when the rollout itself stalled */
  readonly criterion: string;
  readonly reason: string;
  /** the failed measurements in a row that decided it */
  readonly measurements: readonly Measurement[];
}

/**
 * - `rollout`: new pods are coming up; `bake`: the rollout completed and the bake time runs;
 * - `settle`: the bake time is over but the last round was not a pass everywhere, so the guard measures on.
 */
export type GuardStage = 'rollout' | 'bake' | 'settle';

export type GuardDecision =
  | { readonly kind: 'continue'; readonly stage: GuardStage; readonly bakeLeftMs: number }
  | { readonly kind: 'succeed' }
  | { readonly kind: 'fail'; readonly cause: FailureCause }
  | { readonly kind: 'halt'; readonly verdict: 'inconclusive' | 'error' | 'superseded'; readonly reason: string };

export function startGuard(criteria: readonly RollbackCriterion[], revision: number | undefined): GuardState {
  return { analysis: startAnalysis(criteria), revision, settleRounds: 0, stage: 'rollout' };
}

/**
 * How many rounds the guard measures on after the bake time before calling the analysis inconclusive:
 * enough for the longest failure streak, or the inconclusive limit, to decide either way.
 */
export function settleLimit(criteria: readonly RollbackCriterion[], limits: AnalysisLimits): number {
  return Math.max(limits.inconclusiveLimit, ...criteria.map((criterion) => criterion.consecutiveFailures)) + 1;
}

/** The guard's pure core: folds in one round and says whether to go on, succeed, roll back or stop. */
export function advanceGuard(state: GuardState, observation: Observation, policy: GuardPolicy): { state: GuardState; decision: GuardDecision } {
  const { progress, now } = observation;
  if (progress.phase !== 'observing' && state.revision !== undefined && progress.revision !== state.revision) {
    const reason = `the Deployment moved from revision ${state.revision} to ${progress.revision ?? 'none'} while the guard watched; guard that rollout instead`;
    return { state, decision: { kind: 'halt', verdict: 'superseded', reason } };
  }
  const analysis = analyseRound(state.analysis, observation.measurements, policy.limits);
  const decided = verdictDecision(analysis);
  if (decided) return { state: { ...state, analysis }, decision: decided };
  if (progress.phase === 'stalled') {
    return { state: { ...state, analysis }, decision: { kind: 'fail', cause: { criterion: 'progress-deadline', reason: progress.message, measurements: [] } } };
  }
  const bakeStartedAt = state.bakeStartedAt ?? (progress.phase === 'complete' ? now.getTime() : undefined);
  if (bakeStartedAt === undefined) return { state: { ...state, analysis }, decision: { kind: 'continue', stage: 'rollout', bakeLeftMs: policy.bakeMs } };
  const next: GuardState = { ...state, analysis, bakeStartedAt, stage: 'bake' };
  const left = bakeLeftMs(next, now, policy.bakeMs);
  if (left > 0) return { state: next, decision: { kind: 'continue', stage: 'bake', bakeLeftMs: left } };
  if (allPassing(analysis)) return { state: next, decision: { kind: 'succeed' } };
  const settled: GuardState = { ...next, settleRounds: state.settleRounds + 1, stage: 'settle' };
  const limit = settleLimit(analysis.criteria.map((entry) => entry.criterion), policy.limits);
  if (settled.settleRounds >= limit) {
    return { state: settled, decision: { kind: 'halt', verdict: 'inconclusive', reason: `no round in ${limit} after the bake had every criterion passing` } };
  }
  return { state: settled, decision: { kind: 'continue', stage: 'settle', bakeLeftMs: 0 } };
}

/** Bake time still to run at `now`: all of it before the rollout completed. */
export function bakeLeftMs(state: GuardState, now: Date, bakeMs: number): number {
  return state.bakeStartedAt === undefined ? bakeMs : Math.max(0, state.bakeStartedAt + bakeMs - now.getTime());
}

function verdictDecision(analysis: AnalysisState): GuardDecision | undefined {
  const decider = analysis.criteria.find((entry) => entry.criterion.name === analysis.decidedBy);
  if (!decider || analysis.verdict === 'running') return undefined;
  if (analysis.verdict === 'failed') return { kind: 'fail', cause: { criterion: decider.criterion.name, reason: failureReason(decider), measurements: decider.failures } };
  const reason =
    analysis.verdict === 'error'
      ? `${decider.criterion.name}: ${decider.errorStreak} errored measurements in a row (${decider.last?.error ?? 'the query failed'})`
      : `${decider.criterion.name}: ${decider.inconclusiveStreak} measurements without data in a row`;
  return { kind: 'halt', verdict: analysis.verdict, reason };
}

function failureReason(state: CriterionState): string {
  const { name, failWhen, threshold } = state.criterion;
  const values = state.failures.map((measurement) => formatValue(measurement.value)).join(', ');
  return `${name} ${failWhen} ${formatValue(threshold)} in ${state.failures.length} measurements in a row (${values})`;
}

/** Three significant digits: 0.0412, 1.5, 12300. */
export function formatValue(value: number | null): string {
  return value === null ? 'no data' : String(Number(value.toPrecision(3)));
}
