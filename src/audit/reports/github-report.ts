import { type WorkflowCommandLevel, workflowCommand } from '../../lib/workflow-command.ts';
import type { AuditReport } from '../audit-report.ts';
import type { Severity } from '../control.ts';
import type { Finding } from '../run-audit.ts';
import { controlsById, openFindings, remediationHeadline, repositoryPath, severityCounts } from './report-parts.ts';

/** GitHub shows at most 10 annotations of each level per step; the rest would only be noise in the log. */
export const annotationsPerLevel = 10;

const levels: Readonly<Record<Severity, WorkflowCommandLevel>> = { critical: 'error', high: 'error', medium: 'warning', low: 'notice' };

/**
 * GitHub Actions workflow commands: one annotation per open finding, on its file and line, most
 * important first (backlog rank, then severity). GitHub displays only 10 errors, 10 warnings and
 * 10 notices per step, so each level stops at what is displayed (notices at 9, leaving room for
 * the closing summary notice), and the summary says how many were left out and where they are.
 */
export function renderGithubReport(report: AuditReport, options: { readonly pathPrefix?: string } = {}): string {
  const controls = controlsById(report);
  const shown = pick(ordered(report));
  const lines = shown.map((finding) => {
    const fix = remediationHeadline(controls.get(finding.controlId));
    return workflowCommand(levels[finding.severity], fix ? `${finding.evidence}\nFix: ${fix}` : finding.evidence, {
      ...(finding.location ? { file: repositoryPath(finding.location.file, options.pathPrefix), line: finding.location.line } : {}),
      title: `${finding.controlId} ${finding.title}`,
    });
  });
  lines.push(workflowCommand('notice', summary(report, shown.length), { title: 'steadyops audit' }));
  return `${lines.join('\n')}\n`;
}

function ordered(report: AuditReport): readonly Finding[] {
  const rank = new Map(report.backlog.map((item) => [item.finding.fingerprint, item.rank]));
  const weight = (finding: Finding) => rank.get(finding.fingerprint) ?? Number.MAX_SAFE_INTEGER;
  return [...openFindings(report)].sort((a, b) => weight(a) - weight(b));
}

function pick(findings: readonly Finding[]): readonly Finding[] {
  const room: Record<WorkflowCommandLevel, number> = { error: annotationsPerLevel, warning: annotationsPerLevel, notice: annotationsPerLevel - 1 };
  return findings.filter((finding) => {
    const level = levels[finding.severity];
    if (room[level] === 0) return false;
    room[level] -= 1;
    return true;
  });
}

function summary(report: AuditReport, shown: number): string {
  const { open } = report.summary;
  if (open === 0) return `No open findings; ${report.summary.controls.pass} controls pass.`;
  const left = open - shown;
  return `${open} open finding${open === 1 ? '' : 's'} (${severityCounts(report.summary.bySeverity)}).${
    left > 0 ? ` ${left} not annotated here (GitHub shows 10 per level); the HTML, Markdown and SARIF reports list them all.` : ''
  }`;
}
