/**
 * The ownership map: the same graph `steadyops diagram` draws (buildOwnershipGraph), laid out by the same elkjs
 * layout (layoutOwnershipGraph), drawn with @xyflow/react. Loaded lazily: the Services page imports it with React.lazy.
 */
import { Background, type Edge, type EdgeProps, Handle, MarkerType, type Node, type NodeProps, Position, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useQuery } from '@tanstack/react-query';
import { layoutOwnershipGraph, type LaidOutGraph, type LaidOutNode } from '../../../src/model/diagram/layout-ownership-graph.ts';
import { buildOwnershipGraph } from '../../../src/model/ownership-graph.ts';
import type { ResolvedModel } from '../../../src/model/resolve.ts';
import type { CatalogModel } from '../api-types.ts';
import { Link } from '../Link.tsx';
import { Loaded } from '../Panel.tsx';
import { serviceDetailLink } from '../services-catalog.ts';

type MapNodeData = { readonly node: LaidOutNode; readonly onTeam: (team: string) => void; readonly selectedTeam: string };
type MapNode = Node<MapNodeData>;
type MapEdgeData = { readonly points: readonly { readonly x: number; readonly y: number }[]; readonly critical: boolean };
type MapEdge = Edge<MapEdgeData>;

const hidden = { opacity: 0, pointerEvents: 'none' as const };

function Handles() {
  return (
    <>
      <Handle type="target" position={Position.Left} style={hidden} isConnectable={false} />
      <Handle type="source" position={Position.Right} style={hidden} isConnectable={false} />
    </>
  );
}

function subtitle(node: LaidOutNode): string {
  const tier = node.tier !== undefined ? `tier ${node.tier}` : '';
  if (node.kind === 'datastore') return [node.engine, tier].filter(Boolean).join(' · ');
  if (node.kind === 'external') return 'external';
  return tier;
}

function TeamNode(props: NodeProps<MapNode>) {
  const { node, onTeam, selectedTeam } = props.data;
  return (
    <div className={`map-team${node.context ? ' context' : ''}`} style={{ width: node.width, height: node.height }} data-map-node={node.id}>
      <Handles />
      <button type="button" className="map-team-title nodrag nopan" aria-pressed={selectedTeam === node.name} onClick={() => onTeam(node.name)} title={`Show ${node.name}'s services`}>
        team {node.name}
      </button>
    </div>
  );
}

function LeafNode(props: NodeProps<MapNode>) {
  const { node } = props.data;
  const label = (
    <>
      <span className="map-name">{node.name}</span>
      <span className="map-sub">{subtitle(node)}</span>
    </>
  );
  return (
    <div className={`map-leaf map-${node.kind}${node.context ? ' context' : ''}`} style={{ width: node.width, height: node.height }} data-map-node={node.id}>
      <Handles />
      {node.kind === 'service' ? (
        <Link to={serviceDetailLink(node.name)} className="map-link nodrag nopan">
          {label}
        </Link>
      ) : (
        <span className="map-link">{label}</span>
      )}
    </div>
  );
}

/** Draws ELK's routed polyline as is, not xyflow's own path between handles. */
function RoutedEdge(props: EdgeProps<MapEdge>) {
  const points = props.data?.points ?? [];
  if (points.length < 2) return null;
  const path = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${point.x},${point.y}`).join(' ');
  return <path d={path} className={`map-edge${props.data?.critical ? ' critical' : ''}`} markerEnd={props.markerEnd} fill="none" />;
}

const nodeTypes = { team: TeamNode, leaf: LeafNode };
const edgeTypes = { routed: RoutedEdge };

export function toFlow(laidOut: LaidOutGraph, onTeam: (team: string) => void, selectedTeam: string): { nodes: MapNode[]; edges: MapEdge[] } {
  // teams first: xyflow draws later nodes on top, so what a team owns stays clickable inside its box
  const ordered = [...laidOut.nodes].sort((a, b) => (a.kind === 'team' ? 0 : 1) - (b.kind === 'team' ? 0 : 1));
  const nodes: MapNode[] = ordered.map((node) => ({
    id: node.id,
    type: node.kind === 'team' ? 'team' : 'leaf',
    position: { x: node.x, y: node.y },
    width: node.width,
    height: node.height,
    data: { node, onTeam, selectedTeam },
    draggable: false,
    selectable: false,
    focusable: false,
    ariaLabel: `${node.kind} ${node.name}`,
    ...(node.kind === 'team' ? { zIndex: 0 } : { zIndex: 1 }),
  }));
  const edges: MapEdge[] = laidOut.edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    target: edge.target,
    type: 'routed',
    data: { points: edge.points, critical: edge.critical },
    markerEnd: { type: MarkerType.ArrowClosed, width: 14, height: 14, color: edge.critical ? '#ff7b72' : '#8b949e' },
    zIndex: 2,
    focusable: false,
    selectable: false,
  }));
  return { nodes, edges };
}

export default function ServicesMap(props: { readonly model: CatalogModel; readonly team: string; readonly onTeam: (team: string) => void }) {
  const layout = useQuery({
    queryKey: ['ownership-map', props.team],
    staleTime: 60_000,
    // the API serves the resolved model: the same input the CLI's diagram builds its graph from
    queryFn: () => layoutOwnershipGraph(buildOwnershipGraph(props.model as unknown as ResolvedModel, props.team ? { team: props.team } : {})),
  });
  return (
    <Loaded query={layout} what="the ownership map">
      {(laidOut) => {
        const { nodes, edges } = toFlow(laidOut, props.onTeam, props.team);
        const height = Math.min(Math.max(laidOut.height + 40, 320), 1400);
        return (
          <div className="ownership-map" style={{ height }} data-testid="ownership-map">
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              edgeTypes={edgeTypes}
              fitView
              minZoom={0.2}
              maxZoom={2}
              nodesDraggable={false}
              nodesConnectable={false}
              nodesFocusable={false}
              edgesFocusable={false}
              elementsSelectable={false}
              colorMode="dark"
              aria-label="Ownership map"
            >
              <Background gap={24} color="#30363d" />
            </ReactFlow>
          </div>
        );
      }}
    </Loaded>
  );
}
