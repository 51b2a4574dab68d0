import type { AuditReport } from '../audit-report.ts';
import type { Control, Severity } from '../control.ts';
import type { Finding } from '../run-audit.ts';
import {
  acceptanceText,
  acceptedFindings,
  controlsById,
  findingsByDomain,
  locationText,
  oneLine,
  openFindings,
  remediationHeadline,
  severitiesDescending,
  topOfBacklog,
  wouldAddSentence,
} from './report-parts.ts';

type Paint = (text: string, style: Style) => string;
type Style = Severity | 'heading' | 'dim';

const ansi: Readonly<Record<Style, string>> = {
  critical: '\u001b[1;35m',
  high: '\u001b[1;31m',
  medium: '\u001b[33m',
  low: '\u001b[36m',
  heading: '\u001b[1m',
  dim: '\u001b[2m',
};

/**
 * The terminal report: the summary first (open findings by severity, controls, the top of the
 * backlog), then every open finding grouped by domain, risk-accepted ones, and the scanners' warnings.
 * Text from scanned files is flattened to one line with control characters made visible, so a
 * repository cannot move the cursor or recolour the terminal.
 */
export function renderTextReport(report: AuditReport, options: { readonly color?: boolean } = {}): string {
  const paint: Paint = options.color ? (text, style) => `${ansi[style]}${text}\u001b[0m` : (text) => text;
  const controls = controlsById(report);
  return [summary(report, paint), findingSections(report, controls, paint), accepted(report, paint), warnings(report, paint)]
    .filter((section) => section.length > 0)
    .join('\n\n')
    .concat('\n');
}

function summary(report: AuditReport, paint: Paint): string {
  const { summary: counts, run } = report;
  const bySeverity = severitiesDescending.map((severity) => paint(`${counts.bySeverity[severity]} ${severity}`, severity)).join('  ');
  const lines = [
    paint(`steadyops audit of ${oneLine(run.root)}`, 'heading'),
    paint(`${run.at}, ${run.filesScanned} files scanned`, 'dim'),
    '',
    `Open findings: ${counts.open}   ${bySeverity}${counts.riskAccepted > 0 ? `   (${counts.riskAccepted} risk-accepted)` : ''}`,
    `Controls: ${counts.controls.pass} pass, ${counts.controls.fail} fail, ${counts.controls.notApplicable} not applicable`,
  ];
  if (report.comparison) {
    const { comparison } = report;
    lines.push(
      `Since ${comparison.baselineAt}: ${comparison.fixed.length} fixed, ${comparison.new.length} new, ${comparison.regressed.length} regressed, ${comparison.unchanged} unchanged`,
    );
  }
  lines.push(...counts.wouldAdd.map((missing) => paint(wouldAddSentence(missing), 'dim')));
  const top = topOfBacklog(report);
  if (top.length > 0) {
    lines.push('', paint('Top of the backlog', 'heading'));
    for (const item of top) {
      const where = locationText(item.finding.location);
      lines.push(
        `  ${item.rank}. ${label(item.finding.severity, paint)} ${item.finding.controlId} ${oneLine(item.finding.title)}: ${oneLine(item.finding.resource)}${where ? paint(` (${oneLine(where)})`, 'dim') : ''}`,
        paint(`     ${item.milestone}, priority ${item.priority}: ${oneLine(item.why)}`, 'dim'),
      );
    }
  }
  return lines.join('\n');
}

function findingSections(report: AuditReport, controls: ReadonlyMap<string, Control>, paint: Paint): string {
  return findingsByDomain(openFindings(report))
    .map(({ domain, findings }) => [paint(`${domain.toUpperCase()} (${findings.length})`, 'heading'), ...findings.map((finding) => findingLines(finding, controls, paint))].join('\n'))
    .join('\n\n');
}

function findingLines(finding: Finding, controls: ReadonlyMap<string, Control>, paint: Paint): string {
  const where = locationText(finding.location);
  const fix = remediationHeadline(controls.get(finding.controlId));
  return [
    `  ${label(finding.severity, paint)} ${finding.controlId} ${oneLine(finding.title)}`,
    `    ${oneLine(finding.resource)}${where ? paint(` at ${oneLine(where)}`, 'dim') : ''}`,
    `    ${oneLine(finding.evidence)}`,
    ...(fix ? [paint(`    Fix: ${oneLine(fix)}`, 'dim')] : []),
  ].join('\n');
}

function accepted(report: AuditReport, paint: Paint): string {
  const findings = acceptedFindings(report);
  if (findings.length === 0) return '';
  return [
    paint(`RISK ACCEPTED (${findings.length})`, 'heading'),
    ...findings.map(
      (finding) =>
        `  ${label(finding.severity, paint)} ${finding.controlId} ${oneLine(finding.resource)}${finding.location ? paint(` at ${oneLine(locationText(finding.location))}`, 'dim') : ''}\n    ${oneLine(acceptanceText(finding))}`,
    ),
  ].join('\n');
}

function warnings(report: AuditReport, paint: Paint): string {
  if (report.run.warnings.length === 0) return '';
  return [
    paint(`WARNINGS (${report.run.warnings.length})`, 'heading'),
    ...report.run.warnings.map((warning) => {
      const column = warning.location.column === undefined ? '' : `:${warning.location.column}`;
      return `  ${oneLine(locationText(warning.location))}${column}: ${oneLine(warning.message)}`;
    }),
  ].join('\n');
}

function label(severity: Severity, paint: Paint): string {
  return paint(severity.toUpperCase().padEnd(8), severity);
}
