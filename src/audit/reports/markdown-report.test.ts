import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../audit-report.ts';
import { markdownBudget, markdownCell, renderMarkdownReport } from './markdown-report.ts';
import { hostileAuditReport, hostileText, sampleAuditReport } from './sample-report.ts';

/** The cells of a table row, split on the pipes that are not escaped. */
function cells(row: string): string[] {
  return row.slice(2, -2).split(/(?<!\\)\|/);
}

/** Every table: its header's column count must match every row's. */
function tables(markdown: string): string[][] {
  return markdown.split('\n\n').filter((block) => block.startsWith('| ')).map((block) => block.split('\n').filter((line) => line.startsWith('|')));
}

describe('renderMarkdownReport', () => {
  const report = sampleAuditReport();
  const markdown = renderMarkdownReport(report);

  it('starts with the summary: counts by severity, controls and the baseline', () => {
    expect(markdown.startsWith('## steadyops audit: 15 open findings\n\n/home/ci/acme/platform · 2026-11-26T09:00:00.000Z · 214 files scanned\n')).toBe(true);
    expect(markdown).toContain('|  | Critical | High | Medium | Low | Risk-accepted |\n| --- | ---: | ---: | ---: | ---: | ---: |\n| Open findings | 1 | 8 | 4 | 2 | 2 |');
    const { pass, fail, notApplicable } = report.summary.controls;
    expect(markdown).toContain(`**Controls:** ${pass} pass · ${fail} fail · ${notApplicable} not applicable`);
    expect(markdown).toContain('**Since 2026-11-19T09:00:00.000Z:** 1 fixed · 2 new · 1 regressed · 12 unchanged');
  });

  it('has the top 5 of the backlog, then the findings by domain, risk-accepted findings and warnings', () => {
    const headings = [...markdown.matchAll(/^#{3,4} (.+)$/gm)].map((match) => match[1]);
    expect(headings).toEqual([
      'Top of the backlog',
      'Findings',
      'Release (4)',
      'Runtime (3)',
      'Infrastructure (1)',
      'Database (2)',
      'Observability (1)',
      'Backup (1)',
      'Access (2)',
      'Documentation (1)',
      'Risk accepted (2)',
      'Warnings (2)',
    ]);
    const backlog = tables(markdown)[1] ?? [];
    expect(backlog.slice(2).map((row) => cells(row)[0]?.trim())).toEqual(['1', '2', '3', '4', '5']);
  });

  it('writes well-formed tables: every row has its header’s columns', () => {
    const all = tables(markdown);
    expect(all.length).toBe(12);
    for (const table of all) {
      const width = cells(table[0] ?? '').length;
      for (const row of table) expect(cells(row)).toHaveLength(width);
    }
    const findingRows = all.slice(2, 10).flatMap((table) => table.slice(2));
    expect(findingRows).toHaveLength(15);
  });

  it('gives each finding its location, evidence and fix', () => {
    expect(markdown).toContain(
      '| high | RUN-011 Tier-1 workload has no PodDisruptionBudget | Deployment payments/payments-gateway | k8s/payments-gateway.yaml:1 | payments-gateway is tier 1 and no PodDisruptionBudget selects its pods. |',
    );
    expect(markdown).toContain('| low | DB-004 ');
    expect(markdown).toContain('| migrations/0005\\_rename\\_customer\\_email.sql | migrations/0005\\_rename\\_customer\\_email.sql | RENAME COLUMN');
  });

  it('neutralises hostile evidence: no HTML, no broken table, no links or emphasis', () => {
    const hostile = renderMarkdownReport(hostileAuditReport());
    expect(hostile).not.toContain('<script');
    expect(hostile).not.toContain('<img');
    expect(hostile).not.toContain('\u001b');
    const cell = markdownCell(hostileText);
    expect(cell).toBe(
      '&lt;/td&gt;&lt;script&gt;window.\\_\\_pwned=1&lt;/script&gt;&lt;img src=x onerror="window.\\_\\_pwned=2"&gt; \\| a\\|b ::error file=evil.ts::%0Aforged %25 \\[31mred\\[0m \\`tick\\` \\*bold\\* \\[link\\](https://evil.example)',
    );
    const row = hostile.split('\n').find((line) => line.includes('ACC-001') && line.includes('evil.ts'));
    expect(row).toBeDefined();
    expect(cells(row ?? '')).toHaveLength(6);
    for (const table of tables(hostile)) for (const line of table) expect(cells(line)).toHaveLength(cells(table[0] ?? '').length);
  });

  it('stays under a PR comment’s size, saying how many findings it left out', () => {
    const many = manyFindings(report, 2_000);
    const long = renderMarkdownReport(many);
    expect(long.length).toBeLessThanOrEqual(markdownBudget);
    const left = long.match(/_(\d+) more open findings are not shown here/);
    const shown = long.split('\n').filter((line) => /^\| (critical|high|medium|low) \| /.test(line) && !line.includes('accepted by')).length;
    expect(Number(left?.[1])).toBe(many.summary.open - shown);
    expect(long).toContain('### Warnings (2)');
  });
});

function manyFindings(report: AuditReport, count: number): AuditReport {
  const open = report.run.findings.filter((finding) => finding.status === 'open');
  const findings = Array.from({ length: count }, (_, i) => {
    const base = open[i % open.length];
    if (!base) throw new Error('sample has open findings');
    return { ...base, resource: `${base.resource} #${i}`, fingerprint: `${base.fingerprint}-${i}` };
  });
  return { ...report, run: { ...report.run, findings }, summary: { ...report.summary, open: count } };
}
