import { diagramColors, nodeSubtitle } from './diagram-parts.ts';
import { teamTitleHeight, type LaidOutEdge, type LaidOutGraph, type LaidOutNode } from './layout-ownership-graph.ts';

const font = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif';

/**
 * A standalone SVG of a laid-out ownership map. Styling is presentation attributes only (no <style>,
 * no style="…"), so a Content-Security-Policy that forbids inline styles still shows it; every text
 * sits on an opaque fill and edges are mid-grey or red, so it reads on dark and light pages alike.
 */
export function renderSvgDiagram(layout: LaidOutGraph, options: { readonly title?: string } = {}): string {
  const width = round(Math.max(layout.width, legendWidth + 32));
  const height = round(layout.height + legendHeight);
  const title = options.title ?? 'Ownership map';
  const teams = layout.nodes.filter((node) => node.kind === 'team');
  const others = layout.nodes.filter((node) => node.kind !== 'team');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" font-family="${font}">`,
    `<title>${escapeXml(title)}</title>`,
    '<defs>',
    marker('so-arrow', diagramColors.edge),
    marker('so-arrow-critical', diagramColors.critical),
    '</defs>',
    ...teams.map(teamGroup),
    ...layout.edges.map(edgeLine),
    ...others.map(nodeGroup),
    legend(16, round(layout.height)),
    '</svg>',
  ].join('\n') + '\n';
}

/** Text for XML content and attribute values; characters XML 1.0 forbids become U+FFFD. */
export function escapeXml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const legendWidth = 520;
const legendHeight = 40;

/** What the outlines and arrows mean, on its own opaque panel below the map. */
function legend(x: number, y: number): string {
  const text = (dx: number, label: string) => `<text x="${x + dx}" y="${y + 21}" font-size="11" fill="${diagramColors.ink}">${label}</text>`;
  return [
    '<g data-kind="legend">',
    `<rect x="${x}" y="${y}" width="${legendWidth}" height="30" rx="6" fill="${diagramColors.context}" stroke="${diagramColors.edge}"/>`,
    `<rect x="${x + 10}" y="${y + 9}" width="22" height="12" rx="3" fill="${diagramColors.service}" stroke="${diagramColors.critical}" stroke-width="3"/>`,
    text(38, 'tier 1'),
    `<line x1="${x + 86}" y1="${y + 15}" x2="${x + 116}" y2="${y + 15}" stroke="${diagramColors.critical}" stroke-width="2.5" marker-end="url(#so-arrow-critical)"/>`,
    text(122, 'critical dependency'),
    `<line x1="${x + 240}" y1="${y + 15}" x2="${x + 270}" y2="${y + 15}" stroke="${diagramColors.edge}" stroke-width="1.5" marker-end="url(#so-arrow)"/>`,
    text(276, 'dependency'),
    `<rect x="${x + 350}" y="${y + 9}" width="22" height="12" rx="6" fill="${diagramColors.datastore}" stroke="${diagramColors.muted}"/>`,
    text(378, 'datastore'),
    `<rect x="${x + 440}" y="${y + 9}" width="22" height="12" rx="3" fill="${diagramColors.external}" stroke="${diagramColors.muted}" stroke-dasharray="4 2"/>`,
    text(468, 'external'),
    '</g>',
  ].join('\n');
}

function marker(id: string, color: string): string {
  return `<marker id="${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`;
}

function teamGroup(team: LaidOutNode): string {
  const dash = team.context ? ' stroke-dasharray="6 4"' : '';
  const fill = team.context ? diagramColors.context : diagramColors.team;
  return [
    `<g data-kind="team" data-name="${escapeXml(team.name)}">`,
    `<rect x="${round(team.x)}" y="${round(team.y)}" width="${round(team.width)}" height="${round(team.height)}" rx="10" fill="${fill}" stroke="${diagramColors.muted}" stroke-width="1.5"${dash}/>`,
    `<text x="${round(team.x + 12)}" y="${round(team.y + teamTitleHeight / 2 + 9)}" font-size="13" font-weight="700" fill="${diagramColors.ink}">${escapeXml(team.name)}${team.context ? ' (context)' : ''}</text>`,
    '</g>',
  ].join('\n');
}

function nodeGroup(node: LaidOutNode): string {
  const fill = node.context ? diagramColors.context : { service: diagramColors.service, datastore: diagramColors.datastore, external: diagramColors.external, team: diagramColors.team }[node.kind];
  const tier1 = node.tier === 1;
  const stroke = tier1 ? diagramColors.critical : diagramColors.muted;
  const dash = node.kind === 'external' || node.context ? ' stroke-dasharray="5 3"' : '';
  const subtitle = nodeSubtitle(node);
  const centre = round(node.x + node.width / 2);
  return [
    `<g data-kind="${node.kind}" data-name="${escapeXml(node.name)}"${node.tier !== undefined ? ` data-tier="${node.tier}"` : ''}>`,
    `<rect x="${round(node.x)}" y="${round(node.y)}" width="${round(node.width)}" height="${round(node.height)}" rx="${node.kind === 'datastore' ? 14 : 6}" fill="${fill}" stroke="${stroke}" stroke-width="${tier1 ? 3 : 1.2}"${dash}/>`,
    `<text x="${centre}" y="${round(node.y + (subtitle ? 18 : 26))}" text-anchor="middle" font-size="12" font-weight="${tier1 ? 700 : 500}" fill="${node.context ? diagramColors.muted : diagramColors.ink}">${escapeXml(node.name)}</text>`,
    subtitle ? `<text x="${centre}" y="${round(node.y + 33)}" text-anchor="middle" font-size="11" fill="${diagramColors.muted}">${escapeXml(subtitle)}</text>` : '',
    '</g>',
  ]
    .filter(Boolean)
    .join('\n');
}

function edgeLine(edge: LaidOutEdge): string {
  const points = edge.points.map((point) => `${round(point.x)},${round(point.y)}`).join(' ');
  const color = edge.critical ? diagramColors.critical : diagramColors.edge;
  return `<polyline data-edge="${escapeXml(edge.id)}"${edge.critical ? ' data-critical="true"' : ''} points="${points}" fill="none" stroke="${color}" stroke-width="${edge.critical ? 2.5 : 1.5}" marker-end="url(#${edge.critical ? 'so-arrow-critical' : 'so-arrow'})"/>`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
