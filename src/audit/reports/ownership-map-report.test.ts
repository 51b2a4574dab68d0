import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../lib/clock.ts';
import { emptyModel } from '../../model/resolve.ts';
import { auditRun } from '../audit-fixtures.ts';
import type { AuditReport } from '../audit-report.ts';
import { createAuditService } from '../audit-service.ts';
import { buildAuditReport } from '../build-audit-report.ts';
import { controlCatalog } from '../controls/control-catalog.ts';
import { service, team } from '../controls/control-fixtures.ts';
import { renderHtmlReport } from './html-report.ts';
import { auditJson } from './json-report.ts';
import { renderMarkdownReport } from './markdown-report.ts';
import { sampleAuditReport } from './sample-report.ts';

const model = { ...emptyModel(), teams: [team('core')], services: [service('api', { owner: 'core', tier: 1 })] };
const mermaid = 'flowchart LR\n  subgraph team_core["core"]\n    service_api["api<br/>tier 1"]\n  end\n';
const withDiagram = (diagram: AuditReport['diagram']): AuditReport => ({ ...sampleAuditReport(), ...(diagram ? { diagram } : {}) });

describe('the ownership map in audit reports', () => {
  it('is built from the model, as Mermaid', () => {
    const report = buildAuditReport({ run: auditRun([], []), catalog: controlCatalog, model });
    expect(report.diagram).toEqual({ mermaid: expect.stringContaining('service_api["api<br/>tier 1"]') });
    expect(buildAuditReport({ run: auditRun([], []), catalog: controlCatalog }).diagram).toBeUndefined();
    expect(buildAuditReport({ run: auditRun([], []), catalog: controlCatalog, model: emptyModel() }).diagram).toBeUndefined();
  });

  it('is a mermaid block at the end of the Markdown report', () => {
    const markdown = renderMarkdownReport(withDiagram({ mermaid }));
    expect(markdown.endsWith(`\n### Ownership map\n\n\`\`\`mermaid\n${mermaid}\`\`\`\n`)).toBe(true);
    expect(renderMarkdownReport(withDiagram(undefined))).not.toContain('Ownership map');
  });

  it('leaves a map too large for a PR comment out of the Markdown report, saying how to draw it', () => {
    const markdown = renderMarkdownReport(withDiagram({ mermaid: `flowchart LR\n${'  a --> b\n'.repeat(5_000)}` }));
    expect(markdown).toContain('steadyops diagram --format svg');
    expect(markdown).not.toContain('```mermaid');
  });

  it('is the SVG in the HTML report, with the Mermaid source folded away, or the source alone', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><title>Ownership map</title></svg>';
    const withSvg = renderHtmlReport(withDiagram({ mermaid, svg }));
    expect(withSvg).toContain(`<figure class="ownership-map">${svg}</figure>`);
    expect(withSvg).toContain('<details><summary>Mermaid source</summary><pre><code>flowchart LR\n  subgraph team_core[&quot;core&quot;]');
    const sourceOnly = renderHtmlReport(withDiagram({ mermaid }));
    expect(sourceOnly).not.toContain('<figure class="ownership-map">');
    expect(sourceOnly).toContain('<details open><summary>Mermaid source</summary>');
  });

  it('stays out of the JSON report, whose schema is unchanged', () => {
    expect(auditJson(withDiagram({ mermaid, svg: '<svg/>' }))).not.toHaveProperty('diagram');
  });

  it('comes with its ELK-laid-out SVG from the audit service', async () => {
    const root = fileURLToPath(new URL('../../../test/fixtures/audit-small', import.meta.url));
    const { report } = await createAuditService({ root, clock: fixedClock('2026-11-26T09:00:00Z') }).run({ actor: 'test' });
    expect(report.diagram?.mermaid).toContain('flowchart LR');
    expect(report.diagram?.svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*data-kind="service"[\s\S]*<\/svg>\n$/);
  });
});
