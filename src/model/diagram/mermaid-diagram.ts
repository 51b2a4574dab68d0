import type { OwnershipEdge, OwnershipGraph, OwnershipNode } from '../ownership-graph.ts';
import { diagramColors, groupByTeam, nodeSubtitle, safeIds } from './diagram-parts.ts';

/**
 * The ownership map as a Mermaid flowchart (left to right): a subgraph per team holding its services
 * and datastores, externals outside. Tier-1 nodes are bold with a red outline, critical
 * dependencies thick red arrows labelled "critical".
 */
export function renderMermaidDiagram(graph: OwnershipGraph): string {
  const ids = safeIds(graph);
  const id = (nodeId: string) => ids.get(nodeId) as string;
  const { teams, loose } = groupByTeam(graph);
  const lines = ['flowchart LR'];
  for (const { team, members } of teams) {
    lines.push(`  subgraph ${id(team.id)}["${mermaidText(team.context ? `${team.name} (context)` : team.name)}"]`);
    for (const member of members) lines.push(`    ${nodeDeclaration(member, id(member.id))}`);
    lines.push('  end');
  }
  for (const node of loose) lines.push(`  ${nodeDeclaration(node, id(node.id))}`);
  const dependencies = graph.edges.filter((edge) => edge.kind === 'dependsOn');
  for (const edge of dependencies) lines.push(`  ${edgeLine(edge, id)}`);
  lines.push(...styles(graph, id));
  const critical = dependencies.flatMap((edge, index) => (edge.critical ? [index] : []));
  if (critical.length > 0) lines.push(`  linkStyle ${critical.join(',')} stroke:${diagramColors.critical},stroke-width:3px`);
  return `${lines.join('\n')}\n`;
}

/**
 * Label text for inside `"…"`: anything beyond plain letters, digits and a few punctuation marks
 * becomes a Mermaid entity code (`#35;`), so no name can close the label or inject markup.
 */
export function mermaidText(text: string): string {
  return [...text].map((char) => (/^[A-Za-z0-9 .,:_\/()+-]$/.test(char) ? char : `#${char.codePointAt(0)};`)).join('');
}

function nodeDeclaration(node: OwnershipNode, id: string): string {
  const subtitle = nodeSubtitle(node);
  const label = `"${mermaidText(node.name)}${subtitle ? `<br/>${mermaidText(subtitle)}` : ''}"`;
  if (node.kind === 'datastore') return `${id}[(${label})]`;
  if (node.kind === 'external') return `${id}{{${label}}}`;
  return `${id}[${label}]`;
}

function edgeLine(edge: OwnershipEdge, id: (nodeId: string) => string): string {
  return edge.critical ? `${id(edge.source)} ==>|critical| ${id(edge.target)}` : `${id(edge.source)} --> ${id(edge.target)}`;
}

function styles(graph: OwnershipGraph, id: (nodeId: string) => string): string[] {
  const classes: Record<string, OwnershipNode[]> = {
    tier1: graph.nodes.filter((node) => node.tier === 1),
    datastore: graph.nodes.filter((node) => node.kind === 'datastore'),
    external: graph.nodes.filter((node) => node.kind === 'external'),
    context: graph.nodes.filter((node) => node.context && node.kind !== 'team'),
  };
  const definitions = [
    `  classDef datastore fill:${diagramColors.datastore},stroke:${diagramColors.muted},color:${diagramColors.ink}`,
    `  classDef external fill:${diagramColors.external},stroke:${diagramColors.muted},stroke-dasharray:5 3,color:${diagramColors.ink}`,
    `  classDef context fill:${diagramColors.context},stroke:${diagramColors.edge},stroke-dasharray:3 3,color:${diagramColors.muted}`,
    `  classDef tier1 stroke:${diagramColors.critical},stroke-width:3px,font-weight:bold`,
  ];
  // later class lines win, so tier-1 keeps its red outline whatever its kind
  const order = ['datastore', 'external', 'context', 'tier1'];
  const assignments = order.flatMap((name) => {
    const members = classes[name] ?? [];
    return members.length > 0 ? [`  class ${members.map((node) => id(node.id)).join(',')} ${name}`] : [];
  });
  return [...definitions, ...assignments];
}
