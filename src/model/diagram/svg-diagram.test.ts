import { describe, expect, it } from 'vitest';
import { chromiumAvailable, launchChromium } from '../../../test/support/chromium.ts';
import { buildOwnershipGraph } from '../ownership-graph.ts';
import { demoModel, hostileModel, hostileName } from './diagram-test-models.ts';
import { layoutOwnershipGraph, type Box, type LaidOutGraph } from './layout-ownership-graph.ts';
import { escapeXml, renderSvgDiagram } from './svg-diagram.ts';

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function inside(inner: Box, outer: Box): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

/** Siblings: the teams and unowned nodes at the top, and the members of each team. */
function siblingGroups(layout: LaidOutGraph): LaidOutGraph['nodes'][] {
  const groups = new Map<string, LaidOutGraph['nodes'][number][]>();
  for (const node of layout.nodes) {
    const parent = node.owner ?? 'root';
    groups.set(parent, [...(groups.get(parent) ?? []), node]);
  }
  return [...groups.values()];
}

describe('layoutOwnershipGraph', () => {
  it('places every node of the demo without siblings overlapping, members inside their team', async () => {
    const layout = await layoutOwnershipGraph(buildOwnershipGraph(await demoModel()));
    expect(layout.nodes).toHaveLength(21);
    for (const group of siblingGroups(layout)) {
      for (const [i, a] of group.entries()) for (const b of group.slice(i + 1)) expect(overlaps(a, b), `${a.id} / ${b.id}`).toBe(false);
    }
    const byId = new Map(layout.nodes.map((node) => [node.id, node]));
    for (const node of layout.nodes) {
      if (node.owner) expect(inside(node, byId.get(node.owner)!), node.id).toBe(true);
      expect(inside(node, { x: 0, y: 0, width: layout.width, height: layout.height })).toBe(true);
    }
  });

  it('routes each dependency from its source to its target', async () => {
    const layout = await layoutOwnershipGraph(buildOwnershipGraph(await demoModel()));
    const byId = new Map(layout.nodes.map((node) => [node.id, node]));
    expect(layout.edges).toHaveLength(24);
    const near = (point: { x: number; y: number }, box: Box) => inside({ ...point, width: 0, height: 0 }, { x: box.x - 1, y: box.y - 1, width: box.width + 2, height: box.height + 2 });
    for (const edge of layout.edges) {
      expect(edge.points.length).toBeGreaterThanOrEqual(2);
      expect(near(edge.points[0]!, byId.get(edge.source)!), `${edge.id} starts at its source`).toBe(true);
      expect(near(edge.points.at(-1)!, byId.get(edge.target)!), `${edge.id} ends at its target`).toBe(true);
    }
  });
});

describe('renderSvgDiagram', () => {
  it('draws every service, datastore, external and team with tiers and critical edges', async () => {
    const model = await demoModel();
    const svg = renderSvgDiagram(await layoutOwnershipGraph(buildOwnershipGraph(model)));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    for (const service of model.services) expect(svg).toContain(`<g data-kind="service" data-name="${service.name}" data-tier="${service.tier}">`);
    for (const datastore of model.datastores) expect(svg).toContain(`data-kind="datastore" data-name="${datastore.name}"`);
    for (const team of model.teams) expect(svg).toContain(`<g data-kind="team" data-name="${team.name}">`);
    expect(svg.match(/data-kind="external"/g)).toHaveLength(3);
    expect(svg.match(/<polyline [^>]*data-critical="true"/g)).toHaveLength(12);
    expect(svg).not.toMatch(/style=|<style/);
  });

  it('escapes text for XML', () => {
    expect(escapeXml('<a href="x">&\'\u0001')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;\ufffd');
  });

  describe.runIf(chromiumAvailable())('in Chromium', () => {
    it('is well-formed XML, hostile names kept as text', async () => {
      const svg = renderSvgDiagram(await layoutOwnershipGraph(buildOwnershipGraph(await hostileModel())));
      const browser = await launchChromium({ javaScriptEnabled: true });
      try {
        const page = await browser.context.newPage();
        const result = await page.evaluate((text) => {
          const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
          const error = doc.querySelector('parsererror')?.textContent ?? null;
          const texts = Array.from(doc.querySelectorAll('text'), (node) => node.textContent);
          return { error, root: doc.documentElement.nodeName, texts, scripts: doc.querySelectorAll('script').length };
        }, svg);
        expect(result.error).toBeNull();
        expect(result.root).toBe('svg');
        expect(result.scripts).toBe(0);
        expect(result.texts).toContain(hostileName);
        expect(result.texts).toContain('checkout-api');
      } finally {
        await browser.close();
      }
    });
  });
});
