import type { ResolvedModel, ResolvedService } from './resolve.ts';

export type OwnershipNodeKind = 'team' | 'service' | 'datastore' | 'external';

export interface OwnershipNode {
  /** `kind:name`, unique in the graph */
  readonly id: string;
  readonly kind: OwnershipNodeKind;
  readonly name: string;
  /** 1 critical … 3; datastores may have none, teams and externals never */
  readonly tier?: 1 | 2 | 3;
  /** id of the owning team node, for services and datastores */
  readonly owner?: string;
  /** datastore engine, e.g. postgresql */
  readonly engine?: string;
  /** shown only because a filtered team's services depend on it (or it owns such a dependency) */
  readonly context: boolean;
}

export interface OwnershipEdge {
  readonly id: string;
  readonly kind: 'owns' | 'dependsOn';
  readonly source: string;
  readonly target: string;
  /** a dependency the service cannot work without; owns edges are never critical */
  readonly critical: boolean;
}

/** The ownership map: teams own services and datastores; services depend on services, datastores and externals. */
export interface OwnershipGraph {
  readonly nodes: readonly OwnershipNode[];
  readonly edges: readonly OwnershipEdge[];
  /** the team the graph was filtered to, if any */
  readonly team?: string;
}

export function nodeId(kind: OwnershipNodeKind, name: string): string {
  return `${kind}:${name}`;
}

/**
 * Pure: the ownership map of the whole model, or with `team` that team's services and datastores,
 * their dependencies one hop out, and the teams owning those dependencies (as context).
 */
export function buildOwnershipGraph(model: ResolvedModel, options: { readonly team?: string } = {}): OwnershipGraph {
  const all = fullNodes(model);
  const dependencies = model.services.flatMap(dependencyEdges).filter((edge) => all.has(edge.target));
  if (options.team === undefined) return { nodes: [...all.values()], edges: [...ownsEdges([...all.values()]), ...dependencies] };

  const team = nodeId('team', options.team);
  const core = new Set([team, ...[...all.values()].filter((node) => node.owner === team).map((node) => node.id)]);
  const edges = dependencies.filter((edge) => core.has(edge.source));
  const shown = new Set([...core, ...edges.map((edge) => edge.target)]);
  for (const id of [...shown]) {
    const owner = all.get(id)?.owner;
    if (owner) shown.add(owner);
  }
  const nodes = [...all.values()].filter((node) => shown.has(node.id)).map((node) => ({ ...node, context: !core.has(node.id) }));
  return { nodes, edges: [...ownsEdges(nodes), ...edges], team: options.team };
}

function fullNodes(model: ResolvedModel): Map<string, OwnershipNode> {
  const nodes: OwnershipNode[] = [
    ...model.teams.map((team) => ({ id: nodeId('team', team.name), kind: 'team' as const, name: team.name, context: false })),
    ...model.services.map((service) => ({
      id: nodeId('service', service.name),
      kind: 'service' as const,
      name: service.name,
      tier: service.tier,
      owner: nodeId('team', service.owner),
      context: false,
    })),
    ...model.datastores.map((datastore) => ({
      id: nodeId('datastore', datastore.name),
      kind: 'datastore' as const,
      name: datastore.name,
      ...(datastore.tier !== undefined ? { tier: datastore.tier } : {}),
      owner: nodeId('team', datastore.owner),
      engine: datastore.engine,
      context: false,
    })),
    ...externalNames(model).map((name) => ({ id: nodeId('external', name), kind: 'external' as const, name, context: false })),
  ];
  return new Map(nodes.map((node) => [node.id, node]));
}

function externalNames(model: ResolvedModel): string[] {
  const names = model.services.flatMap((service) => (service.dependsOn ?? []).flatMap((dependency) => (dependency.external !== undefined ? [dependency.external] : [])));
  return [...new Set(names)];
}

function ownsEdges(nodes: readonly OwnershipNode[]): OwnershipEdge[] {
  const ids = new Set(nodes.map((node) => node.id));
  return nodes
    .filter((node) => node.owner !== undefined && ids.has(node.owner))
    .map((node) => ({ id: `${node.owner}->${node.id}`, kind: 'owns', source: node.owner as string, target: node.id, critical: false }));
}

function dependencyEdges(service: ResolvedService): OwnershipEdge[] {
  const source = nodeId('service', service.name);
  const critical = new Map<string, boolean>();
  for (const dependency of service.dependsOn ?? []) {
    const target =
      dependency.service !== undefined
        ? nodeId('service', dependency.service)
        : dependency.datastore !== undefined
          ? nodeId('datastore', dependency.datastore)
          : nodeId('external', dependency.external ?? '');
    // the same dependency declared twice is one edge, critical if either says so
    critical.set(target, (critical.get(target) ?? false) || dependency.critical === true);
  }
  return [...critical].map(([target, isCritical]) => ({ id: `${source}->${target}`, kind: 'dependsOn', source, target, critical: isCritical }));
}
