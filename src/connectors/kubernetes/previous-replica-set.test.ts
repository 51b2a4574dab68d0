import type { V1ReplicaSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { pickPreviousReplicaSet, selectorString } from './previous-replica-set.ts';

const replicaSet = (name: string, revision: string | undefined, owner: { uid: string; controller?: boolean } | undefined, image = `shop/web:${name}`): V1ReplicaSet => ({
  metadata: {
    name,
    ...(revision ? { annotations: { 'deployment.kubernetes.io/revision': revision } } : {}),
    ...(owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: owner.uid, controller: owner.controller ?? true }] } : {}),
  },
  spec: { selector: {}, replicas: 0, template: { spec: { containers: [{ name: 'app', image }] } } },
});

describe('pickPreviousReplicaSet', () => {
  it('takes the second-highest revision among the ReplicaSets the Deployment controls', () => {
    const picked = pickPreviousReplicaSet('uid-web', [
      replicaSet('web-1', '1', { uid: 'uid-web' }),
      replicaSet('web-10', '10', { uid: 'uid-web' }),
      replicaSet('web-9', '9', { uid: 'uid-web' }),
      replicaSet('other-11', '11', { uid: 'uid-other' }),
      replicaSet('adopted-12', '12', { uid: 'uid-web', controller: false }),
      replicaSet('orphan-13', '13', undefined),
      replicaSet('unannotated', undefined, { uid: 'uid-web' }),
    ]);
    expect(picked.current).toMatchObject({ name: 'web-10', revision: 10, images: ['shop/web:web-10'] });
    expect(picked.previous).toMatchObject({ name: 'web-9', revision: 9, replicas: 0 });
  });

  it('has no previous with one ReplicaSet, and nothing without a Deployment uid', () => {
    expect(pickPreviousReplicaSet('uid-web', [replicaSet('web-1', '1', { uid: 'uid-web' })])).toEqual({ current: expect.objectContaining({ name: 'web-1' }) });
    expect(pickPreviousReplicaSet(undefined, [replicaSet('web-1', '1', { uid: 'uid-web' })])).toEqual({});
  });
});

describe('selectorString', () => {
  it('writes matchLabels and matchExpressions as a labelSelector query', () => {
    expect(
      selectorString({
        matchLabels: { app: 'web', tier: 'frontend' },
        matchExpressions: [
          { key: 'track', operator: 'In', values: ['stable', 'canary'] },
          { key: 'legacy', operator: 'NotIn', values: ['true'] },
          { key: 'team', operator: 'Exists' },
          { key: 'debug', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=web,tier=frontend,track in (stable,canary),legacy notin (true),team,!debug');
    expect(selectorString(undefined)).toBe('');
  });
});
