import type { OwnershipGraph, OwnershipNode } from '../ownership-graph.ts';

/** Nodes grouped as the diagrams draw them: each team with what it owns, then what no shown team owns. */
export interface TeamGroups {
  readonly teams: readonly { readonly team: OwnershipNode; readonly members: readonly OwnershipNode[] }[];
  readonly loose: readonly OwnershipNode[];
}

export function groupByTeam(graph: OwnershipGraph): TeamGroups {
  const teams = graph.nodes.filter((node) => node.kind === 'team');
  const teamIds = new Set(teams.map((team) => team.id));
  return {
    teams: teams.map((team) => ({ team, members: graph.nodes.filter((node) => node.owner === team.id) })),
    loose: graph.nodes.filter((node) => node.kind !== 'team' && !(node.owner !== undefined && teamIds.has(node.owner))),
  };
}

/** The second line of a node's label: `tier 1`, `postgresql · tier 1`, `external`. */
export function nodeSubtitle(node: OwnershipNode): string {
  const tier = node.tier !== undefined ? `tier ${node.tier}` : '';
  if (node.kind === 'datastore') return [node.engine, tier].filter(Boolean).join(' · ');
  if (node.kind === 'external') return 'external';
  return tier;
}

/**
 * Identifiers safe in any diagram syntax (letters, digits, underscores, starting with a letter),
 * readable (`service_checkout_api`) and unique even when two names differ only in punctuation.
 */
export function safeIds(graph: OwnershipGraph): ReadonlyMap<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const node of graph.nodes) {
    const base = `${node.kind}_${node.name.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '')}`;
    let id = base;
    for (let n = 2; used.has(id); n += 1) id = `${base}_${n}`;
    used.add(id);
    ids.set(node.id, id);
  }
  return ids;
}

export const diagramColors = {
  critical: '#d93025',
  edge: '#8c959f',
  ink: '#1f2328',
  muted: '#57606a',
  service: '#ffffff',
  datastore: '#fff4d6',
  external: '#f1e8ff',
  team: '#e8eef6',
  context: '#f6f8fa',
} as const;
