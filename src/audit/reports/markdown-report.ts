import type { AuditReport } from '../audit-report.ts';
import type { Control } from '../control.ts';
import type { Finding } from '../run-audit.ts';
import {
  acceptanceText,
  acceptedFindings,
  capitalize,
  controlsById,
  findingsByDomain,
  locationText,
  openFindings,
  remediationHeadline,
  severitiesDescending,
  topOfBacklog,
  wouldAddSentence,
} from './report-parts.ts';

/** A PR comment holds at most 65,536 characters; the findings stop short of it with a note. */
export const markdownBudget = 60_000;

/**
 * The report as GitHub-flavoured Markdown, for a PR comment or GITHUB_STEP_SUMMARY: the summary, the
 * top of the backlog, open findings per domain, risk-accepted findings and warnings, as tables.
 */
export function renderMarkdownReport(report: AuditReport): string {
  const head = [summary(report), backlog(report)].join('\n');
  const tail = [accepted(report), warnings(report), ownershipMap(report)].join('');
  return `${head}${findings(report, markdownBudget - head.length - tail.length)}${tail}`;
}

/** One table cell of untrusted text: no line breaks, no table pipes, no HTML, no emphasis or links. */
export function markdownCell(text: string): string {
  return text
    .replace(/\r\n|[\r\n\t]/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, (char) => `\\${char}`);
}

/** Our own catalog text (titles, remediation): its `code` spans kept, only what would break a table removed. */
function trustedCell(text: string): string {
  return text.replace(/\r\n|[\r\n\t]/g, ' ').replace(/\|/g, '\\|');
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const align = headers.map((header) => (header.startsWith('>') ? '---:' : '---'));
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(headers.map((header) => header.replace(/^>/, ''))), line(align), ...rows.map(line)].join('\n');
}

function summary(report: AuditReport): string {
  const { summary: counts, run, comparison } = report;
  const lines = [
    `## steadyops audit: ${counts.open} open finding${counts.open === 1 ? '' : 's'}`,
    '',
    `${markdownCell(run.root)} · ${run.at} · ${run.filesScanned} files scanned`,
    '',
    table(
      ['', ...severitiesDescending.map((severity) => `>${capitalize(severity)}`), '>Risk-accepted'],
      [['Open findings', ...severitiesDescending.map((severity) => String(counts.bySeverity[severity])), String(counts.riskAccepted)]],
    ),
    '',
    `**Controls:** ${counts.controls.pass} pass · ${counts.controls.fail} fail · ${counts.controls.notApplicable} not applicable`,
    ...counts.wouldAdd.flatMap((missing) => ['', `> ${markdownCell(wouldAddSentence(missing))}`]),
  ];
  if (comparison) {
    lines.push(
      '',
      `**Since ${comparison.baselineAt}:** ${comparison.fixed.length} fixed · ${comparison.new.length} new · ${comparison.regressed.length} regressed · ${comparison.unchanged} unchanged`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function backlog(report: AuditReport): string {
  const top = topOfBacklog(report);
  if (top.length === 0) return '';
  const rows = top.map((item) => [
    String(item.rank),
    item.finding.severity,
    `${item.finding.controlId} ${trustedCell(item.finding.title)}`,
    markdownCell(item.finding.resource),
    markdownCell(locationText(item.finding.location)),
    item.milestone,
    markdownCell(item.why),
  ]);
  return `\n### Top of the backlog\n\n${table(['>#', 'Severity', 'Control', 'Resource', 'Location', 'Milestone', 'Why'], rows)}\n`;
}

function findings(report: AuditReport, budget: number): string {
  const controls = controlsById(report);
  const open = openFindings(report);
  const room = budget - 200; // the closing note about findings left out
  let out = open.length > 0 ? '\n### Findings\n' : '';
  let shown = 0;
  for (const { domain, findings: group } of findingsByDomain(open)) {
    const header = `\n#### ${capitalize(domain)} (${group.length})\n\n${table(['Severity', 'Control', 'Resource', 'Location', 'Evidence', 'Fix'], [])}\n`;
    if (out.length + header.length > room) break;
    out += header;
    for (const finding of group) {
      const row = `${findingRow(finding, controls)}\n`;
      if (out.length + row.length > room) break;
      out += row;
      shown += 1;
    }
  }
  if (shown < open.length) out += `\n_${open.length - shown} more open findings are not shown here; the HTML, JSON and SARIF reports list them all._\n`;
  return out;
}

function findingRow(finding: Finding, controls: ReadonlyMap<string, Control>): string {
  return `| ${[
    finding.severity,
    `${finding.controlId} ${trustedCell(finding.title)}`,
    markdownCell(finding.resource),
    markdownCell(locationText(finding.location)),
    markdownCell(finding.evidence),
    trustedCell(remediationHeadline(controls.get(finding.controlId))),
  ].join(' | ')} |`;
}

function accepted(report: AuditReport): string {
  const findings = acceptedFindings(report);
  if (findings.length === 0) return '';
  const rows = findings.map((finding) => [
    finding.severity,
    `${finding.controlId} ${trustedCell(finding.title)}`,
    markdownCell(finding.resource),
    markdownCell(acceptanceText(finding)),
  ]);
  return `\n### Risk accepted (${findings.length})\n\n${table(['Severity', 'Control', 'Resource', 'Acceptance'], rows)}\n`;
}

function warnings(report: AuditReport): string {
  if (report.run.warnings.length === 0) return '';
  const rows = report.run.warnings.map((warning) => [markdownCell(locationText(warning.location)), markdownCell(warning.message)]);
  return `\n### Warnings (${report.run.warnings.length})\n\n${table(['Location', 'Warning'], rows)}\n`;
}

/** The model's ownership map as a Mermaid block (GitHub draws it); a map too big for a comment is left out with a note. */
function ownershipMap(report: AuditReport): string {
  const mermaid = report.diagram?.mermaid;
  if (mermaid === undefined) return '';
  if (mermaid.length > markdownBudget / 3) {
    return '\n### Ownership map\n\n_The map is too large for this report; `steadyops diagram --format svg` draws it._\n';
  }
  return `\n### Ownership map\n\n\`\`\`mermaid\n${mermaid}\`\`\`\n`;
}
