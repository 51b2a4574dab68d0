import type { AuditReport, BacklogItem, MaturityLevel, MissingSource, OperatingModel } from '../audit-report.ts';
import { type Control, type Domain, domains, type Severity, severities } from '../control.ts';
import type { SourceLocation } from '../facts.ts';
import type { Finding } from '../run-audit.ts';
import { maturityLevels } from '../scorecards.ts';

/** What every report format shares: which findings, in which order, with which labels. */

/** critical first */
export const severitiesDescending: readonly Severity[] = [...severities].reverse();

export function openFindings(report: AuditReport): readonly Finding[] {
  return report.run.findings.filter((finding) => finding.status === 'open');
}

export function acceptedFindings(report: AuditReport): readonly Finding[] {
  return report.run.findings.filter((finding) => finding.status === 'risk-accepted');
}

/** Domains in catalog order with their findings, most severe first; empty domains left out. */
export function findingsByDomain(findings: readonly Finding[]): readonly { readonly domain: Domain; readonly findings: readonly Finding[] }[] {
  return domains
    .map((domain) => ({ domain, findings: bySeverity(findings.filter((finding) => finding.domain === domain)) }))
    .filter((group) => group.findings.length > 0);
}

/** Most severe first; the report's own order (catalog, then location) within a severity. */
export function bySeverity(findings: readonly Finding[]): readonly Finding[] {
  return [...findings].sort((a, b) => severities.indexOf(b.severity) - severities.indexOf(a.severity));
}

export function topOfBacklog(report: AuditReport, count = 5): readonly BacklogItem[] {
  return [...report.backlog].sort((a, b) => a.rank - b.rank).slice(0, count);
}

/** `file:line`, `file`, or '' without a location. */
export function locationText(location: SourceLocation | undefined): string {
  if (!location) return '';
  return location.line === undefined ? location.file : `${location.file}:${location.line}`;
}

/** A path relative to the repository root: the audited folder's prefix, then the file, with / separators. */
export function repositoryPath(file: string, prefix?: string): string {
  return [prefix, file]
    .filter((part): part is string => Boolean(part))
    .join('/')
    .replace(/\\/g, '/')
    .split('/')
    .filter((segment) => segment.length > 0 && segment !== '.')
    .join('/');
}

export function controlsById(report: AuditReport): ReadonlyMap<string, Control> {
  return new Map(report.catalog.map((control) => [control.id, control]));
}

/** The remediation's first line: what to do, without the detail. */
export function remediationHeadline(control: Control | undefined): string {
  return control?.remediation.split('\n')[0]?.trim() ?? '';
}

/** `2 critical, 5 high, 3 medium, 1 low` (zeros left out), or `none`. */
export function severityCounts(counts: Readonly<Record<Severity, number>>): string {
  const parts = severitiesDescending.filter((severity) => counts[severity] > 0).map((severity) => `${counts[severity]} ${severity}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

export function acceptanceText(finding: Finding): string {
  const acceptance = finding.acceptance;
  if (!acceptance) return 'risk accepted';
  return `accepted by ${acceptance.acceptedBy} until ${acceptance.expiresAt.slice(0, 10)}: ${acceptance.reason}`;
}

const operatingModelLabels: Readonly<Record<OperatingModel, string>> = {
  'ad-hoc-help': 'Ad hoc help',
  'developer-owned-operations': 'Developer-owned operations',
  'fractional-sre-ownership': 'Fractional SRE ownership',
  'full-platform-team': 'Full platform team',
};

export function operatingModelLabel(model: OperatingModel): string {
  return operatingModelLabels[model];
}

/** `up`, `down` or `same` between the last two runs; `new` with one run. */
export function trendDirection(trend: readonly MaturityLevel[]): 'up' | 'down' | 'same' | 'new' {
  const current = trend.at(-1);
  const previous = trend.at(-2);
  if (current === undefined || previous === undefined) return 'new';
  const delta = maturityLevels.indexOf(current) - maturityLevels.indexOf(previous);
  return delta > 0 ? 'up' : delta < 0 ? 'down' : 'same';
}

/** One line of untrusted text: control characters (ANSI escapes, CR, LF) become visible or spaces. */
export function oneLine(text: string): string {
  return text
    .replace(/\r\n|[\r\n\t]/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "Without an ownership model, 38 controls could not run (REL-001, ...): <how to get one>." */
export function wouldAddSentence(missing: MissingSource): string {
  const what = missing.source === 'model' ? 'an ownership model' : 'a ledger';
  const ids = missing.controls.length > 8 ? `${missing.controls.slice(0, 8).join(', ')}, ...` : missing.controls.join(', ');
  return `Without ${what}, ${missing.controls.length} control${missing.controls.length === 1 ? '' : 's'} could not run (${ids}): ${missing.how}.`;
}

/** A Markdown code fence longer than any run of backticks in the text, so the text cannot close it. */
export function codeFence(text: string): string {
  return '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((match) => match[0].length + 1)));
}
