import { ApiException, AppsV1Api, type KubeConfig, type V1LabelSelector, type V1ReplicaSet } from '@kubernetes/client-node';
import { SteadyopsError } from '../../lib/errors.ts';

export const revisionAnnotation = 'deployment.kubernetes.io/revision';

export interface ReplicaSetSummary {
  readonly name: string;
  readonly revision: number;
  readonly images: readonly string[];
  readonly replicas: number;
}

export interface DeploymentTarget {
  readonly namespace: string;
  readonly deployment: string;
}

/** What Kubernetes says about the ReplicaSet `kubectl rollout undo` would return to. */
export type PreviousReplicaSetCheck =
  | (DeploymentTarget & { readonly status: 'found'; readonly context: string; readonly current?: ReplicaSetSummary; readonly previous: ReplicaSetSummary })
  | (DeploymentTarget & { readonly status: 'missing'; readonly context: string; readonly current?: ReplicaSetSummary; readonly reason: string })
  | { readonly status: 'not-checked'; readonly reason: string };

/**
 * Reads the Deployment and its ReplicaSets (by the Deployment's selector, controlled by it) and
 * picks the one with the second-highest revision. An API that cannot be reached is SO_E_UNREACHABLE.
 */
export async function findPreviousReplicaSet(kubeConfig: KubeConfig, target: DeploymentTarget, options: { timeoutMs?: number } = {}): Promise<PreviousReplicaSetCheck> {
  const apps = kubeConfig.makeApiClient(AppsV1Api);
  const context = kubeConfig.getCurrentContext();
  const where = kubeConfig.getCurrentCluster()?.server ?? `context ${context}`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const { namespace, deployment: name } = target;
  let deployment;
  try {
    deployment = await withTimeout(apps.readNamespacedDeployment({ name, namespace }), timeoutMs);
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) {
      return { ...target, status: 'missing', context, reason: `Deployment ${namespace}/${name} does not exist in context ${context}` };
    }
    throw unreachable(where, error);
  }
  const labelSelector = selectorString(deployment.spec?.selector);
  const list = await withTimeout(apps.listNamespacedReplicaSet({ namespace, ...(labelSelector ? { labelSelector } : {}) }), timeoutMs).catch((error: unknown) => {
    throw unreachable(where, error);
  });
  const { current, previous } = pickPreviousReplicaSet(deployment.metadata?.uid, list.items);
  if (previous) return { ...target, status: 'found', context, ...(current ? { current } : {}), previous };
  return {
    ...target,
    status: 'missing',
    context,
    ...(current ? { current } : {}),
    reason: `Deployment ${namespace}/${name} keeps no ReplicaSet older than revision ${current?.revision ?? '?'} (first rollout, or revisionHistoryLimit pruned it); rolling back means deploying the old version again`,
  };
}

/** Pure: the current (highest revision) and previous (second-highest) ReplicaSet the Deployment controls. */
export function pickPreviousReplicaSet(deploymentUid: string | undefined, replicaSets: readonly V1ReplicaSet[]): { current?: ReplicaSetSummary; previous?: ReplicaSetSummary } {
  const owned = replicaSets
    .filter((replicaSet) => deploymentUid !== undefined && (replicaSet.metadata?.ownerReferences ?? []).some((owner) => owner.controller === true && owner.uid === deploymentUid))
    .map(summarise)
    .filter((summary): summary is ReplicaSetSummary => summary !== undefined)
    .sort((a, b) => b.revision - a.revision);
  const [current, previous] = owned;
  return { ...(current ? { current } : {}), ...(previous ? { previous } : {}) };
}

function summarise(replicaSet: V1ReplicaSet): ReplicaSetSummary | undefined {
  const revision = Number(replicaSet.metadata?.annotations?.[revisionAnnotation]);
  if (!Number.isInteger(revision)) return undefined;
  return {
    name: replicaSet.metadata?.name ?? '?',
    revision,
    images: (replicaSet.spec?.template?.spec?.containers ?? []).map((container) => container.image ?? '?'),
    replicas: replicaSet.status?.replicas ?? replicaSet.spec?.replicas ?? 0,
  };
}

/** A label selector as the API's `labelSelector` query parameter: `app=web,tier in (a,b)`. */
export function selectorString(selector: V1LabelSelector | undefined): string {
  const labels = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  const expressions = (selector?.matchExpressions ?? []).map(({ key, operator, values }) => {
    if (operator === 'In') return `${key} in (${(values ?? []).join(',')})`;
    if (operator === 'NotIn') return `${key} notin (${(values ?? []).join(',')})`;
    if (operator === 'Exists') return key;
    return `!${key}`;
  });
  return [...labels, ...expressions].join(',');
}

function unreachable(where: string, error: unknown): SteadyopsError {
  const detail = error instanceof ApiException ? `HTTP ${error.code}` : ((error as Error).message ?? String(error));
  return new SteadyopsError('SO_E_UNREACHABLE', { target: `Kubernetes API ${where}`, detail }, [], { cause: error });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
