import { describe, expect, it } from 'vitest';
import { buildOwnershipGraph } from '../ownership-graph.ts';
import { demoModel, hostileModel, hostileName } from './diagram-test-models.ts';
import { mermaidText, renderMermaidDiagram } from './mermaid-diagram.ts';

interface ParsedFlowchart {
  subgraphs: string[];
  nodes: Map<string, string>;
  edges: { from: string; to: string; critical: boolean }[];
  classes: Map<string, string[]>;
  linkStyles: number[];
}

const safeId = /^[A-Za-z][A-Za-z0-9_]*$/;
const label = '"([^"<>]*(?:<br/>[^"<>]*)?)"';
const nodeLine = new RegExp(`^(\\S+)(?:\\[${label}\\]|\\[\\(${label}\\)\\]|\\{\\{${label}\\}\\})$`);

/** A strict reader of the subset of flowchart syntax the renderer writes: anything else fails the test. */
function parseFlowchart(text: string): ParsedFlowchart {
  const lines = text.trimEnd().split('\n');
  expect(lines[0]).toBe('flowchart LR');
  const parsed: ParsedFlowchart = { subgraphs: [], nodes: new Map(), edges: [], classes: new Map(), linkStyles: [] };
  let depth = 0;
  for (const raw of lines.slice(1)) {
    const line = raw.trim();
    let match: RegExpExecArray | null;
    if ((match = new RegExp(`^subgraph (\\S+)\\[${label}\\]$`).exec(line))) {
      parsed.subgraphs.push(match[1]!);
      depth += 1;
    } else if (line === 'end') {
      depth -= 1;
      expect(depth).toBeGreaterThanOrEqual(0);
    } else if ((match = /^(\S+) (-->|==>\|critical\|) (\S+)$/.exec(line))) {
      parsed.edges.push({ from: match[1]!, to: match[3]!, critical: match[2] !== '-->' });
    } else if ((match = /^classDef (\w+) [^"<>;]+$/.exec(line))) {
      parsed.classes.set(match[1]!, []);
    } else if ((match = /^class (\S+) (\w+)$/.exec(line))) {
      parsed.classes.get(match[2]!)!.push(...match[1]!.split(','));
    } else if ((match = /^linkStyle ([\d,]+) [^"<>;]+$/.exec(line))) {
      parsed.linkStyles.push(...match[1]!.split(',').map(Number));
    } else if ((match = nodeLine.exec(line))) {
      parsed.nodes.set(match[1]!, match[2] ?? match[3] ?? match[4] ?? '');
    } else {
      throw new Error(`unexpected Mermaid line: ${raw}`);
    }
  }
  expect(depth).toBe(0);
  return parsed;
}

function expectConsistent(parsed: ParsedFlowchart): void {
  const ids = [...parsed.subgraphs, ...parsed.nodes.keys()];
  expect(new Set(ids).size).toBe(ids.length);
  for (const id of ids) expect(id).toMatch(safeId);
  for (const id of ids) expect(['end', 'graph', 'subgraph', 'flowchart']).not.toContain(id);
  for (const edge of parsed.edges) {
    expect(parsed.nodes.has(edge.from), edge.from).toBe(true);
    expect(parsed.nodes.has(edge.to), edge.to).toBe(true);
  }
  for (const members of parsed.classes.values()) for (const id of members) expect(parsed.nodes.has(id), id).toBe(true);
  expect(parsed.linkStyles).toEqual(parsed.edges.flatMap((edge, index) => (edge.critical ? [index] : [])));
}

describe('renderMermaidDiagram', () => {
  it('draws the demo organisation: a subgraph per team, every dependency an edge between declared nodes', async () => {
    const graph = buildOwnershipGraph(await demoModel());
    const parsed = parseFlowchart(renderMermaidDiagram(graph));
    expectConsistent(parsed);
    expect(parsed.subgraphs).toEqual(['team_payments', 'team_identity', 'team_platform', 'team_growth']);
    expect(parsed.nodes.size).toBe(17);
    expect(parsed.edges).toHaveLength(24);
    expect(parsed.edges.filter((edge) => edge.critical)).toHaveLength(12);
    expect(parsed.nodes.get('service_checkout_api')).toBe('checkout-api<br/>tier 1');
    expect(parsed.classes.get('tier1')).toContain('datastore_core_postgres');
    expect(parsed.classes.get('external')).toEqual(['external_stripe_api', 'external_maxmind_geoip', 'external_sendgrid']);
  });

  it('marks the context of a team view', async () => {
    const parsed = parseFlowchart(renderMermaidDiagram(buildOwnershipGraph(await demoModel(), { team: 'identity' })));
    expectConsistent(parsed);
    expect(parsed.classes.get('context')).toEqual(expect.arrayContaining(['datastore_core_postgres', 'datastore_events_kafka']));
    expect(parsed.nodes.has('service_checkout_api')).toBe(false);
  });

  it('keeps hostile names inside their labels and ids safe', async () => {
    const text = renderMermaidDiagram(buildOwnershipGraph(await hostileModel()));
    const parsed = parseFlowchart(text);
    expectConsistent(parsed);
    expect(text).not.toContain('<script>');
    expect([...parsed.nodes.values()]).toContain(`${mermaidText(hostileName)}<br/>external`);
    expect(parsed.nodes.has('external_end')).toBe(true);
    expect(parsed.nodes.has('external_e_n_d')).toBe(true);
  });

  it('encodes everything but plain text as entity codes', () => {
    expect(mermaidText('a "b" <c> #1 · é')).toBe('a #34;b#34; #60;c#62; #35;1 #183; #233;');
  });
});
