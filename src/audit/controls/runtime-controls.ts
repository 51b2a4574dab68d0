import type { Control, FindingDraft } from '../control.ts';
import type { AuditFacts } from '../facts.ts';
import { asArray, asNumber, asRecord, asString, compareStrings, listed, stableJson, valueAt, type PlainRecord } from './plain-values.ts';
import {
  allContainers,
  appContainers,
  containerDrafts,
  containerName,
  containersNamed,
  minimumReplicas,
  objectResource,
  objectsOfKind,
  podWorkloads,
  sameNamespace,
  selectorMatches,
  stringMap,
  tierOneServiceOf,
  workloadDraft,
  workloadOwner,
  type PodContainer,
  type PodWorkload,
} from './pod-workloads.ts';

/** RUN: how workloads run on Kubernetes (kube-score and Polaris checks, tiered by the model). */
export const runtimeControls: readonly Control[] = [
  {
    id: 'RUN-001',
    title: 'Container has no readiness probe',
    domain: 'runtime',
    severity: 'high',
    risk: 'Without a readiness probe Kubernetes sends traffic to a pod as soon as its process starts and keeps sending it while the pod cannot serve; a rolling update also counts broken pods as ready and replaces every healthy one.',
    detection: 'Containers with ports (or every container of a pod a Kubernetes Service selects) in a Deployment, StatefulSet, DaemonSet, ReplicaSet or Argo Rollout pod template without readinessProbe.',
    remediation: 'Give every serving container a readiness probe that answers only when the container can serve requests (dependencies reachable, caches warm).',
    example: [
      'containers:',
      '  - name: checkout-api',
      '    readinessProbe:',
      '      httpGet: { path: /readyz, port: http }',
      '      periodSeconds: 5',
      '      failureThreshold: 3',
    ].join('\n'),
    effort: 'S',
    soc2: ['A1.2', 'CC8.1'],
    needs: ['kubernetes'],
    evaluate: (facts) =>
      containerDrafts(facts, {
        workloads: (workload) => workload.longRunning,
        containers: (workload) => servingContainers(facts, workload),
        problem: (container) => (container.spec['readinessProbe'] ? undefined : container.name),
        evidence: (workload, names) =>
          `${containersOf(names, workload, 'has', 'have')} no readinessProbe: the pod receives traffic before it can serve it.`,
      }),
  },
  {
    id: 'RUN-002',
    title: 'Container has no liveness probe',
    domain: 'runtime',
    severity: 'low',
    risk: 'A container that hangs (deadlock, exhausted pool) without exiting is never restarted; it stays up doing nothing until someone notices and deletes the pod.',
    detection: 'Containers of long-running workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Argo Rollout) without livenessProbe.',
    remediation: 'Add a liveness probe that checks only the process itself (not its dependencies), with a generous failure threshold so slow moments do not restart it.',
    example: [
      'containers:',
      '  - name: checkout-api',
      '    livenessProbe:',
      '      httpGet: { path: /healthz, port: http }',
      '      initialDelaySeconds: 10',
      '      periodSeconds: 10',
      '      failureThreshold: 6',
    ].join('\n'),
    effort: 'S',
    soc2: ['A1.2', 'CC7.5'],
    needs: ['kubernetes'],
    evaluate: (facts) =>
      containerDrafts(facts, {
        workloads: (workload) => workload.longRunning,
        containers: appContainers,
        problem: (container) => (container.spec['livenessProbe'] ? undefined : container.name),
        evidence: (workload, names) =>
          `${containersOf(names, workload, 'has', 'have')} no livenessProbe: a hung process is never restarted.`,
      }),
  },
  {
    id: 'RUN-003',
    title: 'Liveness probe is identical to the readiness probe',
    domain: 'runtime',
    severity: 'medium',
    risk: 'When the liveness probe checks the same thing as readiness, a slow dependency makes every pod fail liveness at once and Kubernetes restarts them all together: a dependency blip becomes a full outage.',
    detection: 'Containers whose livenessProbe and readinessProbe use the same handler (httpGet, tcpSocket, exec or grpc with the same arguments), as kube-score checks.',
    remediation: 'Point readiness at a check that includes dependencies and liveness at one that only proves the process responds, or drop liveness when it cannot be made different.',
    example: [
      'readinessProbe:',
      '  httpGet: { path: /readyz, port: http }   # checks the database and caches',
      'livenessProbe:',
      '  httpGet: { path: /healthz, port: http }  # the process answers, nothing else',
      '  failureThreshold: 6',
    ].join('\n'),
    effort: 'S',
    soc2: ['A1.2'],
    needs: ['kubernetes'],
    evaluate: (facts) =>
      containerDrafts(facts, {
        workloads: (workload) => workload.longRunning,
        containers: appContainers,
        problem: (container) => (sameProbeHandler(container.spec['livenessProbe'], container.spec['readinessProbe']) ? container.name : undefined),
        evidence: (workload, names) =>
          `${containersOf(names, workload, 'uses', 'use')} the same check for liveness and readiness: a slow dependency restarts every pod at once.`,
      }),
  },
  {
    id: 'RUN-004',
    title: 'Container has no CPU or memory request',
    domain: 'runtime',
    severity: 'medium',
    risk: 'The scheduler places pods without requests as if they cost nothing, so nodes are overcommitted and these pods are the first evicted and throttled under pressure.',
    detection: 'Containers (init containers included) with neither resources.requests nor resources.limits for cpu or memory, and no LimitRange in their namespace supplying a default.',
    remediation: 'Set CPU and memory requests from observed usage (for example the p95 over a week); a limit alone also sets the request to the same value.',
    example: ['resources:', '  requests: { cpu: 250m, memory: 256Mi }', '  limits: { memory: 512Mi }'].join('\n'),
    effort: 'S',
    soc2: ['A1.1'],
    needs: ['kubernetes'],
    evaluate: (facts) =>
      containerDrafts(facts, {
        containers: allContainers,
        problem: (container, workload) => {
          const missing = (['cpu', 'memory'] as const).filter(
            (resource) => !declaresResource(container, 'requests', resource) && !declaresResource(container, 'limits', resource) && !namespaceDefault(facts, workload, 'defaultRequest', resource),
          );
          return missing.length > 0 ? `${containerName(container)} (${missing.join(' and ')})` : undefined;
        },
        evidence: (workload, problems) => `${workload.resource} requests no resources for ${containersNamed(problems)}.`,
      }),
  },
  {
    id: 'RUN-005',
    title: 'Container has no memory limit',
    domain: 'runtime',
    severity: 'medium',
    risk: 'A container without a memory limit can take the whole node when it leaks, and the kernel then kills whichever pods it picks, including other services.',
    detection: 'Containers (init containers included) without resources.limits.memory and no LimitRange default memory limit in their namespace.',
    remediation: 'Set a memory limit above the container\'s normal peak (a CPU limit is optional and often better left out to avoid throttling).',
    example: ['resources:', '  requests: { cpu: 250m, memory: 256Mi }', '  limits: { memory: 512Mi }'].join('\n'),
    effort: 'S',
    soc2: ['A1.1'],
    needs: ['kubernetes'],
    evaluate: (facts) =>
      containerDrafts(facts, {
        containers: allContainers,
        problem: (container, workload) =>
          declaresResource(container, 'limits', 'memory') || namespaceDefault(facts, workload, 'default', 'memory') ? undefined : containerName(container),
        evidence: (workload, names) => `${containersOf(names, workload, 'has', 'have')} no memory limit.`,
      }),
  },
  {
    id: 'RUN-006',
    title: 'Container image is not pinned (latest or no tag)',
    domain: 'runtime',
    severity: 'high',
    risk: 'An image tagged `latest` (or untagged) means whatever was pushed last: pods started on different days run different code, and a rollback redeploys the same moving tag instead of the previous version.',
    detection: 'Container images (init containers included) without a digest whose tag is missing or `latest`.',
    remediation: 'Deploy an immutable version tag, preferably with its digest, and let the pipeline write it into the manifest (kustomize `images:` or Helm values).',
    example: 'image: ghcr.io/northwind/checkout-api:v3.28.0@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945',
    effort: 'S',
    soc2: ['CC8.1', 'CC7.1'],
    needs: ['kubernetes'],
    evaluate: (facts) =>
      containerDrafts(facts, {
        containers: allContainers,
        problem: (container) => {
          const image = asString(container.spec['image']);
          return image && isUnpinnedImage(image) ? `${containerName(container)} runs ${image}` : undefined;
        },
        evidence: (workload, problems) => `In ${workload.resource}, ${listed(problems)}: a moving tag, not a version.`,
      }),
  },
  {
    id: 'RUN-007',
    title: 'Container runs privileged',
    domain: 'runtime',
    severity: 'high',
    risk: 'A privileged container has every capability and the host\'s devices: anyone who gets code execution in it owns the node and every other pod on it.',
    detection: 'Containers (init containers included) with securityContext.privileged: true.',
    remediation: 'Remove privileged and add only the capability the container needs; keep truly privileged node agents in their own namespace with a documented risk acceptance.',
    example: ['securityContext:', '  privileged: false', '  allowPrivilegeEscalation: false', '  capabilities: { drop: [ALL], add: [NET_BIND_SERVICE] }'].join('\n'),
    effort: 'M',
    soc2: ['CC6.1', 'CC6.8'],
    needs: ['kubernetes'],
    evaluate: (facts) =>
      containerDrafts(facts, {
        containers: allContainers,
        problem: (container) => (valueAt(container.spec, 'securityContext.privileged') === true ? containerName(container) : undefined),
        evidence: (workload, names) => `${containersOf(names, workload, 'runs', 'run')} privileged (securityContext.privileged: true).`,
      }),
  },
  {
    id: 'RUN-008',
    title: 'Container runs with a weak securityContext',
    domain: 'runtime',
    severity: 'medium',
    risk: 'A container that may run as root, gain privileges or write to its own filesystem turns any remote-code bug into persistence and an easier path to the node.',
    detection: 'Containers (init containers included) that may run as root (no runAsNonRoot: true or non-zero runAsUser on the container or pod), do not set allowPrivilegeEscalation: false, do not set readOnlyRootFilesystem: true, or add ALL, SYS_ADMIN, NET_ADMIN or SYS_PTRACE capabilities.',
    remediation: 'Run as a non-root user, forbid privilege escalation, mount the root filesystem read-only (with an emptyDir for scratch space) and drop all capabilities.',
    example: [
      'spec:',
      '  securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: RuntimeDefault } }',
      '  containers:',
      '    - name: checkout-api',
      '      securityContext:',
      '        allowPrivilegeEscalation: false',
      '        readOnlyRootFilesystem: true',
      '        capabilities: { drop: [ALL] }',
      '      volumeMounts: [{ name: tmp, mountPath: /tmp }]',
      '  volumes: [{ name: tmp, emptyDir: {} }]',
    ].join('\n'),
    effort: 'M',
    soc2: ['CC6.1', 'CC6.8'],
    needs: ['kubernetes'],
    evaluate: (facts) =>
      containerDrafts(facts, {
        containers: allContainers,
        problem: (container, workload) => {
          const gaps = securityGaps(container, workload.podSpec);
          return gaps.length > 0 ? `${containerName(container)} ${gaps.join(', ')}` : undefined;
        },
        evidence: (workload, problems) => `In ${workload.resource}: ${problems.join('; ')}.`,
      }),
  },
  {
    id: 'RUN-009',
    title: "Pod shares the node's network, PID or IPC namespace",
    domain: 'runtime',
    severity: 'high',
    risk: "A pod on the host's network, process or IPC namespace sees and can reach everything on the node: other pods' traffic and processes, and services bound to localhost.",
    detection: 'Pod templates with hostNetwork, hostPID or hostIPC set to true.',
    remediation: 'Remove the host namespaces and expose the pod through a Service; keep node agents that need them in a dedicated namespace with a risk acceptance.',
    example: ['spec:', '  hostNetwork: false', '  hostPID: false', '  hostIPC: false'].join('\n'),
    effort: 'M',
    soc2: ['CC6.1', 'CC6.6'],
    needs: ['kubernetes'],
    evaluate: (facts) =>
      podWorkloads(facts).flatMap((workload) => {
        const shared = (['hostNetwork', 'hostPID', 'hostIPC'] as const).filter((field) => workload.podSpec[field] === true);
        return shared.length > 0 ? [workloadDraft(facts, workload, `${workload.resource} sets ${shared.map((field) => `${field}: true`).join(', ')}.`)] : [];
      }),
  },
  {
    id: 'RUN-010',
    title: 'Tier-1 service runs fewer than 2 replicas',
    domain: 'runtime',
    severity: 'high',
    risk: 'One pod is one node drain, one OOM kill or one bad rollout away from a full outage of a critical service.',
    detection: 'Deployments, StatefulSets and Argo Rollouts that a tier-1 model Service names in runtime (namespace + deployment) with spec.replicas below 2 (default 1) and no HorizontalPodAutoscaler keeping at least 2.',
    remediation: 'Run at least 2 replicas (3 across zones for stateless tier-1 services), or set the autoscaler\'s minReplicas to 2 or more.',
    example: [
      'apiVersion: autoscaling/v2',
      'kind: HorizontalPodAutoscaler',
      'metadata: { name: checkout-api, namespace: payments }',
      'spec:',
      '  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: checkout-api }',
      '  minReplicas: 3',
      '  maxReplicas: 12',
      '  metrics: [{ type: Resource, resource: { name: cpu, target: { type: Utilization, averageUtilization: 70 } } }]',
    ].join('\n'),
    effort: 'S',
    soc2: ['A1.2', 'CC9.1'],
    needs: ['kubernetes', 'model'],
    evaluate: (facts) =>
      tierOneDrafts(facts, (workload) => {
        const replicas = minimumReplicas(facts, workload);
        return replicas < 2 ? `keeps ${replicas} replica${replicas === 1 ? '' : 's'}` : undefined;
      }),
  },
  {
    id: 'RUN-011',
    title: 'Tier-1 workload has no PodDisruptionBudget',
    domain: 'runtime',
    severity: 'high',
    risk: 'Without a PodDisruptionBudget a node drain (a cluster upgrade, the autoscaler removing a node) may evict every pod of a critical service at the same time.',
    detection: 'Workloads of tier-1 model Services that no PodDisruptionBudget in their namespace selects (its selector matches the pod template labels).',
    remediation: 'Add a PodDisruptionBudget selecting the pods that lets at most one be evicted at a time.',
    example: [
      'apiVersion: policy/v1',
      'kind: PodDisruptionBudget',
      'metadata: { name: checkout-api, namespace: payments }',
      'spec:',
      '  maxUnavailable: 1',
      '  selector:',
      '    matchLabels: { app.kubernetes.io/name: checkout-api }',
    ].join('\n'),
    effort: 'S',
    soc2: ['A1.2', 'CC9.1'],
    needs: ['kubernetes', 'model'],
    evaluate: (facts) => tierOneDrafts(facts, (workload) => (budgetsFor(facts, workload).length === 0 ? 'has no PodDisruptionBudget selecting its pods' : undefined)),
  },
  {
    id: 'RUN-012',
    title: 'Tier-1 rollout can take every pod down',
    domain: 'runtime',
    severity: 'high',
    risk: 'A Recreate rollout, or a rolling update whose maxUnavailable covers every replica, stops all pods of a critical service before the new ones are ready: every release is a planned outage, and a bad one is a long outage.',
    detection: 'Deployments of tier-1 model Services with strategy Recreate, or RollingUpdate whose maxUnavailable (default 25%, rounded down) is at least the replica count.',
    remediation: 'Use a rolling update that keeps every replica serving until its replacement is ready (maxUnavailable: 0, maxSurge: 1), or a canary.',
    example: ['spec:', '  strategy:', '    type: RollingUpdate', '    rollingUpdate: { maxSurge: 1, maxUnavailable: 0 }'].join('\n'),
    effort: 'S',
    soc2: ['CC8.1', 'A1.2'],
    needs: ['kubernetes', 'model'],
    evaluate: (facts) => tierOneDrafts(facts, (workload) => (workload.fact.kind === 'Deployment' ? allDownRollout(facts, workload) : undefined)),
  },
  {
    id: 'RUN-013',
    title: 'Tier-1 replicas are not spread across nodes or zones',
    domain: 'runtime',
    severity: 'medium',
    risk: "Without anti-affinity or topology spread constraints the scheduler's default spreading is only best-effort: the replicas of a critical service can land on one node or in one zone and fail together.",
    detection: 'Workloads of tier-1 model Services keeping 2 or more replicas whose pod template has neither affinity.podAntiAffinity nor topologySpreadConstraints.',
    remediation: 'Spread the replicas across zones (and nodes) with topologySpreadConstraints.',
    example: [
      'spec:',
      '  topologySpreadConstraints:',
      '    - maxSkew: 1',
      '      topologyKey: topology.kubernetes.io/zone',
      '      whenUnsatisfiable: ScheduleAnyway',
      '      labelSelector: { matchLabels: { app.kubernetes.io/name: checkout-api } }',
      '    - maxSkew: 1',
      '      topologyKey: kubernetes.io/hostname',
      '      whenUnsatisfiable: DoNotSchedule',
      '      labelSelector: { matchLabels: { app.kubernetes.io/name: checkout-api } }',
    ].join('\n'),
    effort: 'S',
    soc2: ['A1.2', 'CC9.1'],
    needs: ['kubernetes', 'model'],
    evaluate: (facts) =>
      tierOneDrafts(facts, (workload) => {
        const replicas = minimumReplicas(facts, workload);
        const spread = valueAt(workload.podSpec, 'affinity.podAntiAffinity') !== undefined || asArray(workload.podSpec['topologySpreadConstraints']).length > 0;
        return replicas >= 2 && !spread ? `keeps ${replicas} replicas with no podAntiAffinity or topologySpreadConstraints` : undefined;
      }),
  },
  {
    id: 'RUN-014',
    title: 'Deployment keeps no revision history to roll back to',
    domain: 'runtime',
    severity: 'medium',
    risk: '`revisionHistoryLimit: 0` deletes the previous ReplicaSets, so `kubectl rollout undo` (and `steadyops rollout guard`) has nothing to roll back to; recovering from a bad release means rebuilding and redeploying the old version under pressure.',
    detection: 'Deployments with spec.revisionHistoryLimit: 0.',
    remediation: 'Keep a few revisions (the default is 10).',
    example: ['spec:', '  revisionHistoryLimit: 5'].join('\n'),
    effort: 'S',
    soc2: ['CC8.1', 'CC7.5'],
    needs: ['kubernetes'],
    evaluate: (facts) =>
      podWorkloads(facts)
        .filter((workload) => workload.fact.kind === 'Deployment' && valueAt(workload.fact.object, 'spec.revisionHistoryLimit') === 0)
        .map((workload) => workloadDraft(facts, workload, `${workload.resource} sets revisionHistoryLimit: 0: there is no previous ReplicaSet to roll back to.`)),
  },
  {
    id: 'RUN-015',
    title: 'PodDisruptionBudget allows no disruption',
    domain: 'runtime',
    severity: 'low',
    risk: 'A budget that allows no eviction blocks every node drain: cluster upgrades and node replacements stall until someone deletes the budget or the pods by hand, usually in a hurry.',
    detection: 'PodDisruptionBudgets with maxUnavailable 0 (or 0%), or whose minAvailable (an absolute number, or a percentage rounded up) reaches the replica count of a workload it selects.',
    remediation: 'Allow at least one pod to be evicted (maxUnavailable: 1) and run enough replicas to absorb it.',
    example: ['apiVersion: policy/v1', 'kind: PodDisruptionBudget', 'metadata: { name: checkout-api, namespace: payments }', 'spec:', '  maxUnavailable: 1', '  selector: { matchLabels: { app.kubernetes.io/name: checkout-api } }'].join('\n'),
    effort: 'S',
    soc2: ['A1.2', 'CC8.1'],
    needs: ['kubernetes'],
    evaluate: (facts) => blockingBudgets(facts),
  },
];

/** Containers that receive traffic: those with ports, or every container of a pod a Service selects when none declares ports. */
function servingContainers(facts: AuditFacts, workload: PodWorkload): readonly PodContainer[] {
  const withPorts = workload.containers.filter((container) => asArray(container.spec['ports']).length > 0);
  if (withPorts.length > 0) return withPorts;
  const selected = objectsOfKind(facts, 'Service').some((service) => {
    const selector = stringMap(valueAt(service.object, 'spec.selector'));
    // a Service without a selector selects nothing (its endpoints are managed by hand)
    return sameNamespace(service.namespace, workload.fact.namespace) && Object.keys(selector).length > 0 && selectorMatches({ matchLabels: selector }, workload.labels);
  });
  return selected ? workload.containers : [];
}

const probeHandlers = ['httpGet', 'tcpSocket', 'exec', 'grpc'] as const;

function sameProbeHandler(liveness: unknown, readiness: unknown): boolean {
  const live = asRecord(liveness);
  const ready = asRecord(readiness);
  if (!live || !ready) return false;
  const handler = (probe: PlainRecord) => stableJson(Object.fromEntries(probeHandlers.flatMap((key) => (probe[key] === undefined ? [] : [[key, probe[key]]]))));
  return handler(live) === handler(ready) && handler(live) !== '{}';
}

function declaresResource(container: PodContainer, kind: 'requests' | 'limits', resource: 'cpu' | 'memory'): boolean {
  const value = asRecord(valueAt(container.spec, `resources.${kind}`))?.[resource];
  return value !== undefined && value !== null && value !== '';
}

/** A LimitRange in the workload's namespace that fills in a container default. */
function namespaceDefault(facts: AuditFacts, workload: PodWorkload, field: 'default' | 'defaultRequest', resource: 'cpu' | 'memory'): boolean {
  return objectsOfKind(facts, 'LimitRange').some(
    (range) =>
      sameNamespace(range.namespace, workload.fact.namespace) &&
      asArray(valueAt(range.object, 'spec.limits')).some((limit) => {
        const entry = asRecord(limit);
        // a limit default also becomes the request default
        const fields = field === 'defaultRequest' ? ['defaultRequest', 'default'] : ['default'];
        return entry?.['type'] === 'Container' && fields.some((name) => asRecord(entry[name])?.[resource] !== undefined);
      }),
  );
}

/** `nginx`, `nginx:latest` and `registry:5000/app` are moving targets; a digest or any other tag is not. */
export function isUnpinnedImage(image: string): boolean {
  if (image.includes('@') || /\$\{|\{\{/.test(image)) return false;
  const name = image.slice(image.lastIndexOf('/') + 1);
  const colon = name.indexOf(':');
  return colon === -1 || name.slice(colon + 1) === 'latest';
}

const dangerousCapabilities = new Set(['ALL', 'SYS_ADMIN', 'NET_ADMIN', 'SYS_PTRACE']);

function securityGaps(container: PodContainer, podSpec: PlainRecord): string[] {
  const pod = asRecord(podSpec['securityContext']) ?? {};
  const own = asRecord(container.spec['securityContext']) ?? {};
  const gaps: string[] = [];
  const nonRoot = (own['runAsNonRoot'] ?? pod['runAsNonRoot']) === true || (asNumber(own['runAsUser'] ?? pod['runAsUser']) ?? 0) > 0;
  if (!nonRoot) gaps.push('may run as root');
  if (own['allowPrivilegeEscalation'] !== false) gaps.push('allows privilege escalation');
  if (own['readOnlyRootFilesystem'] !== true) gaps.push('has a writable root filesystem');
  const added = asArray(valueAt(own, 'capabilities.add'))
    .map((capability) => String(capability).toUpperCase().replace(/^CAP_/, ''))
    .filter((capability) => dangerousCapabilities.has(capability));
  if (added.length > 0) gaps.push(`adds ${added.join(', ')}`);
  return gaps;
}

/** `container api of Deployment payments/api has`, or `containers api, proxy of ... have`. */
function containersOf(names: readonly string[], workload: PodWorkload, singular: string, plural: string): string {
  return `${containersNamed(names)} of ${workload.resource} ${names.length === 1 ? singular : plural}`;
}

/** One finding per workload of a tier-1 model Service that `problem` finds something wrong with. */
function tierOneDrafts(facts: AuditFacts, problem: (workload: PodWorkload) => string | undefined): FindingDraft[] {
  return podWorkloads(facts).flatMap((workload) => {
    const service = tierOneServiceOf(facts, workload);
    const found = service && problem(workload);
    return found ? [workloadDraft(facts, workload, `${service.name} is tier 1 but ${workload.resource} ${found}.`)] : [];
  });
}

function budgetsFor(facts: AuditFacts, workload: PodWorkload) {
  return objectsOfKind(facts, 'PodDisruptionBudget').filter(
    (budget) => sameNamespace(budget.namespace, workload.fact.namespace) && selectorMatches(valueAt(budget.object, 'spec.selector'), workload.labels),
  );
}

/** An IntOrString (`2`, `"25%"`) as a pod count for `replicas`; percentages round up or down like Kubernetes does for the field. */
function podCount(value: unknown, replicas: number, round: 'up' | 'down'): number | undefined {
  if (typeof value === 'number') return value;
  const text = asString(value);
  if (text === undefined) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const percent = /^(\d+)%$/.exec(text)?.[1];
  if (percent === undefined) return undefined;
  const exact = (replicas * Number(percent)) / 100;
  return round === 'up' ? Math.ceil(exact) : Math.floor(exact);
}

function allDownRollout(facts: AuditFacts, workload: PodWorkload): string | undefined {
  const strategy = asRecord(valueAt(workload.fact.object, 'spec.strategy')) ?? {};
  if (strategy['type'] === 'Recreate') return 'uses strategy Recreate: every pod stops before the new ones start';
  const replicas = minimumReplicas(facts, workload);
  const declared = valueAt(strategy, 'rollingUpdate.maxUnavailable') ?? '25%';
  const unavailable = podCount(declared, replicas, 'down');
  if (unavailable === undefined || replicas < 1 || unavailable < replicas) return undefined;
  return `allows maxUnavailable ${String(declared)} with ${replicas} replica${replicas === 1 ? '' : 's'}: a rollout may stop all of them at once`;
}

const replicatedKinds = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'Rollout']);

function blockingBudgets(facts: AuditFacts): FindingDraft[] {
  const workloads = podWorkloads(facts).filter((workload) => replicatedKinds.has(workload.fact.kind));
  return [...objectsOfKind(facts, 'PodDisruptionBudget')]
    .sort((a, b) => compareStrings(objectResource(a), objectResource(b)))
    .flatMap((budget) => {
      const selected = workloads.filter((workload) => sameNamespace(budget.namespace, workload.fact.namespace) && selectorMatches(valueAt(budget.object, 'spec.selector'), workload.labels));
      const why = budgetBlocks(facts, budget.object, selected);
      if (!why) return [];
      return [
        {
          resource: objectResource(budget),
          location: budget.location,
          evidence: `${objectResource(budget)} ${why}: no pod can be evicted, so node drains hang.`,
          ...(selected[0] ? workloadOwner(facts, selected[0].fact) : {}),
        },
      ];
    });
}

function budgetBlocks(facts: AuditFacts, budget: PlainRecord, selected: readonly PodWorkload[]): string | undefined {
  const maxUnavailable = valueAt(budget, 'spec.maxUnavailable');
  if (maxUnavailable !== undefined) return /^0+%?$/.test(String(maxUnavailable)) ? `sets maxUnavailable: ${String(maxUnavailable)}` : undefined;
  const minAvailable = valueAt(budget, 'spec.minAvailable');
  if (minAvailable === '100%') return 'sets minAvailable: 100%';
  const blocked = selected.find((workload) => {
    const replicas = minimumReplicas(facts, workload);
    const needed = podCount(minAvailable, replicas, 'up');
    return needed !== undefined && needed >= replicas;
  });
  return blocked ? `sets minAvailable: ${String(minAvailable)} for ${blocked.resource}, which keeps ${minimumReplicas(facts, blocked)} replica(s)` : undefined;
}
