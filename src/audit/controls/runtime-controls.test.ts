import { describe, expect, it } from 'vitest';
import type { AuditFacts } from '../facts.ts';
import { describeControl } from './control-cases.ts';
import { service, withModel } from './control-fixtures.ts';
import { isUnpinnedImage, runtimeControls } from './runtime-controls.ts';
import { budget, deployment, goodContainer, manifest, withKubernetes } from './scanned-fixtures.ts';
import type { KubernetesObjectFact } from '../facts.ts';

const control = (id: string) => runtimeControls.find((entry) => entry.id === id)!;

const runtime = (name: string, namespace = 'payments') => ({ kind: 'kubernetes' as const, namespace, deployment: name });

/** The model: checkout is tier 1, reports tier 2, both running in namespace payments. */
const tiered = (objects: readonly KubernetesObjectFact[]): AuditFacts =>
  withModel(
    { services: [service('checkout', { runtime: runtime('checkout') }), service('reports', { tier: 2, runtime: runtime('reports') })] },
    { kubernetes: objects },
  );

const checkoutBudget = budget('checkout', { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'checkout' } } });

describeControl(control('RUN-001'), {
  triggers: [
    { name: 'a serving container without readiness', facts: withKubernetes([deployment('api', { container: { readinessProbe: undefined } }), deployment('web')]), resources: ['Deployment payments/api'] },
    {
      name: 'a portless container selected by a Service',
      facts: withKubernetes([
        deployment('worker', { container: { ports: undefined, readinessProbe: undefined } }),
        manifest({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'worker', namespace: 'payments' }, spec: { selector: { 'app.kubernetes.io/name': 'worker' } } }),
      ]),
      resources: ['Deployment payments/worker'],
    },
  ],
  passes: [
    { name: 'probes everywhere', facts: withKubernetes([deployment('api')]) },
    { name: 'a queue worker with no ports and no Service', facts: withKubernetes([deployment('worker', { container: { ports: undefined, readinessProbe: undefined } })]) },
    { name: 'a CronJob', facts: withKubernetes([deployment('nightly', { kind: 'CronJob', container: { readinessProbe: undefined } })]) },
  ],
});

describeControl(control('RUN-002'), {
  triggers: [{ name: 'no liveness probe', facts: withKubernetes([deployment('api', { container: { livenessProbe: undefined } })]), resources: ['Deployment payments/api'] }],
  passes: [
    { name: 'has one', facts: withKubernetes([deployment('api')]) },
    { name: 'a Job needs none', facts: withKubernetes([deployment('once', { kind: 'Job', container: { livenessProbe: undefined } })]) },
  ],
});

describeControl(control('RUN-003'), {
  triggers: [
    {
      name: 'same handler, different timings',
      facts: withKubernetes([
        deployment('api', { container: { readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 5 }, livenessProbe: { periodSeconds: 10, httpGet: { port: 'http', path: '/healthz' } } } }),
      ]),
      resources: ['Deployment payments/api'],
    },
  ],
  passes: [
    { name: 'different paths', facts: withKubernetes([deployment('api')]) },
    { name: 'only readiness', facts: withKubernetes([deployment('api', { container: { livenessProbe: undefined } })]) },
  ],
});

const limitRange = (spec: Record<string, unknown>) => manifest({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: 'payments' }, spec: { limits: [{ type: 'Container', ...spec }] } });

describeControl(control('RUN-004'), {
  triggers: [
    { name: 'no resources at all', facts: withKubernetes([deployment('api', { container: { resources: undefined } }), deployment('web')]), resources: ['Deployment payments/api'] },
    {
      name: 'an init container without requests',
      facts: withKubernetes([deployment('api', { pod: { initContainers: [{ name: 'migrate', image: 'ghcr.io/acme/migrate:v1' }] } })]),
      resources: ['Deployment payments/api'],
    },
  ],
  passes: [
    { name: 'requests set', facts: withKubernetes([deployment('api')]) },
    { name: 'limits only (they become the requests)', facts: withKubernetes([deployment('api', { container: { resources: { limits: { cpu: '1', memory: '1Gi' } } } })]) },
    { name: 'a LimitRange default', facts: withKubernetes([deployment('api', { container: { resources: undefined } }), limitRange({ defaultRequest: { cpu: '100m', memory: '128Mi' } })]) },
  ],
});

describeControl(control('RUN-005'), {
  triggers: [{ name: 'requests but no memory limit', facts: withKubernetes([deployment('api', { container: { resources: { requests: { cpu: '1', memory: '1Gi' } } } })]), resources: ['Deployment payments/api'] }],
  passes: [
    { name: 'a memory limit', facts: withKubernetes([deployment('api')]) },
    { name: 'a LimitRange default limit', facts: withKubernetes([deployment('api', { container: { resources: {} } }), limitRange({ default: { memory: '512Mi' } })]) },
  ],
});

describeControl(control('RUN-006'), {
  triggers: [
    {
      name: 'latest, untagged, and a registry port',
      facts: withKubernetes([
        deployment('a', { container: { image: 'nginx:latest' } }),
        deployment('b', { container: { image: 'registry.local:5000/team/app' } }),
        deployment('c', { kind: 'CronJob', container: { image: 'busybox' } }),
      ]),
      resources: ['Deployment payments/a', 'Deployment payments/b', 'CronJob payments/c'],
    },
  ],
  passes: [
    { name: 'a version tag', facts: withKubernetes([deployment('a')]) },
    { name: 'a digest', facts: withKubernetes([deployment('a', { container: { image: 'nginx@sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945' } })]) },
  ],
});

describe('isUnpinnedImage', () => {
  it('tells moving tags from versions', () => {
    expect(['nginx', 'nginx:latest', 'localhost:5000/app', 'ghcr.io/a/b:latest'].map(isUnpinnedImage)).toEqual([true, true, true, true]);
    expect(['nginx:1.27', 'localhost:5000/app:v2', 'a/b@sha256:abc', '${IMAGE}'].map(isUnpinnedImage)).toEqual([false, false, false, false]);
  });
});

describeControl(control('RUN-007'), {
  triggers: [
    {
      name: 'a privileged init container',
      facts: withKubernetes([deployment('agent', { pod: { initContainers: [{ ...goodContainer('setup'), securityContext: { privileged: true } }] } })]),
      resources: ['Deployment payments/agent'],
    },
  ],
  passes: [{ name: 'unprivileged', facts: withKubernetes([deployment('agent', { container: { securityContext: { privileged: false, runAsNonRoot: true } } })]) }],
});

describeControl(control('RUN-008'), {
  triggers: [
    {
      name: 'no securityContext, and a dangerous capability',
      facts: withKubernetes([
        deployment('api', { container: { securityContext: undefined } }),
        deployment('net', { container: { securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { add: ['NET_ADMIN'] } } } }),
        deployment('ok'),
      ]),
      resources: ['Deployment payments/api', 'Deployment payments/net'],
    },
    {
      name: 'the container turns root back on',
      facts: withKubernetes([deployment('api', { pod: { securityContext: { runAsNonRoot: true } }, container: { securityContext: { runAsNonRoot: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true } } })]),
      resources: ['Deployment payments/api'],
    },
  ],
  passes: [
    { name: 'hardened', facts: withKubernetes([deployment('api')]) },
    {
      name: 'non-root from the pod via runAsUser',
      facts: withKubernetes([deployment('api', { pod: { securityContext: { runAsUser: 10001 } }, container: { securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true } } })]),
    },
  ],
});

describeControl(control('RUN-009'), {
  triggers: [{ name: 'hostNetwork and hostPID', facts: withKubernetes([deployment('agent', { kind: 'DaemonSet', pod: { hostNetwork: true, hostPID: true } })]), resources: ['DaemonSet payments/agent'] }],
  passes: [{ name: 'pod network', facts: withKubernetes([deployment('agent', { kind: 'DaemonSet', pod: { hostNetwork: false } })]) }],
});

const hpa = (name: string, minReplicas?: number) =>
  manifest({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name, namespace: 'payments' }, spec: { scaleTargetRef: { kind: 'Deployment', name }, ...(minReplicas ? { minReplicas } : {}), maxReplicas: 10 } });

describeControl(control('RUN-010'), {
  triggers: [
    { name: 'tier 1 with one replica', facts: tiered([deployment('checkout', { spec: { replicas: 1 } }), deployment('reports', { spec: { replicas: 1 } })]), resources: ['Deployment payments/checkout'] },
    { name: 'replicas left to the default', facts: tiered([deployment('checkout', { spec: { replicas: undefined } })]), resources: ['Deployment payments/checkout'] },
    { name: 'an autoscaler that allows one', facts: tiered([deployment('checkout', { spec: { replicas: undefined } }), hpa('checkout')]), resources: ['Deployment payments/checkout'] },
  ],
  passes: [
    { name: 'three replicas', facts: tiered([deployment('checkout')]) },
    { name: 'an autoscaler keeps two', facts: tiered([deployment('checkout', { spec: { replicas: undefined } }), hpa('checkout', 2)]) },
    { name: 'same name in another namespace', facts: tiered([deployment('checkout', { namespace: 'sandbox', spec: { replicas: 1 } })]) },
    { name: 'no model service names it', facts: withModel({}, { kubernetes: [deployment('checkout', { spec: { replicas: 1 } })] }) },
  ],
});

describeControl(control('RUN-011'), {
  triggers: [
    { name: 'no budget', facts: tiered([deployment('checkout'), deployment('reports')]), resources: ['Deployment payments/checkout'] },
    {
      name: 'a budget selecting other pods',
      facts: tiered([deployment('checkout'), budget('checkout', { maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'checkout', tier: 'web' } } })]),
      resources: ['Deployment payments/checkout'],
    },
  ],
  passes: [
    { name: 'a matching budget', facts: tiered([deployment('checkout'), checkoutBudget]) },
    {
      name: 'a budget by expression',
      facts: tiered([deployment('checkout'), budget('all', { minAvailable: 1, selector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['checkout', 'cart'] }] } })]),
    },
  ],
});

describeControl(control('RUN-012'), {
  triggers: [
    {
      name: 'Recreate, and maxUnavailable covering every replica',
      facts: withModel(
        { services: [service('checkout', { runtime: runtime('checkout') }), service('cart', { runtime: runtime('cart') })] },
        {
          kubernetes: [
            deployment('checkout', { spec: { strategy: { type: 'Recreate' } } }),
            deployment('cart', { spec: { replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '100%' } } } }),
          ],
        },
      ),
      resources: ['Deployment payments/checkout', 'Deployment payments/cart'],
    },
  ],
  passes: [
    { name: 'default rolling update', facts: tiered([deployment('checkout')]) },
    { name: 'one replica with the default 25% (rounds down to 0)', facts: tiered([deployment('checkout', { spec: { replicas: 1 } })]) },
    { name: 'Recreate for a tier-2 service', facts: tiered([deployment('reports', { spec: { strategy: { type: 'Recreate' } } })]) },
  ],
});

describeControl(control('RUN-013'), {
  triggers: [{ name: 'no spreading', facts: tiered([deployment('checkout', { pod: { topologySpreadConstraints: undefined } })]), resources: ['Deployment payments/checkout'] }],
  passes: [
    { name: 'topology spread', facts: tiered([deployment('checkout')]) },
    { name: 'anti-affinity', facts: tiered([deployment('checkout', { pod: { topologySpreadConstraints: undefined, affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } } } })]) },
    { name: 'one replica (RUN-010 covers it)', facts: tiered([deployment('checkout', { spec: { replicas: 1 }, pod: { topologySpreadConstraints: undefined } })]) },
  ],
});

describeControl(control('RUN-014'), {
  triggers: [{ name: 'history limit 0', facts: withKubernetes([deployment('api', { spec: { revisionHistoryLimit: 0 } })]), resources: ['Deployment payments/api'] }],
  passes: [{ name: 'default history', facts: withKubernetes([deployment('api'), deployment('db', { kind: 'StatefulSet', spec: { revisionHistoryLimit: 0 } })]) }],
});

describeControl(control('RUN-015'), {
  triggers: [
    {
      name: 'maxUnavailable 0, and minAvailable equal to the replicas',
      facts: withKubernetes([
        deployment('api'),
        deployment('web'),
        budget('api', { maxUnavailable: 0, selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }),
        budget('web', { minAvailable: 3, selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } }),
        budget('percent', { minAvailable: '90%', selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } } }),
      ]),
      resources: ['PodDisruptionBudget payments/api', 'PodDisruptionBudget payments/web', 'PodDisruptionBudget payments/percent'],
    },
  ],
  passes: [
    {
      name: 'budgets that let one pod go',
      facts: withKubernetes([
        deployment('api'),
        budget('api', { maxUnavailable: '10%', selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }),
        budget('api2', { minAvailable: 2, selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } }),
        budget('other', { minAvailable: 5, selector: { matchLabels: { 'app.kubernetes.io/name': 'nothing' } } }),
      ]),
    },
  ],
});

describe('runtime findings', () => {
  it('name the model service and team of a workload', () => {
    const [finding] = control('RUN-011').evaluate(tiered([deployment('checkout')]), new Date());
    expect(finding).toMatchObject({ resource: 'Deployment payments/checkout', service: 'checkout', team: 'payments', location: { file: 'k8s/checkout.yaml', line: 1 } });
    expect(finding?.evidence).toBe('checkout is tier 1 but Deployment payments/checkout has no PodDisruptionBudget selecting its pods.');
  });

  it('list every problem container of a workload in one finding', () => {
    const facts = withKubernetes([deployment('api', { containers: [{ ...goodContainer('app'), image: 'app:latest' }, { ...goodContainer('proxy'), image: 'envoy' }] })]);
    expect(control('RUN-006').evaluate(facts, new Date())).toEqual([
      expect.objectContaining({ evidence: 'In Deployment payments/api, app runs app:latest, proxy runs envoy: a moving tag, not a version.' }),
    ]);
  });
});
