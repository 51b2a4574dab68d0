import { randomUUID } from 'node:crypto';
import type { DeploymentJson, DeploymentRollout } from '../../connectors/kubernetes/deployment-rollout.ts';
import type { PrometheusClient } from '../../connectors/prometheus/prometheus-client.ts';
import type { Ledger, CloudEventInput } from '../../ledger/types.ts';
import type { Clock } from '../../lib/clock.ts';
import { formatDuration } from '../../lib/duration.ts';
import { isSteadyopsError } from '../../lib/errors.ts';
import type { RollbackCriterion } from '../../model/schema.ts';
import { advanceGuard, bakeLeftMs, startGuard, type FailureCause, type GuardDecision, type GuardStage, type GuardState } from './advance-guard.ts';
import { erroredMeasurement, judgeSamples, roundChangedOutcomes } from './analyse-round.ts';
import {
  analysisEvent,
  haltedEvent,
  rollbackFailedEvent,
  rollbackStartedEvent,
  rolledBackEvents,
  startedEvent,
  succeededEvent,
  type GuardSubject,
} from './guard-events.ts';
import { imagesOf, planUndo, type UndoPlan } from './plan-undo.ts';
import type { RollbackAction } from './rollback-action.ts';
import { revisionOf, rolloutProgress, type RolloutProgress } from './rollout-progress.ts';
import { defaultAnalysisLimits, type AnalysisLimits, type AnalysisState, type Measurement } from './types.ts';

export interface RolloutGuardDeps {
  readonly kube: DeploymentRollout;
  readonly prometheus: Pick<PrometheusClient, 'queryAll'>;
  readonly ledger: Pick<Ledger, 'append'>;
  readonly clock: Clock;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface GuardRequest {
  readonly service: string;
  readonly environment: string;
  readonly namespace: string;
  readonly deployment: string;
  readonly context?: string;
  readonly criteria: readonly RollbackCriterion[];
  readonly bakeMs: number;
  readonly intervalMs: number;
  readonly action: RollbackAction;
  /** measure and report, but never patch and never record */
  readonly dryRun: boolean;
  readonly actor: string;
  readonly limits?: AnalysisLimits;
}

/**
 * - `succeeded`: rolled out and baked with every criterion passing
 * - `rolled-back`: a criterion failed and the guard rolled the Deployment back
 * - `would-roll-back`: the same under --dry-run, without the patch
 * - `failed`: a criterion failed but the guard may not (or cannot) roll back
 * - `inconclusive`, `error`: the analysis could not decide (no data; measurements or the API kept failing)
 * - `superseded`: the Deployment moved to another revision while the guard watched
 */
export type GuardOutcome = 'succeeded' | 'rolled-back' | 'would-roll-back' | 'failed' | 'inconclusive' | 'error' | 'superseded';

export interface GuardReport {
  readonly outcome: GuardOutcome;
  readonly reason: string;
  readonly subject: GuardSubject;
  readonly analysis: AnalysisState;
  readonly cause?: FailureCause;
  /** the undo the guard did, or would do */
  readonly plan?: { readonly fromRevision: number; readonly toRevision: number; readonly toVersion: string };
  readonly rollback?: { readonly completed: boolean; readonly newRevision: number | undefined; readonly durationMs: number };
  readonly elapsedMs: number;
}

export type GuardProgress =
  | { readonly kind: 'round'; readonly stage: GuardStage; readonly bakeLeftMs: number; readonly bakeMs: number; readonly progress: RolloutProgress; readonly analysis: AnalysisState }
  | { readonly kind: 'rolling-back'; readonly toRevision: number; readonly progress: RolloutProgress }
  | { readonly kind: 'waiting'; readonly message: string };

export interface RolloutGuard {
  run(request: GuardRequest, onProgress?: (progress: GuardProgress) => void): Promise<GuardReport>;
}

/** Exit 0 succeeded, 3 when measurements or the Kubernetes API kept failing, 1 for every other "no". */
export function guardExitCode(outcome: GuardOutcome): 0 | 1 | 3 {
  if (outcome === 'succeeded') return 0;
  return outcome === 'error' ? 3 : 1;
}

/**
 * Watches one Deployment rollout and its bake time, measures the rollback criteria every interval, and
 * rolls the Deployment back (as `kubectl rollout undo` does) when one fails. Unreachable Kubernetes or
 * Prometheus before the first event is a thrown SO_E_UNREACHABLE: nothing is recorded, nothing patched.
 */
export function createRolloutGuard(deps: RolloutGuardDeps): RolloutGuard {
  return { run: (request, onProgress = () => undefined) => new GuardRun(deps, request, onProgress).run() };
}

class GuardRun {
  private readonly limits: AnalysisLimits;
  private readonly pollMs: number;
  private readonly startedAt: number;
  private subject!: GuardSubject;

  constructor(
    private readonly deps: RolloutGuardDeps,
    private readonly request: GuardRequest,
    private readonly onProgress: (progress: GuardProgress) => void,
  ) {
    this.limits = request.limits ?? defaultAnalysisLimits;
    this.pollMs = Math.min(request.intervalMs, 1_000);
    this.startedAt = deps.clock.now().getTime();
  }

  async run(): Promise<GuardReport> {
    let deployment = await this.observed();
    await this.deps.prometheus.queryAll(this.request.criteria.map((criterion) => criterion.query));
    const baseline = planUndo(deployment, await this.deps.kube.replicaSets(deployment));
    this.subject = this.subjectOf(deployment, baseline);
    const { criteria, bakeMs, intervalMs, action } = this.request;
    await this.record([startedEvent(this.subject, this.deps.clock.now(), { criteria, bakeMs, intervalMs, rollback: action.kind })]);
    let state = startGuard(criteria, this.subject.revision);
    for (;;) {
      const now = this.deps.clock.now();
      const measurements = await this.measure(now);
      const progress = rolloutProgress(deployment);
      const advanced = advanceGuard(state, { progress, measurements, now }, { bakeMs, limits: this.limits });
      const changed = roundChangedOutcomes(state.analysis, advanced.state.analysis) && advanced.state.analysis.round > state.analysis.round;
      state = advanced.state;
      const roundEvents = changed ? [analysisEvent(this.subject, now, state.analysis, state.stage)] : [];
      const { decision } = advanced;
      this.onProgress({ kind: 'round', stage: state.stage, bakeLeftMs: bakeLeftMs(state, now, bakeMs), bakeMs, progress, analysis: state.analysis });
      if (decision.kind !== 'continue') return this.finish(decision, state, deployment, roundEvents);
      await this.record(roundEvents);
      await this.deps.sleep(intervalMs);
      try {
        deployment = await this.readWithRetries();
      } catch (error) {
        return this.finish({ kind: 'halt', verdict: 'error', reason: messageOf(error) }, state, deployment, []);
      }
    }
  }

  private async finish(decision: Exclude<GuardDecision, { kind: 'continue' }>, state: GuardState, deployment: DeploymentJson, roundEvents: CloudEventInput[]): Promise<GuardReport> {
    const now = this.deps.clock.now();
    if (decision.kind === 'succeed') {
      await this.record([...roundEvents, succeededEvent(this.subject, now, state.analysis, this.request.bakeMs)]);
      return this.report('succeeded', `every criterion passed through the rollout and ${formatDuration(this.request.bakeMs)} of bake`, state);
    }
    if (decision.kind === 'halt') {
      await this.record([...roundEvents, haltedEvent(this.subject, now, decision)]);
      return this.report(decision.verdict, decision.reason, state);
    }
    return this.rollBack(decision.cause, state, deployment, roundEvents);
  }

  private async rollBack(cause: FailureCause, state: GuardState, deployment: DeploymentJson, roundEvents: CloudEventInput[]): Promise<GuardReport> {
    const plan = planUndo(deployment, await this.deps.kube.replicaSets(deployment));
    const planned = plan.ok ? { plan: { fromRevision: plan.fromRevision, toRevision: plan.toRevision, toVersion: versionOf(plan.images) } } : {};
    const refusal = this.request.action.kind === 'manual' ? this.request.action.reason : plan.ok ? undefined : `cannot roll back: ${plan.reason}`;
    if (refusal !== undefined || !plan.ok) {
      const reason = `${cause.reason}; ${refusal}`;
      await this.record([...roundEvents, haltedEvent(this.subject, this.deps.clock.now(), { verdict: 'failed', reason, cause })]);
      return this.report('failed', reason, state, { cause, ...planned });
    }
    if (this.request.dryRun) return this.report('would-roll-back', cause.reason, state, { cause, ...planned });
    const toVersion = versionOf(plan.images);
    const began = this.deps.clock.now();
    await this.record([...roundEvents, rollbackStartedEvent(this.subject, began, cause, toVersion)]);
    let patched: DeploymentJson;
    try {
      patched = await this.deps.kube.patch(plan.patch);
    } catch (error) {
      // the patch tests the revision: a refusal because someone else moved the Deployment is not bad input
      const revision = await this.deps.kube.read().then((current) => revisionOf(current.metadata.annotations), () => this.subject.revision);
      const now = this.deps.clock.now();
      const failed = rollbackFailedEvent(this.subject, now, cause, toVersion, now.getTime() - began.getTime());
      if (revision === this.subject.revision) {
        await this.record([failed]);
        throw error;
      }
      const reason = `the Deployment moved to revision ${revision ?? 'none'} before the rollback patch landed; nothing was patched`;
      await this.record([failed, haltedEvent(this.subject, now, { verdict: 'superseded', reason, cause })]);
      return this.report('superseded', reason, state, { cause, ...planned });
    }
    const result = await this.waitForRollback(patched, plan.toRevision);
    const durationMs = this.deps.clock.now().getTime() - began.getTime();
    const outcome = result.completed ? 'succeeded' : 'failed';
    await this.record(rolledBackEvents(this.subject, this.deps.clock.now(), cause, { fromRevision: plan.fromRevision, toRevision: plan.toRevision, newRevision: result.newRevision, toVersion, outcome, durationMs }));
    return this.report('rolled-back', cause.reason, state, { cause, ...planned, rollback: { ...result, durationMs } });
  }

  /** Polls until the rollout of the restored template completes, stalls, or outlives the Deployment's progress deadline. */
  private async waitForRollback(patched: DeploymentJson, toRevision: number): Promise<{ completed: boolean; newRevision: number | undefined }> {
    const generation = patched.metadata.generation ?? 0;
    const deadline = this.deps.clock.now().getTime() + (patched.spec.progressDeadlineSeconds ?? 600) * 1000;
    for (;;) {
      const current = await this.readWithRetries().catch(() => undefined);
      if (!current) return { completed: false, newRevision: undefined };
      const progress = rolloutProgress(current);
      this.onProgress({ kind: 'rolling-back', toRevision, progress });
      if (progress.generation >= generation && progress.phase === 'complete') return { completed: true, newRevision: progress.revision };
      if (progress.phase === 'stalled' || this.deps.clock.now().getTime() > deadline) return { completed: false, newRevision: progress.revision };
      await this.deps.sleep(this.pollMs);
    }
  }

  /** The first read; the guard waits until the controller has observed the latest spec, so it knows the revision it guards. */
  private async observed(): Promise<DeploymentJson> {
    let deployment = await this.deps.kube.read();
    const until = this.deps.clock.now().getTime() + 30_000;
    while (rolloutProgress(deployment).phase === 'observing' && this.deps.clock.now().getTime() < until) {
      this.onProgress({ kind: 'waiting', message: `waiting for the deployment controller to observe ${this.deps.kube.target}` });
      await this.deps.sleep(this.pollMs);
      deployment = await this.deps.kube.read();
    }
    return deployment;
  }

  /** Rides out a Kubernetes API blip of up to consecutiveErrorLimit failed reads in a row. */
  private async readWithRetries(): Promise<DeploymentJson> {
    for (let failures = 0; ; failures += 1) {
      try {
        return await this.deps.kube.read();
      } catch (error) {
        if (!isSteadyopsError(error) || error.code !== 'SO_E_UNREACHABLE' || failures >= this.limits.consecutiveErrorLimit) throw error;
        this.onProgress({ kind: 'waiting', message: `${error.message}; retrying` });
        await this.deps.sleep(this.pollMs);
      }
    }
  }

  private async measure(now: Date): Promise<Measurement[]> {
    const at = now.toISOString();
    const { criteria } = this.request;
    try {
      const answers = await this.deps.prometheus.queryAll(criteria.map((criterion) => criterion.query));
      return criteria.map((criterion, index) => judgeSamples(criterion, answers[index] ?? [], at));
    } catch (error) {
      return criteria.map((criterion) => erroredMeasurement(criterion, messageOf(error), at));
    }
  }

  private async record(events: readonly CloudEventInput[]): Promise<void> {
    if (this.request.dryRun || events.length === 0) return;
    await this.deps.ledger.append(events.map((event) => ({ actor: this.request.actor, event })));
  }

  private subjectOf(deployment: DeploymentJson, baseline: UndoPlan): GuardSubject {
    const { service, environment, namespace, context } = this.request;
    return {
      guardId: randomUUID(),
      service,
      environment,
      namespace,
      deployment: this.request.deployment,
      ...(context ? { context } : {}),
      revision: revisionOf(deployment.metadata.annotations),
      version: versionOf(imagesOf(deployment.spec.template)),
      ...(baseline.ok ? { previous: { revision: baseline.toRevision, version: versionOf(baseline.images) } } : {}),
    };
  }

  private report(outcome: GuardOutcome, reason: string, state: GuardState, extra: Pick<GuardReport, 'cause' | 'plan' | 'rollback'> = {}): GuardReport {
    return { outcome, reason, subject: this.subject, analysis: state.analysis, ...extra, elapsedMs: this.deps.clock.now().getTime() - this.startedAt };
  }
}

function versionOf(images: readonly string[]): string {
  return images.join(', ') || '(no containers)';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
