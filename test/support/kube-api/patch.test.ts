import { describe, expect, it } from 'vitest';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patch.ts';

const deployment = {
  metadata: { name: 'web', annotations: { a: '1' } },
  spec: { template: { spec: { containers: [{ name: 'app', image: 'web:1' }, { name: 'sidecar', image: 'envoy:1' }] } } },
};

describe('patches as kubectl sends them', () => {
  it.each([
    {
      name: 'strategic merge keeps the other containers (set image)',
      result: applyStrategicMergePatch(deployment, {
        spec: { template: { spec: { $setElementOrder: 'x', containers: [{ name: 'app', image: 'web:2' }] } } },
      }),
      images: ['web:2', 'envoy:1'],
    },
    {
      name: 'strategic merge deletes a container by $patch',
      result: applyStrategicMergePatch(deployment, { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } }),
      images: ['web:1'],
    },
    {
      name: 'merge patch replaces lists whole',
      result: applyMergePatch(deployment, { spec: { template: { spec: { containers: [{ name: 'app', image: 'web:3' }] } } } }),
      images: ['web:3'],
    },
    {
      name: 'JSON patch replaces the template (rollout undo)',
      result: applyJsonPatch(deployment, [
        { op: 'replace', path: '/spec/template', value: { spec: { containers: [{ name: 'app', image: 'web:0' }] } } },
        { op: 'replace', path: '/metadata/annotations', value: {} },
      ]),
      images: ['web:0'],
    },
  ])('$name', ({ result, images }) => {
    const patched = result as typeof deployment;
    expect(patched.spec.template.spec.containers.map((container) => container.image)).toEqual(images);
    expect(deployment.spec.template.spec.containers[0]?.image).toBe('web:1');
  });

  it('removes fields with null in merge patches and fails a JSON patch test that does not hold', () => {
    expect(applyMergePatch(deployment, { metadata: { annotations: null } })).toMatchObject({ metadata: { name: 'web' } });
    expect((applyMergePatch(deployment, { metadata: { annotations: null } }) as typeof deployment).metadata.annotations).toBeUndefined();
    expect(() => applyJsonPatch(deployment, [{ op: 'test', path: '/metadata/name', value: 'api' }])).toThrow(/test failed/);
    expect(() => applyJsonPatch(deployment, [{ op: 'replace', path: '/nope/x', value: 1 }])).toThrow(/does not exist/);
  });
});
