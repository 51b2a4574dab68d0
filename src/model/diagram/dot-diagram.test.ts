import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { reportMissingService } from '../../../test/support/services.ts';
import { buildOwnershipGraph } from '../ownership-graph.ts';
import { demoModel, hostileModel, hostileName } from './diagram-test-models.ts';
import { dotId, renderDotDiagram } from './dot-diagram.ts';

/** Graphviz's own parser is the judge of valid DOT (Debian package `graphviz`). */
function graphvizAvailable(): boolean {
  const probe = spawnSync('dot', ['-V'], { encoding: 'utf8' });
  const available = probe.status === 0;
  if (!available) reportMissingService('Graphviz `dot`', 'not installed; apt-get install -y graphviz');
  return available;
}

function renderWithDot(source: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('dot', ['-Tsvg'], { input: source, encoding: 'utf8', timeout: 20_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('renderDotDiagram', () => {
  it('quotes identifiers so no name can end them', () => {
    expect(dotId('a"b\\c\nd')).toBe('"a\\"b\\\\c\\nd"');
  });

  it('puts each team in a cluster and marks critical dependencies', async () => {
    const text = renderDotDiagram(buildOwnershipGraph(await demoModel()));
    expect(text.match(/subgraph "cluster_team:/g)).toHaveLength(4);
    expect(text.match(/ -> /g)).toHaveLength(24);
    expect(text.match(/ -> [^\n]*label="critical"/g)).toHaveLength(12);
    expect(text).toContain('"external:stripe-api" [label="stripe-api\\nexternal", shape=hexagon');
  });

  describe.runIf(graphvizAvailable())('with Graphviz', () => {
    it('is valid DOT that Graphviz lays out, every service drawn', async () => {
      const model = await demoModel();
      const result = renderWithDot(renderDotDiagram(buildOwnershipGraph(model)));
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      // Graphviz writes hyphens in titles as &#45;
      for (const service of model.services) expect(result.stdout).toContain(`<title>service:${service.name.replace(/-/g, '&#45;')}</title>`);
    });

    it('stays valid with hostile names and a team filter', async () => {
      const hostile = renderWithDot(renderDotDiagram(buildOwnershipGraph(await hostileModel())));
      expect(hostile.stderr).toBe('');
      expect(hostile.status).toBe(0);
      expect(hostile.stdout).not.toContain('<script>');
      expect(hostile.stdout).toContain('&lt;script&gt;');
      expect(hostileName).toContain('<script>');
      const filtered = renderWithDot(renderDotDiagram(buildOwnershipGraph(await demoModel(), { team: 'payments' })));
      expect(filtered.status).toBe(0);
      expect(filtered.stdout).toContain('payments');
    });
  });
});
