import type { ResolvedModel } from '../model/resolve.ts';
import type { FindingDraft } from './control.ts';

/** The model datastore a finding is about: controls name it `Datastore NAME` (see `modelFinding`). */
export function datastoreOfFinding(finding: Pick<FindingDraft, 'resource'>): string | undefined {
  const match = /^Datastore (\S+)$/.exec(finding.resource);
  return match?.[1];
}

/** What a finding (or a recorded one, which keeps `datastore` instead of the resource) is about. */
export interface FindingSubject {
  readonly service?: string | undefined;
  readonly team?: string | undefined;
  readonly resource?: string;
  readonly datastore?: string;
}

/** The team a finding belongs to: its own `team`, else the owner of its service or datastore in the model. */
export function teamOfFinding(finding: FindingSubject, model: ResolvedModel | undefined): string | undefined {
  if (finding.team) return finding.team;
  if (!model) return undefined;
  if (finding.service) return model.services.find((service) => service.name === finding.service)?.owner;
  const datastore = finding.datastore ?? (finding.resource === undefined ? undefined : datastoreOfFinding({ resource: finding.resource }));
  return datastore ? model.datastores.find((entry) => entry.name === datastore)?.owner : undefined;
}

export type ModelNode = { readonly kind: 'service' | 'datastore'; readonly name: string };

/**
 * Every service that depends on the node, directly or through other services (an outage travels up the
 * `dependsOn` chain), sorted by name; the node itself is never its own dependent.
 */
export function transitiveDependents(model: ResolvedModel, node: ModelNode): string[] {
  const found = new Set<string>();
  let frontier: ModelNode[] = [node];
  while (frontier.length > 0) {
    const next: ModelNode[] = [];
    for (const target of frontier) {
      for (const service of directDependents(model, target)) {
        if (found.has(service) || (node.kind === 'service' && service === node.name)) continue;
        found.add(service);
        next.push({ kind: 'service', name: service });
      }
    }
    frontier = next;
  }
  return [...found].sort();
}

/** Services whose `dependsOn` names the node. */
export function directDependents(model: ResolvedModel, node: ModelNode): string[] {
  return model.services
    .filter((service) => (service.dependsOn ?? []).some((dependency) => (node.kind === 'service' ? dependency.service : dependency.datastore) === node.name))
    .map((service) => service.name);
}

/** The datastores a service depends on directly. */
export function datastoresOfService(model: ResolvedModel, service: string): string[] {
  const entry = model.services.find((candidate) => candidate.name === service);
  return (entry?.dependsOn ?? []).flatMap((dependency) => (dependency.datastore ? [dependency.datastore] : []));
}
