import type { OwnershipGraph } from '../ownership-graph.ts';
import { renderDotDiagram } from './dot-diagram.ts';
import { layoutOwnershipGraph } from './layout-ownership-graph.ts';
import { renderMermaidDiagram } from './mermaid-diagram.ts';
import { renderSvgDiagram } from './svg-diagram.ts';

export const diagramFormats = ['mermaid', 'svg', 'dot'] as const;
export type DiagramFormat = (typeof diagramFormats)[number];

/** The ownership map in one of the formats; SVG waits for the ELK layout. */
export async function renderOwnershipDiagram(graph: OwnershipGraph, format: DiagramFormat): Promise<string> {
  if (format === 'mermaid') return renderMermaidDiagram(graph);
  if (format === 'dot') return renderDotDiagram(graph);
  const title = graph.team === undefined ? 'Ownership map' : `Ownership map: ${graph.team}`;
  return renderSvgDiagram(await layoutOwnershipGraph(graph), { title });
}
