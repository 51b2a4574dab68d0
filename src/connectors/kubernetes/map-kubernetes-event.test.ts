import { describe, expect, it } from 'vitest';
import { validateEventData } from '../../ledger/event-types.ts';
import type { SubjectResolver } from '../resolve-subject.ts';
import type { KubernetesObject } from './kubernetes-objects.ts';
import { mapKubernetesEvent } from './map-kubernetes-event.ts';

const resolve: SubjectResolver = (hints) => (hints.namespace === 'shop' && hints.deployment === 'web' ? 'storefront' : undefined);
const options = { resolve, context: 'prod-eu', environment: 'production', observedAt: '2026-01-01T00:00:00Z' };

function deployment(image: string, generation: number, status: Record<string, unknown> = {}): KubernetesObject {
  return {
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'shop', uid: 'u1', generation, resourceVersion: String(generation * 10), annotations: { 'deployment.kubernetes.io/revision': String(generation) } },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'app', image }, { name: 'sidecar', image: 'envoy:1' }] } } },
    status,
  };
}

const complete = (generation: number) => ({ observedGeneration: generation, replicas: 2, updatedReplicas: 2, availableReplicas: 2 });
const timedOut = (generation: number) => ({ observedGeneration: generation, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }] });

function configMap(resourceVersion: string, data: Record<string, string>): KubernetesObject {
  return { kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'shop', uid: 'c1', resourceVersion, labels: { app: 'web' } }, data };
}

describe('mapKubernetesEvent', () => {
  it.each([
    { name: 'template change starts a deploy with the image diff', type: 'MODIFIED' as const, previous: deployment('web:1', 1, complete(1)), current: deployment('web:2', 2, complete(1)), types: ['dev.steadyops.deploy.started'] },
    { name: 'a status-only change while progressing says nothing', type: 'MODIFIED' as const, previous: deployment('web:2', 2, complete(1)), current: deployment('web:2', 2, { observedGeneration: 2 }), types: [] },
    { name: 'a completed rollout finishes the deploy', type: 'MODIFIED' as const, previous: deployment('web:2', 2, { observedGeneration: 2 }), current: deployment('web:2', 2, complete(2)), types: ['dev.steadyops.deploy.finished'] },
    { name: 'an already complete rollout is not finished twice', type: 'MODIFIED' as const, previous: deployment('web:2', 2, complete(2)), current: deployment('web:2', 2, complete(2)), types: [] },
    { name: 'a progress deadline fails the deploy', type: 'MODIFIED' as const, previous: deployment('web:2', 2, { observedGeneration: 2 }), current: deployment('web:2', 2, timedOut(2)), types: ['dev.steadyops.deploy.failed'] },
    { name: 'a change and its completion seen at once (after a re-list) give both', type: 'MODIFIED' as const, previous: deployment('web:1', 1, complete(1)), current: deployment('web:2', 2, complete(2)), types: ['dev.steadyops.deploy.started', 'dev.steadyops.deploy.finished'] },
    { name: 'a new Deployment starts a deploy', type: 'ADDED' as const, previous: undefined, current: deployment('web:1', 1), types: ['dev.steadyops.deploy.started'] },
    { name: 'a deleted Deployment says nothing', type: 'DELETED' as const, previous: deployment('web:1', 1), current: deployment('web:1', 1), types: [] },
  ])('$name', ({ type, previous, current, types }) => {
    const events = mapKubernetesEvent({ type, kind: 'Deployment', object: current }, previous, options);
    expect(events.map((event) => event.event.type)).toEqual(types);
    for (const { event } of events) {
      expect(validateEventData(event.type, event.data)).toEqual({ ok: true });
      expect(event).toMatchObject({ source: '/kubernetes/prod-eu', subject: 'storefront', extensions: { environment: 'production' } });
    }
  });

  it('describes the started deploy (image diff per container, replicas, replay-stable id) and the revision of the finished one', () => {
    const [started] = mapKubernetesEvent({ type: 'MODIFIED', kind: 'Deployment', object: deployment('web:2', 2) }, deployment('web:1', 1), options);
    expect(started?.event.id).toBe('u1:2:started');
    expect(started?.event.data).toMatchObject({
      service: 'storefront',
      environment: 'production',
      version: 'web:2',
      previousVersion: 'web:1',
      images: [{ container: 'app', from: 'web:1', to: 'web:2' }],
      replicas: 2,
      generation: 2,
    });
    expect(started?.event.data).not.toHaveProperty('revision');
    const [finished] = mapKubernetesEvent({ type: 'MODIFIED', kind: 'Deployment', object: deployment('web:2', 2, complete(2)) }, deployment('web:2', 2), options);
    expect(finished?.event.data).toMatchObject({ revision: '2', version: 'web:2' });
    const again = mapKubernetesEvent({ type: 'MODIFIED', kind: 'Deployment', object: deployment('web:2', 2) }, deployment('web:1', 1), { ...options, observedAt: '2026-02-02T00:00:00Z' });
    expect(again[0]?.event.id).toBe(started?.event.id);
  });

  it('names the workload when no service owns it (the subject stays unset)', () => {
    const [started] = mapKubernetesEvent({ type: 'MODIFIED', kind: 'Deployment', object: deployment('web:2', 2) }, deployment('web:1', 1), { ...options, resolve: () => undefined });
    expect(started?.event.subject).toBeUndefined();
    expect(started?.event.data).toMatchObject({ service: 'web', workload: { kind: 'Deployment', namespace: 'shop', name: 'web' } });
  });

  it.each([
    { name: 'changed and added keys, names only', previous: configMap('5', { a: 'secret-1', b: 'x' }), current: configMap('6', { a: 'secret-2', b: 'x', c: 'new' }), keys: ['a', 'c'], summary: 'added c; changed a' },
    { name: 'a removed key', previous: configMap('5', { a: '1', b: '2' }), current: configMap('6', { a: '1' }), keys: ['b'], summary: 'removed b' },
    { name: 'no data change', previous: configMap('5', { a: '1' }), current: configMap('6', { a: '1' }), keys: [], summary: '' },
  ])('ConfigMap: $name', ({ previous, current, keys, summary }) => {
    const events = mapKubernetesEvent({ type: 'MODIFIED', kind: 'ConfigMap', object: current }, previous, options);
    if (keys.length === 0) return expect(events).toEqual([]);
    const [changed] = events;
    expect(changed?.event).toMatchObject({ type: 'dev.steadyops.config.changed', id: 'c1:6', subject: 'storefront' });
    expect(changed?.event.data).toEqual({ service: 'storefront', environment: 'production', resource: 'configmap/shop/web-config', keys, summary });
    expect(JSON.stringify(changed)).not.toMatch(/secret-|"new"/);
    expect(validateEventData(changed!.event.type, changed!.event.data)).toEqual({ ok: true });
  });

  it.each([
    { kind: 'StatefulSet' as const, status: { observedGeneration: 2, readyReplicas: 2, updatedReplicas: 2, currentRevision: 'r2', updateRevision: 'r2' } },
    { kind: 'DaemonSet' as const, status: { observedGeneration: 2, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 } },
  ])('finishes a $kind rollout', ({ kind, status }) => {
    const previous = { ...deployment('db:2', 2, { observedGeneration: 2 }), kind };
    const current = { ...deployment('db:2', 2, status), kind };
    expect(mapKubernetesEvent({ type: 'MODIFIED', kind, object: current }, previous, options).map((event) => event.event.type)).toEqual(['dev.steadyops.deploy.finished']);
  });
});
