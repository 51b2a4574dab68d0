import { createHash, randomUUID } from 'node:crypto';
import type { KubeObject, KubeStore } from './kube-store.ts';

const revisionKey = 'deployment.kubernetes.io/revision';
const hashLabel = 'pod-template-hash';

export interface RolloutTiming {
  /** how long a healthy rollout takes from template change to Available */
  readonly completeAfterMs: number;
}

/**
 * The deployment controller, reduced to what kubectl and watchers observe: a ReplicaSet per pod
 * template (revision annotations on both), pods of the current ReplicaSet, and a status that
 * completes a rollout shortly after a template change, or times out by progressDeadlineSeconds
 * when an image is tagged `:broken`.
 */
export class RolloutController {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly store: KubeStore,
    private readonly timing: RolloutTiming,
  ) {}

  /** Called after every Deployment write; acts when the spec moved past the observed generation. */
  reconcile(namespace: string, name: string): void {
    const deployment = this.store.get('deployments', namespace, name);
    if (!deployment || (deployment.status?.observedGeneration ?? 0) >= (deployment.metadata.generation ?? 1)) return;
    const replicaSet = this.syncReplicaSets(deployment);
    this.startRollout(deployment, replicaSet);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private syncReplicaSets(deployment: KubeObject): KubeObject {
    const namespace = deployment.metadata.namespace ?? 'default';
    const hash = templateHash(deployment.spec.template);
    const owned = this.store
      .list('replicasets', namespace)
      .filter((rs) => rs.metadata.ownerReferences?.some((ref) => ref.controller && ref.uid === deployment.metadata.uid));
    const revision = Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations?.[revisionKey] ?? 0)));
    const current = owned.find((rs) => rs.metadata.labels?.[hashLabel] === hash);
    const currentRevision = current && Number(current.metadata.annotations?.[revisionKey]) === revision ? revision : revision + 1;
    const replicaSet = current
      ? this.store.update('replicasets', withRevision(current, currentRevision))
      : this.store.create('replicasets', newReplicaSet(deployment, hash, currentRevision), new Date());
    const latest = this.store.get('deployments', namespace, deployment.metadata.name) as KubeObject;
    if (latest.metadata.annotations?.[revisionKey] !== String(currentRevision)) this.store.update('deployments', withRevision(latest, currentRevision));
    return replicaSet;
  }

  private startRollout(deployment: KubeObject, replicaSet: KubeObject): void {
    const { namespace = 'default', name } = deployment.metadata;
    const generation = deployment.metadata.generation ?? 1;
    const replicas = deployment.spec.replicas ?? 1;
    this.writeStatus(namespace, name, generation, (status) => ({
      ...status,
      observedGeneration: generation,
      replicas: (status.replicas ?? 0) + replicas,
      updatedReplicas: 0,
      conditions: upsertCondition(status.conditions, progressing('True', 'NewReplicaSetCreated', `ReplicaSet "${replicaSet.metadata.name}" is progressing.`)),
    }));
    const broken = deployment.spec.template.spec.containers.some((container: { image?: string }) => container.image?.endsWith(':broken'));
    const deadlineMs = (deployment.spec.progressDeadlineSeconds ?? 600) * 1000;
    this.later(broken ? deadlineMs : this.timing.completeAfterMs, () =>
      broken ? this.failRollout(namespace, name, generation, replicaSet) : this.completeRollout(namespace, name, generation, replicaSet),
    );
  }

  private completeRollout(namespace: string, name: string, generation: number, replicaSet: KubeObject): void {
    const deployment = this.store.get('deployments', namespace, name);
    if (deployment?.metadata.generation !== generation) return;
    const replicas = deployment.spec.replicas ?? 1;
    this.scaleReplicaSets(deployment, replicaSet.metadata.name, replicas);
    this.writeStatus(namespace, name, generation, (status) => ({
      ...status,
      replicas,
      updatedReplicas: replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      conditions: upsertCondition(
        upsertCondition(status.conditions, condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')),
        progressing('True', 'NewReplicaSetAvailable', `ReplicaSet "${replicaSet.metadata.name}" has successfully progressed.`),
      ),
    }));
  }

  private failRollout(namespace: string, name: string, generation: number, replicaSet: KubeObject): void {
    this.writeStatus(namespace, name, generation, (status) => ({
      ...status,
      conditions: upsertCondition(
        status.conditions,
        progressing('False', 'ProgressDeadlineExceeded', `ReplicaSet "${replicaSet.metadata.name}" has timed out progressing.`),
      ),
    }));
  }

  private scaleReplicaSets(deployment: KubeObject, current: string, replicas: number): void {
    const namespace = deployment.metadata.namespace ?? 'default';
    for (const rs of this.store.list('replicasets', namespace)) {
      if (!rs.metadata.ownerReferences?.some((ref) => ref.uid === deployment.metadata.uid)) continue;
      const desired = rs.metadata.name === current ? replicas : 0;
      if (rs.spec.replicas !== desired || rs.status?.replicas !== desired) {
        this.store.update('replicasets', { ...rs, spec: { ...rs.spec, replicas: desired }, status: readyStatus(desired, rs.metadata.generation) });
      }
      this.syncPods(rs, desired);
    }
  }

  private syncPods(replicaSet: KubeObject, replicas: number): void {
    const namespace = replicaSet.metadata.namespace ?? 'default';
    const pods = this.store.list('pods', namespace).filter((pod) => pod.metadata.ownerReferences?.some((ref) => ref.uid === replicaSet.metadata.uid));
    for (const pod of pods.slice(replicas)) this.store.delete('pods', namespace, pod.metadata.name);
    for (let index = pods.length; index < replicas; index += 1) this.store.create('pods', newPod(replicaSet), new Date());
  }

  private writeStatus(namespace: string, name: string, generation: number, change: (status: any) => any): void {
    const deployment = this.store.get('deployments', namespace, name);
    if (deployment?.metadata.generation !== generation) return;
    this.store.update('deployments', { ...deployment, status: change(deployment.status ?? {}) });
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }
}

/** Equal templates hash alike even as kubectl serialises them (`creationTimestamp: null`, `resources: {}`). */
export function templateHash(template: unknown): string {
  const copy = structuredClone(template) as { metadata?: { labels?: Record<string, string> } };
  delete copy.metadata?.labels?.[hashLabel];
  return createHash('sha256').update(JSON.stringify(normalise(copy) ?? {})).digest('hex').slice(0, 10);
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(normalise);
  if (value === null || typeof value !== 'object') return value ?? undefined;
  const entries = Object.entries(value)
    .map(([key, inner]) => [key, normalise(inner)] as const)
    .filter(([, inner]) => inner !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

function withRevision(object: KubeObject, revision: number): KubeObject {
  return { ...object, metadata: { ...object.metadata, annotations: { ...object.metadata.annotations, [revisionKey]: String(revision) } } };
}

function newReplicaSet(deployment: KubeObject, hash: string, revision: number): KubeObject {
  const template = structuredClone(deployment.spec.template);
  template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [hashLabel]: hash } };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name: `${deployment.metadata.name}-${hash}`,
      namespace: deployment.metadata.namespace ?? 'default',
      labels: { ...template.metadata.labels },
      annotations: {
        [revisionKey]: String(revision),
        'deployment.kubernetes.io/desired-replicas': String(deployment.spec.replicas ?? 1),
        'deployment.kubernetes.io/max-replicas': String((deployment.spec.replicas ?? 1) + 1),
      },
      ownerReferences: [ownerReference(deployment)],
    },
    spec: {
      replicas: 0,
      selector: { matchLabels: { ...deployment.spec.selector?.matchLabels, [hashLabel]: hash } },
      template,
    },
    status: { replicas: 0 },
  };
}

function newPod(replicaSet: KubeObject): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${replicaSet.metadata.name}-${randomUUID().slice(0, 5)}`,
      namespace: replicaSet.metadata.namespace ?? 'default',
      labels: { ...replicaSet.spec.template.metadata?.labels },
      ownerReferences: [ownerReference(replicaSet)],
    },
    spec: structuredClone(replicaSet.spec.template.spec),
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function ownerReference(owner: KubeObject) {
  return { apiVersion: 'apps/v1', kind: owner.kind ?? 'Deployment', name: owner.metadata.name, uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

function readyStatus(replicas: number, generation: number | undefined) {
  return { replicas, fullyLabeledReplicas: replicas, readyReplicas: replicas, availableReplicas: replicas, observedGeneration: generation ?? 1 };
}

function condition(type: string, status: string, reason: string, message: string) {
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return { type, status, reason, message, lastUpdateTime: now, lastTransitionTime: now };
}

function progressing(status: string, reason: string, message: string) {
  return condition('Progressing', status, reason, message);
}

function upsertCondition(conditions: { type: string }[] | undefined, next: { type: string }) {
  return [...(conditions ?? []).filter((existing) => existing.type !== next.type), next];
}
