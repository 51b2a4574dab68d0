import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../audit-report.ts';
import { auditFormats, renderAuditReport } from './render-audit-report.ts';
import { sampleAuditReport } from './sample-report.ts';

describe('renderAuditReport', () => {
  const report = sampleAuditReport();

  it.each(auditFormats)('renders %s, the same bytes every time', (format) => {
    const out = renderAuditReport(report, format, { toolVersion: '0.1.0' });
    expect(out.endsWith('\n')).toBe(true);
    expect(renderAuditReport(sampleAuditReport(), format, { toolVersion: '0.1.0' })).toBe(out);
  });

  it('dispatches each format to its renderer', () => {
    expect(renderAuditReport(report, 'text')).toMatch(/^steadyops audit of /);
    expect(renderAuditReport(report, 'markdown')).toMatch(/^## steadyops audit: 15 open findings/);
    expect(renderAuditReport(report, 'html')).toMatch(/^<!DOCTYPE html>/);
    expect(JSON.parse(renderAuditReport(report, 'json', { toolVersion: '1.2.3' }))).toMatchObject({ version: 'steadyops.dev/audit/v1', generator: { version: '1.2.3' } });
    expect(JSON.parse(renderAuditReport(report, 'sarif', { toolVersion: '1.2.3' })).runs[0].tool.driver.version).toBe('1.2.3');
    expect(renderAuditReport(report, 'github', { pathPrefix: 'examples/demo' })).toContain('file=examples/demo/');
    expect(renderAuditReport(report, 'text', { color: true })).toContain('\u001b[');
  });

  it.each(auditFormats)('renders %s for an audit that found nothing, without a model', (format) => {
    const { comparison: _comparison, ...rest } = report;
    const empty: AuditReport = {
      ...rest,
      run: { ...report.run, findings: [], warnings: [] },
      backlog: [],
      scorecards: [],
      summary: { ...report.summary, open: 0, riskAccepted: 0, bySeverity: { low: 0, medium: 0, high: 0, critical: 0 } },
    };
    const out = renderAuditReport(empty, format);
    expect(out).not.toMatch(/undefined|NaN|\[object Object\]/);
    if (format === 'text') expect(out).toContain('Open findings: 0 ');
    if (format === 'html') expect(out).toContain('No open findings: nothing to do.');
    if (format === 'github') expect(out).toMatch(/^::notice title=steadyops audit::No open findings/);
  });
});
