import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../audit-report.ts';
import type { Severity } from '../control.ts';
import { annotationsPerLevel, renderGithubReport } from './github-report.ts';
import { remediationHeadline } from './report-parts.ts';
import { catalogControl, hostileAuditReport, sampleAuditReport } from './sample-report.ts';

describe('renderGithubReport', () => {
  const report = sampleAuditReport();
  const lines = renderGithubReport(report).trimEnd().split('\n');

  it('writes one annotation per open finding, most important first, then a summary notice', () => {
    expect(lines).toHaveLength(16);
    expect(lines.filter((line) => line.startsWith('::error '))).toHaveLength(9);
    expect(lines.filter((line) => line.startsWith('::warning '))).toHaveLength(4);
    expect(lines.filter((line) => line.startsWith('::notice '))).toHaveLength(3);
    const first = report.backlog.find((item) => item.rank === 1)?.finding;
    expect(lines[0]).toBe(
      `::error file=.steadyops/services.yaml,line=14,title=${first?.controlId} ${first?.title}::${first?.evidence}%0AFix: ${remediationHeadline(catalogControl(first?.controlId ?? ''))}`,
    );
    expect(lines.at(-1)).toBe('::notice title=steadyops audit::15 open findings (1 critical, 8 high, 4 medium, 2 low).');
  });

  it('annotates a file without a line by its file, and a finding without a file at the workflow level', () => {
    expect(lines.find((line) => line.includes('title=DB-004'))).toMatch(/^::notice file=migrations\/0005_rename_customer_email.sql,title=DB-004 /);
    expect(lines.find((line) => line.includes('title=ACC-001'))).toMatch(/^::error title=ACC-001 One credential is used by several people::Credential deploy-bot-token was used/);
  });

  it('leaves risk-accepted findings out', () => {
    expect(lines.some((line) => line.includes('RUN-010') || line.includes('REL-012'))).toBe(false);
  });

  it('prefixes files with the audited folder', () => {
    expect(renderGithubReport(report, { pathPrefix: 'examples/demo' })).toContain('::error file=examples/demo/k8s/payments-gateway.yaml,line=1,');
  });

  it('escapes hostile evidence and paths so they cannot forge or break commands', () => {
    const hostile = renderGithubReport(hostileAuditReport()).trimEnd().split('\n');
    expect(hostile).toHaveLength(16);
    for (const line of hostile) expect(line).toMatch(/^::(error|warning|notice) /);
    const line = hostile.find((candidate) => candidate.includes('title=ACC-001')) ?? '';
    expect(line.startsWith('::error file=evil%2Cdir/a%3Ab%25c <x>.yaml,line=3,title=ACC-001 ')).toBe(true);
    expect(line).toContain('::</td><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> | a|b%0A::error file=evil.ts::%250Aforged %2525 [31mred[0m');
    expect(line).not.toContain('\u001b');
  });

  it('stops each level at what GitHub displays and says how many it left out', () => {
    const many = withOpen(report, { critical: 3, high: 27, medium: 30, low: 30 });
    const out = renderGithubReport(many).trimEnd().split('\n');
    expect(out.filter((line) => line.startsWith('::error '))).toHaveLength(annotationsPerLevel);
    expect(out.filter((line) => line.startsWith('::warning '))).toHaveLength(annotationsPerLevel);
    expect(out.filter((line) => line.startsWith('::notice '))).toHaveLength(annotationsPerLevel);
    expect(out.filter((line) => line.startsWith('::error ')).slice(0, 3).every((line) => line.includes('ACC-020'))).toBe(true);
    expect(out.at(-1)).toBe(
      '::notice title=steadyops audit::90 open findings (3 critical, 27 high, 30 medium, 30 low). 61 not annotated here (GitHub shows 10 per level); the HTML, Markdown and SARIF reports list them all.',
    );
  });

  it('says so when nothing is open', () => {
    const clean: AuditReport = { ...report, run: { ...report.run, findings: [] }, backlog: [], summary: { ...report.summary, open: 0 } };
    expect(renderGithubReport(clean)).toBe(`::notice title=steadyops audit::No open findings; ${report.summary.controls.pass} controls pass.\n`);
  });
});

/** The sample's findings repeated to reach these open counts per severity (no backlog: report order). */
function withOpen(report: AuditReport, counts: Readonly<Record<Severity, number>>): AuditReport {
  const open = report.run.findings.filter((finding) => finding.status === 'open');
  const findings = (['critical', 'high', 'medium', 'low'] as const).flatMap((severity) => {
    const pool = open.filter((finding) => finding.severity === severity);
    return Array.from({ length: counts[severity] }, (_, i) => {
      const base = pool[i % pool.length];
      if (!base) throw new Error(`no ${severity} finding in the sample`);
      return { ...base, fingerprint: `${base.fingerprint}-${i}` };
    });
  });
  const total = findings.length;
  return { ...report, run: { ...report.run, findings }, backlog: [], summary: { ...report.summary, open: total, bySeverity: counts } };
}
