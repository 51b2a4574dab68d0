import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeploymentJson, ReplicaSetJson } from '../../connectors/kubernetes/deployment-rollout.ts';
import { planUndo } from './plan-undo.ts';

const uid = 'deploy-uid';
const template = (image: string, hash?: string) => ({
  metadata: { labels: { app: 'web', ...(hash ? { 'pod-template-hash': hash } : {}) }, creationTimestamp: null },
  spec: { containers: [{ name: 'app', image }, { name: 'sidecar', image: 'envoy:1.30' }] },
});

const deployment = (revision: number, image: string, annotations: Record<string, string> = {}): DeploymentJson => ({
  metadata: { name: 'web', namespace: 'shop', uid, generation: 4, annotations: { 'deployment.kubernetes.io/revision': String(revision), ...annotations } },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: template(image) },
});

const replicaSet = (revision: number, image: string, options: { owner?: string; controller?: boolean; annotations?: Record<string, string> } = {}): ReplicaSetJson => ({
  metadata: {
    name: `web-${revision}`,
    annotations: { 'deployment.kubernetes.io/revision': String(revision), ...options.annotations },
    ownerReferences: [{ uid: options.owner ?? uid, kind: 'Deployment', name: 'web', controller: options.controller ?? true }],
  },
  spec: { template: template(image, `hash${revision}`) },
});

describe('planUndo', () => {
  it('restores the previous revision as kubectl rollout undo does: template without the hash label, annotations rebuilt', () => {
    const current = deployment(3, 'web:1.2', {
      'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}',
      'team.example/owner': 'shop',
    });
    const plan = planUndo(current, [
      replicaSet(1, 'web:1.0'),
      replicaSet(2, 'web:1.1', { annotations: { 'kubernetes.io/change-cause': 'release 1.1', 'deployment.kubernetes.io/desired-replicas': '3' } }),
      replicaSet(3, 'web:1.2'),
    ]);
    expect(plan).toEqual({
      ok: true,
      fromRevision: 3,
      toRevision: 2,
      replicaSet: 'web-2',
      images: ['web:1.1', 'envoy:1.30'],
      template: template('web:1.1'),
      patch: [
        { op: 'test', path: '/metadata/annotations/deployment.kubernetes.io~1revision', value: '3' },
        { op: 'replace', path: '/spec/template', value: template('web:1.1') },
        {
          op: 'replace',
          path: '/metadata/annotations',
          value: {
            'kubectl.kubernetes.io/last-applied-configuration': '{"kind":"Deployment"}',
            'deployment.kubernetes.io/revision': '3',
            'kubernetes.io/change-cause': 'release 1.1',
          },
        },
      ],
    });
  });

  it.each([
    { name: 'a ReplicaSet another Deployment controls', sets: [replicaSet(1, 'web:1.0', { owner: 'other' })], reason: /no previous revision/ },
    { name: 'an owner reference that is not the controller', sets: [replicaSet(1, 'web:1.0', { controller: false })], reason: /no previous revision/ },
    { name: 'only the current revision', sets: [replicaSet(2, 'web:1.1')], reason: /no previous revision/ },
    { name: 'a previous template equal to the current one', sets: [replicaSet(1, 'web:1.1')], reason: /already matches revision 1/ },
  ])('refuses with $name', ({ sets, reason }) => {
    const plan = planUndo(deployment(2, 'web:1.1'), sets);
    expect(plan.ok).toBe(false);
    expect(plan.ok ? '' : plan.reason).toMatch(reason);
  });

  it('refuses a paused Deployment, as kubectl does', () => {
    const paused = { ...deployment(2, 'web:1.1'), spec: { ...deployment(2, 'web:1.1').spec, paused: true } };
    expect(planUndo(paused, [replicaSet(1, 'web:1.0')])).toMatchObject({ ok: false, reason: expect.stringMatching(/paused/) });
  });

  it('picks the highest revision below the current one for any set of ReplicaSets', () => {
    const sets = fc.uniqueArray(
      fc.record({ revision: fc.integer({ min: 1, max: 30 }), owned: fc.boolean(), controller: fc.boolean() }),
      { selector: (entry) => entry.revision, maxLength: 12 },
    );
    fc.assert(
      fc.property(sets, fc.integer({ min: 1, max: 31 }), (entries, current) => {
        const replicaSets = entries.map(({ revision, owned, controller }) => replicaSet(revision, `web:${revision}`, { owner: owned ? uid : 'other', controller }));
        const plan = planUndo(deployment(current, `web:${current}`), replicaSets);
        const candidates = entries.filter((entry) => entry.owned && entry.controller && entry.revision < current).map((entry) => entry.revision);
        if (candidates.length === 0) {
          expect(plan.ok).toBe(false);
          return;
        }
        expect(plan).toMatchObject({ ok: true, fromRevision: current, toRevision: Math.max(...candidates), images: [`web:${Math.max(...candidates)}`, 'envoy:1.30'] });
        if (plan.ok) expect(plan.template.metadata?.labels).not.toHaveProperty('pod-template-hash');
      }),
    );
  });
});
