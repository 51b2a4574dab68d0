import { isDeepStrictEqual } from 'node:util';
import type { DeploymentJson, JsonPatchOperation, PodTemplateJson, ReplicaSetJson } from '../../connectors/kubernetes/deployment-rollout.ts';
import { revisionAnnotation, revisionOf } from './rollout-progress.ts';

const hashLabel = 'pod-template-hash';

/** The Deployment's own annotations `kubectl rollout undo` keeps; every other one comes from the restored ReplicaSet. */
const annotationsToSkip = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  revisionAnnotation,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

export type UndoPlan =
  | {
      readonly ok: true;
      readonly fromRevision: number;
      readonly toRevision: number;
      readonly replicaSet: string;
      readonly images: readonly string[];
      readonly template: PodTemplateJson;
      readonly patch: readonly JsonPatchOperation[];
    }
  | { readonly ok: false; readonly reason: string };

/**
 * What `kubectl rollout undo` does, as data: among the ReplicaSets the Deployment controls (controller
 * ownerReference), the one with the highest revision below the current one; its pod template without
 * the pod-template-hash label replaces `/spec/template`, and the annotations are rebuilt as kubectl does.
 * The patch starts with a `test` of the current revision, so it is refused if the Deployment moved on meanwhile.
 */
export function planUndo(deployment: DeploymentJson, replicaSets: readonly ReplicaSetJson[]): UndoPlan {
  const owned = replicaSets
    .filter((replicaSet) => replicaSet.metadata.ownerReferences?.some((owner) => owner.controller === true && owner.uid === deployment.metadata.uid))
    .flatMap((replicaSet) => {
      const revision = revisionOf(replicaSet.metadata.annotations);
      return revision === undefined ? [] : [{ replicaSet, revision }];
    });
  const current = revisionOf(deployment.metadata.annotations) ?? Math.max(0, ...owned.map((entry) => entry.revision));
  const previous = owned.filter((entry) => entry.revision < current).sort((a, b) => b.revision - a.revision)[0];
  if (deployment.spec.paused) return { ok: false, reason: `${deployment.metadata.name} is paused; kubectl refuses to roll back a paused Deployment` };
  if (!previous) return { ok: false, reason: `no ReplicaSet of ${deployment.metadata.name} has a revision below ${current}: there is no previous revision to roll back to` };
  const template = withoutHashLabel(previous.replicaSet.spec.template);
  if (isDeepStrictEqual(template, withoutHashLabel(deployment.spec.template))) {
    return { ok: false, reason: `the current template already matches revision ${previous.revision}` };
  }
  const annotations = undoAnnotations(deployment.metadata.annotations ?? {}, previous.replicaSet.metadata.annotations ?? {});
  return {
    ok: true,
    fromRevision: current,
    toRevision: previous.revision,
    replicaSet: previous.replicaSet.metadata.name,
    images: imagesOf(template),
    template,
    patch: [
      { op: 'test', path: `/metadata/annotations/${pointerToken(revisionAnnotation)}`, value: String(current) },
      { op: 'replace', path: '/spec/template', value: template },
      { op: 'replace', path: '/metadata/annotations', value: annotations },
    ],
  };
}

export function imagesOf(template: PodTemplateJson): string[] {
  return (template.spec?.containers ?? []).map((container) => container.image ?? container.name);
}

function undoAnnotations(deployment: Readonly<Record<string, string>>, replicaSet: Readonly<Record<string, string>>): Record<string, string> {
  const kept = Object.entries(deployment).filter(([key]) => annotationsToSkip.has(key));
  const restored = Object.entries(replicaSet).filter(([key]) => !annotationsToSkip.has(key));
  return Object.fromEntries([...kept, ...restored]);
}

function withoutHashLabel(template: PodTemplateJson): PodTemplateJson {
  const copy = structuredClone(template);
  if (copy.metadata?.labels) delete copy.metadata.labels[hashLabel];
  return copy;
}

/** RFC 6901: `~` and `/` inside a key are escaped. */
function pointerToken(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}
