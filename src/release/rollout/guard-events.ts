import type { CloudEventInput } from '../../ledger/types.ts';
import type { RollbackCriterion } from '../../model/schema.ts';
import { formatValue, type FailureCause, type GuardStage } from './advance-guard.ts';
import type { AnalysisState, Measurement } from './types.ts';

/** What every event of one guard run says about the rollout it watches. */
export interface GuardSubject {
  readonly guardId: string;
  readonly service: string;
  readonly environment: string;
  readonly namespace: string;
  readonly deployment: string;
  readonly context?: string;
  readonly revision: number | undefined;
  /** the container images of the guarded revision */
  readonly version: string;
  readonly previous?: { readonly revision: number; readonly version: string };
}

export interface RollbackRecord {
  readonly fromRevision: number;
  readonly toRevision: number;
  readonly newRevision: number | undefined;
  readonly toVersion: string;
  readonly outcome: 'succeeded' | 'failed';
  readonly durationMs: number;
}

const source = '/steadyops/rollout-guard';

function event(subject: GuardSubject, kind: string, type: string, time: Date, data: Record<string, unknown>): CloudEventInput {
  return {
    specversion: '1.0',
    id: `${subject.guardId}/${kind}`,
    source,
    type,
    subject: subject.service,
    time: time.toISOString(),
    datacontenttype: 'application/json',
    extensions: { environment: subject.environment },
    data,
  };
}

function target(subject: GuardSubject) {
  return {
    service: subject.service,
    environment: subject.environment,
    guardId: subject.guardId,
    namespace: subject.namespace,
    deployment: subject.deployment,
    version: subject.version,
    ...(subject.revision === undefined ? {} : { revision: subject.revision }),
  };
}

export function startedEvent(subject: GuardSubject, time: Date, run: { criteria: readonly RollbackCriterion[]; bakeMs: number; intervalMs: number; rollback: 'automatic' | 'manual' }): CloudEventInput {
  return event(subject, 'started', 'dev.steadyops.rollout.started', time, {
    ...target(subject),
    ...(subject.context ? { context: subject.context } : {}),
    ...(subject.previous ? { previousVersion: subject.previous.version, previousRevision: subject.previous.revision } : {}),
    criteria: run.criteria.map(({ name, query, threshold, failWhen, consecutiveFailures }) => ({ name, query, threshold, failWhen, consecutiveFailures })),
    bakeSeconds: run.bakeMs / 1000,
    intervalSeconds: run.intervalMs / 1000,
    rollback: run.rollback,
  });
}

export function analysisEvent(subject: GuardSubject, time: Date, analysis: AnalysisState, stage: GuardStage): CloudEventInput {
  const measurements = analysis.criteria.flatMap((entry) => (entry.last ? [{ ...measurementData(entry.last), failureStreak: entry.failureStreak }] : []));
  return event(subject, `analysis/${analysis.round}`, 'dev.steadyops.rollout.analysis', time, {
    service: subject.service,
    environment: subject.environment,
    guardId: subject.guardId,
    ...(subject.revision === undefined ? {} : { revision: subject.revision }),
    round: analysis.round,
    stage,
    verdict: analysis.verdict,
    measurements,
    summary: roundSummary(analysis),
  });
}

/** `error-ratio 0.31 fail (2/3), p99 0.2 pass` */
export function roundSummary(analysis: AnalysisState): string {
  return analysis.criteria
    .map(({ criterion, last, failureStreak }) => {
      const streak = last?.outcome === 'fail' ? ` (${failureStreak}/${criterion.consecutiveFailures})` : '';
      return `${criterion.name} ${formatValue(last?.value ?? null)} ${last?.outcome ?? 'unmeasured'}${streak}`;
    })
    .join(', ');
}

export function succeededEvent(subject: GuardSubject, time: Date, analysis: AnalysisState, bakeMs: number): CloudEventInput {
  return event(subject, 'succeeded', 'dev.steadyops.rollout.succeeded', time, {
    ...target(subject),
    ...(subject.previous ? { previousVersion: subject.previous.version } : {}),
    bakeSeconds: bakeMs / 1000,
    rounds: analysis.round,
    criteria: analysis.criteria.map(({ criterion, counts, last }) => ({ criterion: criterion.name, ...counts, last: jsonNumber(last?.value ?? null) })),
  });
}

export function haltedEvent(
  subject: GuardSubject,
  time: Date,
  halt: { verdict: 'failed' | 'inconclusive' | 'error' | 'superseded'; reason: string; cause?: FailureCause },
): CloudEventInput {
  return event(subject, 'halted', 'dev.steadyops.rollout.halted', time, {
    ...target(subject),
    verdict: halt.verdict,
    reason: halt.reason,
    ...(halt.cause ? { criterion: halt.cause.criterion, measurements: halt.cause.measurements.map(measurementData) } : {}),
  });
}

/** The generic rollback record other engines read (change failure rate, time to restore). */
export function rollbackStartedEvent(subject: GuardSubject, time: Date, cause: FailureCause, toVersion: string): CloudEventInput {
  return event(subject, 'rollback-started', 'dev.steadyops.rollback.started', time, rollbackData(subject, cause, toVersion));
}

export function rolledBackEvents(subject: GuardSubject, time: Date, cause: FailureCause, rollback: RollbackRecord): CloudEventInput[] {
  const base = rollbackData(subject, cause, rollback.toVersion);
  const durationSeconds = rollback.durationMs / 1000;
  return [
    event(subject, 'rolledback', 'dev.steadyops.rollout.rolledback', time, {
      ...base,
      namespace: subject.namespace,
      deployment: subject.deployment,
      criterion: cause.criterion,
      measurements: cause.measurements.map(measurementData),
      fromRevision: rollback.fromRevision,
      toRevision: rollback.toRevision,
      ...(rollback.newRevision === undefined ? {} : { newRevision: rollback.newRevision }),
      outcome: rollback.outcome,
      durationSeconds,
    }),
    event(subject, 'rollback-finished', 'dev.steadyops.rollback.finished', time, { ...base, outcome: rollback.outcome, durationSeconds }),
  ];
}

export function rollbackFailedEvent(subject: GuardSubject, time: Date, cause: FailureCause, toVersion: string, durationMs: number): CloudEventInput {
  return event(subject, 'rollback-finished', 'dev.steadyops.rollback.finished', time, {
    ...rollbackData(subject, cause, toVersion),
    outcome: 'failed',
    durationSeconds: durationMs / 1000,
  });
}

function rollbackData(subject: GuardSubject, cause: FailureCause, toVersion: string) {
  return {
    service: subject.service,
    environment: subject.environment,
    guardId: subject.guardId,
    fromVersion: subject.version,
    toVersion,
    reason: cause.reason,
    strategy: 'kubernetes-undo',
    automatic: true,
    rollbackId: subject.guardId,
  };
}

function measurementData(measurement: Measurement) {
  return {
    criterion: measurement.criterion,
    at: measurement.at,
    value: jsonNumber(measurement.value),
    outcome: measurement.outcome,
    ...(measurement.error ? { error: measurement.error } : {}),
  };
}

/** JSON has no Infinity or NaN; such a value is recorded as null beside its outcome. */
function jsonNumber(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}
