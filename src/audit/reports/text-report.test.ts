import { describe, expect, it } from 'vitest';
import { remediationHeadline } from './report-parts.ts';
import { catalogControl as control, hostileAuditReport, sampleAuditReport } from './sample-report.ts';
import { renderTextReport } from './text-report.ts';

const fix = (id: string) => remediationHeadline(control(id));

describe('renderTextReport', () => {
  const report = sampleAuditReport();
  const text = renderTextReport(report);

  it('starts with the summary: open findings by severity, controls, the baseline', () => {
    const [title, when, , counts, controls, since, wouldAdd] = text.split('\n');
    expect(title).toBe('steadyops audit of /home/ci/acme/platform');
    expect(when).toBe('2026-11-26T09:00:00.000Z, 214 files scanned');
    expect(counts).toBe('Open findings: 15   1 critical  8 high  4 medium  2 low   (2 risk-accepted)');
    const { pass, fail, notApplicable } = report.summary.controls;
    expect(controls).toBe(`Controls: ${pass} pass, ${fail} fail, ${notApplicable} not applicable`);
    expect(since).toBe('Since 2026-11-19T09:00:00.000Z: 1 fixed, 2 new, 1 regressed, 12 unchanged');
    expect(wouldAdd).toBe('Without a ledger, 2 controls could not run (ACC-001, BAK-003): connect the ledger.');
  });

  it('lists the top 5 of the backlog, in rank order, before the findings', () => {
    const ranks = [...text.matchAll(/^ {2}(\d+)\. /gm)].map((match) => Number(match[1]));
    expect(ranks).toEqual([1, 2, 3, 4, 5]);
    const first = report.backlog.find((item) => item.rank === 1);
    expect(text).toContain(`  1. HIGH     ${first?.finding.controlId} ${first?.finding.title}: ${first?.finding.resource}`);
    expect(text.indexOf('Top of the backlog')).toBeLessThan(text.indexOf('RELEASE (4)'));
  });

  it('groups open findings by domain in catalog order, most severe first, with location, evidence and the fix', () => {
    const headings = [...text.matchAll(/^([A-Z ]+) \((\d+)\)$/gm)].map((match) => `${match[1]} ${match[2]}`);
    expect(headings).toEqual([
      'RELEASE 4',
      'RUNTIME 3',
      'INFRASTRUCTURE 1',
      'DATABASE 2',
      'OBSERVABILITY 1',
      'BACKUP 1',
      'ACCESS 2',
      'DOCUMENTATION 1',
      'RISK ACCEPTED 2',
      'WARNINGS 2',
    ]);
    const runtime = text.slice(text.indexOf('RUNTIME (3)'), text.indexOf('INFRASTRUCTURE (1)'));
    expect(runtime).toBe(
      [
        'RUNTIME (3)',
        `  HIGH     RUN-006 ${control('RUN-006').title}`,
        '    Deployment growth/web-frontend at k8s/web-frontend.yaml:24',
        '    Container web runs ghcr.io/acme/web-frontend:latest.',
        `    Fix: ${fix('RUN-006')}`,
        `  HIGH     RUN-011 ${control('RUN-011').title}`,
        '    Deployment payments/payments-gateway at k8s/payments-gateway.yaml:1',
        '    payments-gateway is tier 1 and no PodDisruptionBudget selects its pods.',
        `    Fix: ${fix('RUN-011')}`,
        `  LOW      RUN-002 ${control('RUN-002').title}`,
        '    Deployment growth/web-frontend at k8s/web-frontend.yaml:20',
        '    Container web of growth/web-frontend has no livenessProbe.',
        `    Fix: ${fix('RUN-002')}`,
        '',
        '',
      ].join('\n'),
    );
  });

  it('shows a finding without a file by its resource alone, and risk-accepted findings with who, until when and why', () => {
    expect(text).toContain(`  HIGH     ACC-001 ${control('ACC-001').title}\n    Credential deploy-bot-token\n`);
    expect(text).toContain('  HIGH     RUN-010 Deployment identity/auth-service at k8s/auth-service.yaml:8\n    accepted by dana until 2027-01-31: One replica until sessions move to Redis (INFRA-231)');
  });

  it('ends with the warnings and their locations', () => {
    expect(text.endsWith('WARNINGS (2)\n  k8s/broken.yaml:7:3: YAML parse error: bad indentation of a mapping entry\n  terraform/plan.json: not a Terraform JSON plan (no format_version); skipped\n')).toBe(true);
  });

  it('colours severities with ANSI only when asked', () => {
    expect(text).not.toContain('\u001b');
    const coloured = renderTextReport(report, { color: true });
    expect(coloured).toContain('\u001b[1;35mCRITICAL\u001b[0m ACC-020');
    expect(coloured).toContain('\u001b[1;31m8 high\u001b[0m');
    expect(coloured.replace(/\u001b\[[\d;]*m/g, '')).toBe(text);
  });

  it('keeps hostile evidence on one line with its control characters made visible', () => {
    const hostile = renderTextReport(hostileAuditReport(), { color: false });
    expect(hostile).not.toContain('\u001b');
    const line = hostile.split('\n').find((candidate) => candidate.startsWith('    </td><script>'));
    expect(line).toBe(
      '    </td><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> | a|b ::error file=evil.ts::%0Aforged %25 \\x1b[31mred\\x1b[0m `tick` *bold* [link](https://evil.example)',
    );
  });
});
