import { describe, expect, it } from 'vitest';
import type { DeploymentJson, DeploymentRollout, JsonPatchOperation, ReplicaSetJson } from '../../connectors/kubernetes/deployment-rollout.ts';
import type { Sample } from '../../connectors/prometheus/prometheus-client.ts';
import { validateEventData } from '../../ledger/event-types.ts';
import type { EventToAppend } from '../../ledger/types.ts';
import { SteadyopsError } from '../../lib/errors.ts';
import type { RollbackCriterion } from '../../model/schema.ts';
import { createRolloutGuard, guardExitCode, type GuardRequest } from './rollout-guard.ts';

const criterion: RollbackCriterion = { name: 'error-ratio', query: 'ratio', threshold: 0.05, failWhen: 'above', consecutiveFailures: 3 };
const uid = 'web-uid';
const template = (image: string) => ({ metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image }] } });
const unreachable = (target: string) => new SteadyopsError('SO_E_UNREACHABLE', { target, detail: 'ECONNREFUSED' });

/** A Deployment at revision 2 (web:1.1) whose rollout completes `rolloutReads` reads after each template change. */
function fakeCluster(options: { rolloutReads?: number; failReads?: (read: number) => boolean } = {}) {
  const replicaSets: ReplicaSetJson[] = [1, 2].map((revision) => ({
    metadata: { name: `web-${revision}`, annotations: { 'deployment.kubernetes.io/revision': String(revision) }, ownerReferences: [{ uid, controller: true }] },
    spec: { template: { ...template(`web:1.${revision - 1}`), metadata: { labels: { app: 'web', 'pod-template-hash': `h${revision}` } } } },
  }));
  let deployment: DeploymentJson = {
    metadata: { name: 'web', namespace: 'shop', uid, generation: 2, annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: { replicas: 3, progressDeadlineSeconds: 60, selector: { matchLabels: { app: 'web' } }, template: template('web:1.1') },
  };
  let readsSinceChange = 0;
  let reads = 0;
  const patches: (readonly JsonPatchOperation[])[] = [];
  const status = () => {
    const done = readsSinceChange > (options.rolloutReads ?? 1);
    return { observedGeneration: deployment.metadata.generation, replicas: 3, updatedReplicas: done ? 3 : 1, availableReplicas: 3 };
  };
  const kube: DeploymentRollout = {
    target: 'deployment shop/web (context test)',
    async read() {
      reads += 1;
      if (options.failReads?.(reads)) throw unreachable('the Kubernetes API');
      readsSinceChange += 1;
      return structuredClone({ ...deployment, status: status() });
    },
    async replicaSets() {
      return structuredClone(replicaSets);
    },
    async patch(operations) {
      patches.push(operations);
      const [test, template, annotations] = operations;
      expect(test).toEqual({ op: 'test', path: '/metadata/annotations/deployment.kubernetes.io~1revision', value: deployment.metadata.annotations?.['deployment.kubernetes.io/revision'] });
      const generation = (deployment.metadata.generation ?? 0) + 1;
      deployment = {
        ...deployment,
        metadata: { ...deployment.metadata, generation, annotations: { ...(annotations?.value as Record<string, string>), 'deployment.kubernetes.io/revision': '3' } },
        spec: { ...deployment.spec, template: template?.value as DeploymentJson['spec']['template'] },
      };
      readsSinceChange = 0;
      return structuredClone(deployment);
    },
  };
  /** someone else rolls out another image */
  const deploy = (image: string) => {
    const revision = String(Number(deployment.metadata.annotations?.['deployment.kubernetes.io/revision']) + 1);
    const generation = (deployment.metadata.generation ?? 0) + 1;
    deployment = { ...deployment, metadata: { ...deployment.metadata, generation, annotations: { 'deployment.kubernetes.io/revision': revision } }, spec: { ...deployment.spec, template: template(image) } };
    readsSinceChange = 0;
  };
  return { kube, patches, deploy, image: () => deployment.spec.template.spec?.containers?.[0]?.image };
}

/** Prometheus answering `values[round]` (the last one ever after); `undefined` is an outage, NaN no data. */
function fakePrometheus(values: readonly (number | undefined)[]) {
  let calls = 0;
  return {
    async queryAll(exprs: readonly string[]): Promise<Sample[][]> {
      const value = values[Math.min(calls, values.length - 1)];
      calls += 1;
      if (value === undefined) throw unreachable('Prometheus at http://prometheus:9090');
      return exprs.map(() => [{ labels: {}, value }]);
    },
  };
}

function harness(cluster: ReturnType<typeof fakeCluster>, prometheus: ReturnType<typeof fakePrometheus>) {
  let now = Date.parse('2026-11-26T10:00:00Z');
  const appended: EventToAppend[][] = [];
  const guard = createRolloutGuard({
    kube: cluster.kube,
    prometheus,
    ledger: {
      async append(events) {
        appended.push([...events]);
        return events.map((entry, index) => ({ id: entry.event.id, source: entry.event.source, seq: index + 1, duplicate: false }));
      },
    },
    clock: { now: () => new Date(now) },
    sleep: async (ms) => {
      now += ms;
    },
  });
  return { guard, appended, types: () => appended.map((batch) => batch.map((entry) => entry.event.type.replace('dev.steadyops.', ''))) };
}

const request: GuardRequest = {
  service: 'web',
  environment: 'production',
  namespace: 'shop',
  deployment: 'web',
  criteria: [criterion],
  bakeMs: 30_000,
  intervalMs: 10_000,
  action: { kind: 'automatic' },
  dryRun: false,
  actor: 'test',
};

// the first answer is the guard's reachability check before it records anything
const preflight = 0;

describe('the rollout guard loop', () => {
  it('rolls a failing rollout back to the previous revision and records the decision before the patch', async () => {
    const cluster = fakeCluster();
    const { guard, appended, types } = harness(cluster, fakePrometheus([preflight, 0.01, 0.3]));
    const report = await guard.run(request);
    expect(report).toMatchObject({ outcome: 'rolled-back', plan: { fromRevision: 2, toRevision: 1, toVersion: 'web:1.0' }, rollback: { completed: true, newRevision: 3 } });
    expect(report.cause?.measurements.map((measurement) => measurement.value)).toEqual([0.3, 0.3, 0.3]);
    expect(cluster.image()).toBe('web:1.0');
    expect(cluster.patches).toHaveLength(1);
    expect(types()).toEqual([
      ['rollout.started'],
      ['rollout.analysis'],
      ['rollout.analysis'],
      ['rollout.analysis', 'rollback.started'],
      ['rollout.rolledback', 'rollback.finished'],
    ]);
    for (const { event } of appended.flat()) expect(validateEventData(event.type, event.data), event.type).toEqual({ ok: true });
    expect(appended.at(-1)?.[0]?.event.data).toMatchObject({ criterion: 'error-ratio', fromRevision: 2, toRevision: 1, newRevision: 3, outcome: 'succeeded', fromVersion: 'web:1.1', toVersion: 'web:1.0' });
    expect(guardExitCode(report.outcome)).toBe(1);
  });

  it('leaves a healthy rollout alone and records its success after the bake', async () => {
    const cluster = fakeCluster({ rolloutReads: 2 });
    const { guard, appended, types } = harness(cluster, fakePrometheus([preflight, 0.01]));
    const progress: string[] = [];
    const report = await guard.run(request, (update) => progress.push(update.kind === 'round' ? update.stage : update.kind));
    expect(report.outcome).toBe('succeeded');
    expect(guardExitCode(report.outcome)).toBe(0);
    expect(cluster.patches).toEqual([]);
    expect(types()).toEqual([['rollout.started'], ['rollout.analysis'], ['rollout.succeeded']]);
    expect(progress).toEqual(['rollout', 'rollout', 'bake', 'bake', 'bake', 'bake']);
    for (const { event } of appended.flat()) expect(validateEventData(event.type, event.data), event.type).toEqual({ ok: true });
  });

  it('under --dry-run says what it would restore, patches nothing and records nothing', async () => {
    const cluster = fakeCluster();
    const { guard, appended } = harness(cluster, fakePrometheus([preflight, 0.3]));
    const report = await guard.run({ ...request, dryRun: true });
    expect(report).toMatchObject({ outcome: 'would-roll-back', plan: { toRevision: 1, toVersion: 'web:1.0' } });
    expect(report.rollback).toBeUndefined();
    expect(cluster.patches).toEqual([]);
    expect(appended).toEqual([]);
  });

  it('reports the failure without acting when rollback is manual', async () => {
    const cluster = fakeCluster();
    const { guard, types, appended } = harness(cluster, fakePrometheus([preflight, 0.3]));
    const report = await guard.run({ ...request, action: { kind: 'manual', reason: 'rollback.automatic is false' } });
    expect(report).toMatchObject({ outcome: 'failed', plan: { toRevision: 1 }, reason: expect.stringMatching(/error-ratio above 0.05 .*; rollback.automatic is false/) });
    expect(cluster.patches).toEqual([]);
    expect(types().at(-1)).toEqual(['rollout.analysis', 'rollout.halted']);
    expect(appended.at(-1)?.[1]?.event.data).toMatchObject({ verdict: 'failed', criterion: 'error-ratio' });
  });

  it('throws SO_E_UNREACHABLE before recording anything when Prometheus is down at the start', async () => {
    const cluster = fakeCluster();
    const { guard, appended } = harness(cluster, fakePrometheus([undefined]));
    await expect(guard.run(request)).rejects.toMatchObject({ code: 'SO_E_UNREACHABLE' });
    expect(appended).toEqual([]);
    expect(cluster.patches).toEqual([]);
  });

  it('counts a Prometheus outage as errors, not failures, and stops with exit 3 after consecutiveErrorLimit + 1 of them', async () => {
    const cluster = fakeCluster();
    const { guard, appended } = harness(cluster, fakePrometheus([preflight, 0.3, 0.3, undefined]));
    const report = await guard.run(request);
    expect(report).toMatchObject({ outcome: 'error', reason: expect.stringMatching(/5 errored measurements in a row/) });
    expect(report.analysis.criteria[0]).toMatchObject({ failureStreak: 2, counts: { fail: 2, error: 5 } });
    expect(guardExitCode(report.outcome)).toBe(3);
    expect(cluster.patches).toEqual([]);
    expect(appended.at(-1)?.at(-1)?.event.type).toBe('dev.steadyops.rollout.halted');
  });

  it('rides out a short Kubernetes API outage, and stops with an error on a long one', async () => {
    const blip = fakeCluster({ failReads: (read) => read === 3 || read === 4 });
    expect((await harness(blip, fakePrometheus([preflight, 0.01])).guard.run(request)).outcome).toBe('succeeded');
    const outage = fakeCluster({ failReads: (read) => read >= 3 });
    const report = await harness(outage, fakePrometheus([preflight, 0.01])).guard.run(request);
    expect(report).toMatchObject({ outcome: 'error', reason: expect.stringMatching(/Kubernetes API/) });
  });

  it('stops when the Deployment moves to another revision, instead of rolling back over it', async () => {
    const cluster = fakeCluster();
    const { guard } = harness(cluster, fakePrometheus([preflight, 0.01, 0.01, 0.3]));
    const run = guard.run(request);
    cluster.deploy('web:1.2');
    expect(await run).toMatchObject({ outcome: 'superseded', reason: expect.stringMatching(/revision 2 to 3/) });
    expect(cluster.patches).toEqual([]);
  });

  it('reports superseded, not bad input, when the Deployment moves just before the rollback patch', async () => {
    const cluster = fakeCluster();
    const { guard, types } = harness(cluster, fakePrometheus([preflight, 0.3]));
    cluster.kube.patch = async () => {
      cluster.deploy('web:1.2');
      throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: 'the Kubernetes API rejected PATCH (HTTP 422): test failed' });
    };
    expect(await guard.run(request)).toMatchObject({ outcome: 'superseded', reason: expect.stringMatching(/moved to revision 3 before the rollback patch/) });
    expect(types().at(-1)).toEqual(['rollback.finished', 'rollout.halted']);
  });
});
