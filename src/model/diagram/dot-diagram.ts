import type { OwnershipGraph, OwnershipNode } from '../ownership-graph.ts';
import { diagramColors, groupByTeam, nodeSubtitle } from './diagram-parts.ts';

/**
 * The ownership map in Graphviz DOT (left to right): a cluster per team holding its services and
 * datastores, externals outside; tier-1 nodes bold with a red outline, critical dependencies thick red.
 */
export function renderDotDiagram(graph: OwnershipGraph): string {
  const { teams, loose } = groupByTeam(graph);
  const lines = [
    'digraph ownership {',
    '  graph [rankdir=LR, fontname="Helvetica", nodesep=0.3, ranksep=0.8];',
    `  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11, fillcolor="${diagramColors.service}", color="${diagramColors.muted}", fontcolor="${diagramColors.ink}"];`,
    `  edge [color="${diagramColors.edge}", arrowsize=0.7];`,
  ];
  for (const { team, members } of teams) {
    lines.push(`  subgraph ${dotId(`cluster_${team.id}`)} {`);
    lines.push(`    label=${dotId(team.context ? `${team.name} (context)` : team.name)}; style="rounded,filled${team.context ? ',dashed' : ''}"; fillcolor="${team.context ? diagramColors.context : diagramColors.team}"; color="${diagramColors.muted}"; fontcolor="${diagramColors.ink}";`);
    for (const member of members) lines.push(`    ${nodeStatement(member)}`);
    lines.push('  }');
  }
  for (const node of loose) lines.push(`  ${nodeStatement(node)}`);
  for (const edge of graph.edges.filter((candidate) => candidate.kind === 'dependsOn')) {
    const attributes = edge.critical ? ` [color="${diagramColors.critical}", penwidth=2.5, label="critical", fontsize=9, fontcolor="${diagramColors.critical}"]` : '';
    lines.push(`  ${dotId(edge.source)} -> ${dotId(edge.target)}${attributes};`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A double-quoted DOT string: backslashes and quotes escaped, line breaks as `\n`, so no name ends it early. */
export function dotId(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r\n|[\r\n]/g, '\\n')}"`;
}

function nodeStatement(node: OwnershipNode): string {
  const subtitle = nodeSubtitle(node);
  const attributes = [`label=${dotId(subtitle ? `${node.name}\n${subtitle}` : node.name)}`];
  if (node.kind === 'datastore') attributes.push('shape=cylinder', 'style="filled"', `fillcolor="${diagramColors.datastore}"`);
  if (node.kind === 'external') attributes.push('shape=hexagon', 'style="filled,dashed"', `fillcolor="${diagramColors.external}"`);
  if (node.context) attributes.push(`fillcolor="${diagramColors.context}"`, `fontcolor="${diagramColors.muted}"`);
  if (node.tier === 1) attributes.push(`color="${diagramColors.critical}"`, 'penwidth=2.5', 'fontname="Helvetica-Bold"');
  return `${dotId(node.id)} [${attributes.join(', ')}];`;
}
