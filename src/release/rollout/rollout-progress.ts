import type { DeploymentJson } from '../../connectors/kubernetes/deployment-rollout.ts';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';

/**
 * - `observing`: the controller has not seen the latest spec yet (observedGeneration < generation)
 * - `progressing`: new pods are still coming up or old ones going away
 * - `complete`: every replica runs the current template and is available
 * - `stalled`: the controller gave up (Progressing condition with reason ProgressDeadlineExceeded)
 */
export type RolloutPhase = 'observing' | 'progressing' | 'complete' | 'stalled';

export interface RolloutProgress {
  readonly phase: RolloutPhase;
  /** the Deployment's `deployment.kubernetes.io/revision`; undefined before the controller set one */
  readonly revision: number | undefined;
  readonly generation: number;
  readonly desired: number;
  readonly updated: number;
  readonly available: number;
  /** every pod, old and new */
  readonly total: number;
  readonly message: string;
}

/** Where a rollout stands, by the same tests as `kubectl rollout status`. */
export function rolloutProgress(deployment: DeploymentJson): RolloutProgress {
  const status = deployment.status ?? {};
  const generation = deployment.metadata.generation ?? 0;
  const desired = deployment.spec.replicas ?? 1;
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const total = status.replicas ?? 0;
  const base = { revision: revisionOf(deployment.metadata.annotations), generation, desired, updated, available, total };
  if ((status.observedGeneration ?? 0) < generation) return { ...base, phase: 'observing', message: 'waiting for the controller to observe the new spec' };
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') return { ...base, phase: 'stalled', message: progressing.message ?? 'progress deadline exceeded' };
  if (updated < desired) return { ...base, phase: 'progressing', message: `${updated} of ${desired} replicas updated` };
  if (total > updated) return { ...base, phase: 'progressing', message: `${total - updated} old replicas pending termination` };
  if (available < updated) return { ...base, phase: 'progressing', message: `${available} of ${updated} updated replicas available` };
  return { ...base, phase: 'complete', message: `${updated}/${desired} replicas updated and available` };
}

export function revisionOf(annotations: Readonly<Record<string, string>> | undefined): number | undefined {
  const text = annotations?.[revisionAnnotation];
  const revision = text === undefined ? Number.NaN : Number(text);
  return Number.isInteger(revision) ? revision : undefined;
}
