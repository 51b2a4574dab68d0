import type { EventToAppend } from '../../ledger/types.ts';
import type { SubjectResolver } from '../resolve-subject.ts';
import type { KubernetesObject, KubernetesWatchEvent } from './kubernetes-objects.ts';

export const kubernetesActor = 'system:kubernetes';

export interface KubernetesMappingOptions {
  readonly resolve: SubjectResolver;
  /** the kubeconfig context (cluster) watched: part of `source`, so clusters stay apart */
  readonly context: string;
  readonly environment: string;
  /** ISO time the change was observed; pure code never reads the clock */
  readonly observedAt: string;
}

interface ImageChange {
  readonly container: string;
  readonly from?: string;
  readonly to?: string;
}

/**
 * Pure: one watch event plus the previous state of the same object (by uid) to ledger events.
 * Ids are uid + generation (workloads) or uid + resourceVersion (ConfigMaps), so a replayed watch
 * maps to the same ids and the ledger acknowledges it as a duplicate.
 */
export function mapKubernetesEvent(
  event: KubernetesWatchEvent,
  previous: KubernetesObject | undefined,
  options: KubernetesMappingOptions,
): EventToAppend[] {
  if (event.kind === 'ConfigMap') return mapConfigMap(event, previous, options);
  if (event.type === 'DELETED') return [];
  return mapWorkload(event, previous, options);
}

function mapWorkload(event: KubernetesWatchEvent, previous: KubernetesObject | undefined, options: KubernetesMappingOptions): EventToAppend[] {
  const current = event.object;
  const { namespace = 'default', name, uid } = current.metadata;
  const generation = current.metadata.generation ?? 1;
  const subject = options.resolve({ namespace, deployment: name });
  const changes = imageChanges(previous, current);
  const templateChanged = previous === undefined || stableJson(previous.spec?.template) !== stableJson(current.spec?.template);
  const base = {
    service: subject ?? name,
    environment: options.environment,
    version: primaryImage(current) ?? `generation-${generation}`,
    ...optional('previousVersion', templateChanged && previous ? primaryImage(previous) : undefined),
    strategy: 'rolling' as const,
    deployId: `${uid}:${generation}`,
    workload: { kind: event.kind, namespace, name },
    ...optional('replicas', current.spec?.replicas),
    generation,
  };
  // the controller writes the revision after it sees the new template, so only the outcome knows it
  const outcome = { ...base, ...optional('revision', revisionOf(current)) };
  const events: EventToAppend[] = [];
  const emit = (verb: 'started' | 'finished' | 'failed', data: Record<string, unknown>) =>
    events.push(envelope(`dev.steadyops.deploy.${verb}`, `${uid}:${generation}:${verb}`, subject, data, options));

  if (templateChanged && (previous !== undefined || event.type === 'ADDED')) emit('started', { ...base, images: changes });
  const rollout = rolloutState(event.kind, current);
  const before = previous && (previous.metadata.generation ?? 1) === generation ? rolloutState(event.kind, previous) : 'progressing';
  if (rollout === 'complete' && before !== 'complete' && previous !== undefined) emit('finished', outcome);
  if (rollout === 'failed' && before !== 'failed' && previous !== undefined) emit('failed', { ...outcome, reason: 'ProgressDeadlineExceeded' });
  return events;
}

function mapConfigMap(event: KubernetesWatchEvent, previous: KubernetesObject | undefined, options: KubernetesMappingOptions): EventToAppend[] {
  const current = event.object;
  const { namespace = 'default', name, uid } = current.metadata;
  const before = event.type === 'ADDED' && !previous ? {} : dataOf(previous);
  const after = event.type === 'DELETED' ? {} : dataOf(current);
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => before[key] !== after[key]).sort();
  if (keys.length === 0 || (previous === undefined && event.type === 'MODIFIED')) return [];
  const labels = current.metadata.labels ?? {};
  const app = labels['app.kubernetes.io/name'] ?? labels['app'] ?? name;
  const subject = options.resolve({ namespace, deployment: app, name: app });
  const verb = (key: string) => (!(key in before) ? 'added' : !(key in after) ? 'removed' : 'changed');
  const summary = (['added', 'changed', 'removed'] as const)
    .map((kind) => [kind, keys.filter((key) => verb(key) === kind)] as const)
    .filter(([, names]) => names.length > 0)
    .map(([kind, names]) => `${kind} ${names.join(', ')}`)
    .join('; ');
  const data = { service: subject ?? name, environment: options.environment, resource: `configmap/${namespace}/${name}`, keys, summary };
  return [envelope('dev.steadyops.config.changed', `${uid}:${current.metadata.resourceVersion ?? '0'}`, subject, data, options)];
}

/** Values are never copied: only whether a key's value changed, through its text. */
function dataOf(object: KubernetesObject | undefined): Record<string, string> {
  return { ...object?.data, ...object?.binaryData };
}

function envelope(type: string, id: string, subject: string | undefined, data: Record<string, unknown>, options: KubernetesMappingOptions): EventToAppend {
  return {
    actor: kubernetesActor,
    event: {
      specversion: '1.0',
      id,
      source: `/kubernetes/${encodeURIComponent(options.context)}`,
      type,
      ...(subject === undefined ? {} : { subject }),
      time: options.observedAt,
      datacontenttype: 'application/json',
      data,
      extensions: { environment: options.environment },
    },
  };
}

export function imageChanges(previous: KubernetesObject | undefined, current: KubernetesObject): ImageChange[] {
  const before = imagesByContainer(previous);
  const after = imagesByContainer(current);
  return [...new Set([...before.keys(), ...after.keys()])]
    .filter((container) => before.get(container) !== after.get(container))
    .map((container) => ({ container, ...optional('from', before.get(container)), ...optional('to', after.get(container)) }));
}

function imagesByContainer(object: KubernetesObject | undefined): Map<string, string | undefined> {
  return new Map((object?.spec?.template?.spec?.containers ?? []).map((container) => [container.name, container.image]));
}

function primaryImage(object: KubernetesObject): string | undefined {
  return object.spec?.template?.spec?.containers?.[0]?.image;
}

function revisionOf(object: KubernetesObject): string | undefined {
  const status = object.status as { updateRevision?: string } | undefined;
  return object.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? status?.updateRevision;
}

type RolloutState = 'progressing' | 'complete' | 'failed';

interface WorkloadStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  readyReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  desiredNumberScheduled?: number;
  updatedNumberScheduled?: number;
  numberAvailable?: number;
  conditions?: { type: string; status: string; reason?: string }[];
}

/** The same tests `kubectl rollout status` applies, per workload kind. */
export function rolloutState(kind: KubernetesWatchEvent['kind'], object: KubernetesObject): RolloutState {
  const status = (object.status ?? {}) as WorkloadStatus;
  if ((status.observedGeneration ?? 0) < (object.metadata.generation ?? 1)) return 'progressing';
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') return 'failed';
  const desired = object.spec?.replicas ?? 1;
  if (kind === 'Deployment') {
    const updated = status.updatedReplicas ?? 0;
    const done = updated >= desired && (status.replicas ?? 0) <= updated && (status.availableReplicas ?? 0) >= updated;
    return done ? 'complete' : 'progressing';
  }
  if (kind === 'StatefulSet') {
    const done = (status.readyReplicas ?? 0) >= desired && (status.updatedReplicas ?? 0) >= desired && status.currentRevision === status.updateRevision;
    return done ? 'complete' : 'progressing';
  }
  const scheduled = status.desiredNumberScheduled;
  if (scheduled === undefined) return 'progressing';
  return (status.updatedNumberScheduled ?? 0) >= scheduled && (status.numberAvailable ?? 0) >= scheduled ? 'complete' : 'progressing';
}

/** Key order and empty values differ between typed list results and raw watch objects; meaning does not. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).filter(([, entry]) => entry !== null && entry !== undefined).sort(([a], [b]) => a.localeCompare(b)))
      : inner,
  );
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
