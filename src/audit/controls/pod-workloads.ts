import type { ResolvedService } from '../../model/resolve.ts';
import type { FindingDraft } from '../control.ts';
import type { AuditFacts, KubernetesObjectFact } from '../facts.ts';
import { asArray, asNumber, asRecord, asRecords, asString, compareStrings, listed, valueAt, type PlainRecord } from './plain-values.ts';

export interface PodContainer {
  readonly name: string;
  readonly init: boolean;
  readonly spec: PlainRecord;
}

/** A Kubernetes object that runs pods from a template, read from its rendered manifest. */
export interface PodWorkload {
  readonly fact: KubernetesObjectFact;
  /** `Deployment payments/checkout-api` */
  readonly resource: string;
  /** the pod template's labels */
  readonly labels: Readonly<Record<string, string>>;
  readonly podSpec: PlainRecord;
  readonly containers: readonly PodContainer[];
  readonly initContainers: readonly PodContainer[];
  /** serves or works continuously (not a Job or CronJob): probes apply */
  readonly longRunning: boolean;
}

/** Where each kind keeps its pod template. */
const templatePaths: Readonly<Record<string, string>> = {
  Deployment: 'spec.template',
  StatefulSet: 'spec.template',
  DaemonSet: 'spec.template',
  ReplicaSet: 'spec.template',
  Rollout: 'spec.template',
  Job: 'spec.template',
  CronJob: 'spec.jobTemplate.spec.template',
};

/** The owning team on a manifest, when the model does not name the workload. */
const ownerLabel = 'steadyops.dev/owner';

const batchKinds = new Set(['Job', 'CronJob']);

/** Kinds a model Service's `runtime.deployment` can name: they keep a replica count. */
const replicatedKinds = new Set(['Deployment', 'StatefulSet', 'Rollout']);

/** `Deployment payments/checkout-api`, or `Deployment checkout-api` when the manifest sets no namespace. */
export function objectResource(fact: KubernetesObjectFact): string {
  return `${fact.kind} ${fact.namespace ? `${fact.namespace}/` : ''}${fact.name}`;
}

export function objectsOfKind(facts: AuditFacts, kind: string): readonly KubernetesObjectFact[] {
  return facts.kubernetes.filter((fact) => fact.kind === kind);
}

/** Every workload with a pod template, sorted by resource so findings come out in a stable order. */
export function podWorkloads(facts: AuditFacts): readonly PodWorkload[] {
  return facts.kubernetes
    .flatMap((fact) => {
      const path = templatePaths[fact.kind];
      const template = path ? asRecord(valueAt(fact.object, path)) : undefined;
      const podSpec = asRecord(template?.['spec']);
      if (!template || !podSpec) return [];
      return [
        {
          fact,
          resource: objectResource(fact),
          labels: stringMap(valueAt(template, 'metadata.labels')),
          podSpec,
          containers: containersOf(podSpec['containers'], false),
          initContainers: containersOf(podSpec['initContainers'], true),
          longRunning: !batchKinds.has(fact.kind),
        },
      ];
    })
    .sort((a, b) => compareStrings(a.resource, b.resource) || compareStrings(a.fact.location.file, b.fact.location.file));
}

function containersOf(value: unknown, init: boolean): PodContainer[] {
  return asRecords(value).map((spec) => ({ name: asString(spec['name']) ?? '?', init, spec }));
}

export function stringMap(value: unknown): Readonly<Record<string, string>> {
  const record = asRecord(value) ?? {};
  return Object.fromEntries(Object.entries(record).flatMap(([key, item]) => (typeof item === 'string' ? [[key, item]] : [])));
}

/** Manifests without a namespace are applied into one chosen at deploy time: they may share it with anything. */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

/** A Kubernetes label selector (matchLabels and matchExpressions) against a pod's labels; an empty selector selects everything. */
export function selectorMatches(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const record = asRecord(selector);
  if (!record) return false;
  const matchLabels = stringMap(record['matchLabels']);
  if (!Object.entries(matchLabels).every(([key, value]) => labels[key] === value)) return false;
  return asRecords(record['matchExpressions']).every((expression) => expressionMatches(expression, labels));
}

function expressionMatches(expression: PlainRecord, labels: Readonly<Record<string, string>>): boolean {
  const key = asString(expression['key']) ?? '';
  const values = asArray(expression['values']).map(String);
  const value = labels[key];
  switch (expression['operator']) {
    case 'In':
      return value !== undefined && values.includes(value);
    case 'NotIn':
      return value === undefined || !values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      return false;
  }
}

/** The model Service whose `runtime` names this workload (namespace + deployment). */
function serviceOfWorkload(facts: AuditFacts, fact: KubernetesObjectFact): ResolvedService | undefined {
  if (!replicatedKinds.has(fact.kind)) return undefined;
  return facts.model?.model.services.find(
    (service) =>
      service.runtime?.kind === 'kubernetes' &&
      service.runtime.deployment === fact.name &&
      (fact.namespace === undefined || service.runtime.namespace === fact.namespace),
  );
}

/** The tier-1 service a workload runs; unknown tier (no model, no runtime match) is not tier 1. */
export function tierOneServiceOf(facts: AuditFacts, workload: PodWorkload): ResolvedService | undefined {
  const service = serviceOfWorkload(facts, workload.fact);
  return service && service.tier === 1 && service.lifecycle !== 'deprecated' ? service : undefined;
}

/** The replicas a workload keeps at least: its HorizontalPodAutoscaler's minimum, else `spec.replicas` (default 1). */
export function minimumReplicas(facts: AuditFacts, workload: PodWorkload): number {
  const autoscaler = objectsOfKind(facts, 'HorizontalPodAutoscaler').find(
    (hpa) =>
      sameNamespace(hpa.namespace, workload.fact.namespace) &&
      valueAt(hpa.object, 'spec.scaleTargetRef.kind') === workload.fact.kind &&
      valueAt(hpa.object, 'spec.scaleTargetRef.name') === workload.fact.name,
  );
  if (autoscaler) return asNumber(valueAt(autoscaler.object, 'spec.minReplicas')) ?? 1;
  return asNumber(valueAt(workload.fact.object, 'spec.replicas')) ?? 1;
}

/** The model service that runs a workload and its team (or the `steadyops.dev/owner` label's team). */
export function workloadOwner(facts: AuditFacts, fact: KubernetesObjectFact): { service?: string; team?: string } {
  const service = serviceOfWorkload(facts, fact);
  const team = service?.owner ?? stringMap(valueAt(fact.object, 'metadata.labels'))[ownerLabel];
  return { ...(service ? { service: service.name } : {}), ...(team ? { team } : {}) };
}

/** A finding about a workload, at its manifest, with its owner. */
export function workloadDraft(facts: AuditFacts, workload: PodWorkload, evidence: string): FindingDraft {
  return { resource: workload.resource, location: workload.fact.location, evidence, ...workloadOwner(facts, workload.fact) };
}

/**
 * One finding per workload listing its containers that have a problem: `problem` returns what is wrong
 * with a container (undefined when nothing is), `evidence` turns the list into a sentence.
 */
export function containerDrafts(
  facts: AuditFacts,
  options: {
    readonly workloads?: (workload: PodWorkload) => boolean;
    readonly containers: (workload: PodWorkload) => readonly PodContainer[];
    readonly problem: (container: PodContainer, workload: PodWorkload) => string | undefined;
    readonly evidence: (workload: PodWorkload, problems: readonly string[]) => string;
  },
): FindingDraft[] {
  return podWorkloads(facts)
    .filter((workload) => options.workloads?.(workload) ?? true)
    .flatMap((workload) => {
      const problems = options.containers(workload).flatMap((container) => {
        const problem = options.problem(container, workload);
        return problem === undefined ? [] : [problem];
      });
      return problems.length > 0 ? [workloadDraft(facts, workload, options.evidence(workload, problems))] : [];
    });
}

export const allContainers = (workload: PodWorkload): readonly PodContainer[] => [...workload.initContainers, ...workload.containers];
export const appContainers = (workload: PodWorkload): readonly PodContainer[] => workload.containers;


/** `api`, or `migrate (init)` for an init container. */
export function containerName(container: PodContainer): string {
  return container.init ? `${container.name} (init)` : container.name;
}

/** `container api` or `containers api, worker`, for evidence. */
export function containersNamed(names: readonly string[]): string {
  return `${names.length === 1 ? 'container' : 'containers'} ${listed(names)}`;
}
