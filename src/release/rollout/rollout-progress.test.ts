import { describe, expect, it } from 'vitest';
import type { DeploymentJson } from '../../connectors/kubernetes/deployment-rollout.ts';
import { rolloutProgress } from './rollout-progress.ts';

const deployment = (generation: number, status: NonNullable<DeploymentJson['status']>): DeploymentJson => ({
  metadata: { name: 'web', generation, annotations: { 'deployment.kubernetes.io/revision': '2' } },
  spec: { replicas: 3, template: {} },
  status,
});

describe('rolloutProgress', () => {
  it.each([
    { name: 'spec not yet observed', generation: 3, status: { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }, phase: 'observing' },
    { name: 'new pods coming up', generation: 3, status: { observedGeneration: 3, replicas: 4, updatedReplicas: 1, availableReplicas: 3 }, phase: 'progressing', message: '1 of 3 replicas updated' },
    { name: 'old pods terminating', generation: 3, status: { observedGeneration: 3, replicas: 4, updatedReplicas: 3, availableReplicas: 3 }, phase: 'progressing', message: '1 old replicas pending termination' },
    { name: 'updated but not available', generation: 3, status: { observedGeneration: 3, replicas: 3, updatedReplicas: 3, availableReplicas: 2 }, phase: 'progressing', message: '2 of 3 updated replicas available' },
    { name: 'complete', generation: 3, status: { observedGeneration: 3, replicas: 3, updatedReplicas: 3, availableReplicas: 3 }, phase: 'complete' },
    {
      name: 'past its progress deadline',
      generation: 3,
      status: { observedGeneration: 3, conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-1" has timed out progressing.' }] },
      phase: 'stalled',
      message: 'ReplicaSet "web-1" has timed out progressing.',
    },
  ])('$name', ({ generation, status, phase, message }) => {
    const progress = rolloutProgress(deployment(generation, status));
    expect(progress.phase).toBe(phase);
    expect(progress.revision).toBe(2);
    if (message) expect(progress.message).toBe(message);
  });
});
