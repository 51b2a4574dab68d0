import ElkBundled from 'elkjs/lib/elk.bundled.js';
import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { OwnershipEdge, OwnershipGraph, OwnershipNode } from '../ownership-graph.ts';
import { groupByTeam, nodeSubtitle } from './diagram-parts.ts';

// No Node-only imports here: the web dashboard lays out the same map with this function.

export interface Box {
  /** absolute, from the top-left corner of the whole drawing */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type LaidOutNode = OwnershipNode & Box;

export interface LaidOutEdge extends OwnershipEdge {
  /** absolute polyline from the source's border to the target's border, bends included */
  readonly points: readonly { readonly x: number; readonly y: number }[];
}

/** Teams (containing what they own), services, datastores and externals with positions; dependency edges routed. */
export interface LaidOutGraph {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly LaidOutNode[];
  readonly edges: readonly LaidOutEdge[];
}

export const nodeHeight = 42;
export const teamTitleHeight = 28;

type ElkConstructor = new () => ELK;
const exported = ElkBundled as unknown as ElkConstructor | { default: ElkConstructor };
// the bundle is CommonJS: Node hands over the constructor, some bundlers a namespace holding it
const Elk: ElkConstructor = typeof exported === 'function' ? exported : exported.default;

const rootOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.spacing.nodeNode': '24',
  'elk.layered.spacing.nodeNodeBetweenLayers': '48',
  'elk.spacing.edgeNode': '16',
  'elk.padding': '[top=16,left=16,bottom=16,right=16]',
};

/** Lays the ownership map out with ELK's layered algorithm, left to right, teams as compound nodes. */
export async function layoutOwnershipGraph(graph: OwnershipGraph): Promise<LaidOutGraph> {
  const laidOut = await new Elk().layout(elkGraph(graph));
  const boxes = new Map<string, Box>();
  collectBoxes(laidOut, 0, 0, boxes);
  const nodes = graph.nodes.map((node) => ({ ...node, ...(boxes.get(node.id) as Box) }));
  const edges = (laidOut.edges ?? []).flatMap((edge) => placedEdge(edge, graph, boxes));
  return { width: laidOut.width ?? 0, height: laidOut.height ?? 0, nodes, edges };
}

/** Text is measured by estimate (no DOM here): about 7 px a character at 12 px bold, 6.2 at 11 px. */
export function nodeWidth(node: OwnershipNode): number {
  return Math.ceil(Math.max(96, node.name.length * 7.2 + 24, nodeSubtitle(node).length * 6.2 + 24));
}

function elkGraph(graph: OwnershipGraph): ElkNode {
  const { teams, loose } = groupByTeam(graph);
  const leaf = (node: OwnershipNode): ElkNode => ({ id: node.id, width: nodeWidth(node), height: nodeHeight });
  return {
    id: 'root',
    layoutOptions: rootOptions,
    children: [
      ...teams.map(({ team, members }) => ({
        id: team.id,
        layoutOptions: {
          'elk.padding': `[top=${teamTitleHeight + 8},left=14,bottom=14,right=14]`,
          'elk.nodeSize.constraints': 'MINIMUM_SIZE',
          'elk.nodeSize.minimum': `(${Math.ceil(team.name.length * 8 + 40)},${teamTitleHeight + 20})`,
        },
        children: members.map(leaf),
      })),
      ...loose.map(leaf),
    ],
    edges: graph.edges
      .filter((edge) => edge.kind === 'dependsOn')
      .map((edge): ElkExtendedEdge => ({ id: edge.id, sources: [edge.source], targets: [edge.target] })),
  };
}

function collectBoxes(node: ElkNode, offsetX: number, offsetY: number, boxes: Map<string, Box>): void {
  for (const child of node.children ?? []) {
    const x = offsetX + (child.x ?? 0);
    const y = offsetY + (child.y ?? 0);
    boxes.set(child.id, { x, y, width: child.width ?? 0, height: child.height ?? 0 });
    collectBoxes(child, x, y, boxes);
  }
}

/** ELK gives an edge's points relative to its container node (named in the output's `container`). */
function placedEdge(edge: ElkExtendedEdge, graph: OwnershipGraph, boxes: ReadonlyMap<string, Box>): LaidOutEdge[] {
  const original = graph.edges.find((candidate) => candidate.id === edge.id);
  if (!original) return [];
  const container = (edge as ElkExtendedEdge & { container?: string }).container;
  const offset = container === undefined || container === 'root' ? { x: 0, y: 0 } : (boxes.get(container) ?? { x: 0, y: 0 });
  const points = (edge.sections ?? []).flatMap((section) => [section.startPoint, ...(section.bendPoints ?? []), section.endPoint]);
  return [{ ...original, points: points.map((point) => ({ x: point.x + offset.x, y: point.y + offset.y })) }];
}
