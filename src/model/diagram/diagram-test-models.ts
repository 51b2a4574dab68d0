import { loadModelOrThrow } from '../load-model.ts';
import type { ResolvedModel } from '../resolve.ts';

/** Test models for the diagram renderers: the demo organisation, and one with names built to break out of labels. */
export async function demoModel(): Promise<ResolvedModel> {
  return (await loadModelOrThrow('examples/demo/.steadyops')).model;
}

export const hostileName = 'evil"] --> x; end\n<script>alert(1)</script> & #amp; \\" `tick` {{ }}';

export async function hostileModel(): Promise<ResolvedModel> {
  const model = structuredClone(await demoModel());
  const service = model.services[0]!;
  service.dependsOn = [...(service.dependsOn ?? []), { external: hostileName, critical: true }, { external: 'end' }, { external: 'e-n-d' }];
  return model;
}
