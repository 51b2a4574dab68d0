/** The Audit page's pure logic: bars, backlog grouping, scorecards, and the acceptance form's checks (as the server's). */
import type { AuditBacklogItem, AuditDomain, AuditFinding, AuditReport, AuditScorecard, AuditSeverity, MaturityLevel } from './api-types.ts';
import { parseDuration } from './format.ts';

export const severities: readonly AuditSeverity[] = ['critical', 'high', 'medium', 'low'];
export const milestones: ReadonlyArray<AuditBacklogItem['milestone']> = ['stabilize', 'measure', 'document'];
export const milestoneTitles: Record<AuditBacklogItem['milestone'], string> = {
  stabilize: 'Stabilize: high-risk gaps in how production runs',
  measure: 'Measure: see problems before users do',
  document: 'Document: make the knowledge survive people',
};

/** The server's limits (src/audit/audit-ledger.ts): a reason of at least 10 characters, an expiry of at most 180 days. */
export const minReasonLength = 10;
export const maxAcceptanceMs = 180 * 86_400_000;

export interface Bar {
  readonly label: string;
  readonly count: number;
  /** 0..100, relative to the largest bar */
  readonly percent: number;
}

/** One bar per key, largest = 100%; keys with zero stay (an empty domain is information too). */
export function bars(counts: Readonly<Record<string, number>>, order?: readonly string[]): Bar[] {
  const keys = order ?? Object.keys(counts);
  const max = Math.max(0, ...keys.map((key) => counts[key] ?? 0));
  return keys.map((key) => {
    const count = counts[key] ?? 0;
    return { label: key, count, percent: max === 0 ? 0 : Math.round((count / max) * 100) };
  });
}

/** Open findings per domain split by severity, domains with the most first (ties by name). */
export function domainSeverityMatrix(findings: readonly AuditFinding[]): Array<{ domain: AuditDomain; total: number; bySeverity: Record<AuditSeverity, number> }> {
  const rows = new Map<AuditDomain, Record<AuditSeverity, number>>();
  for (const finding of findings) {
    if (finding.status !== 'open') continue;
    const row = rows.get(finding.domain) ?? { critical: 0, high: 0, medium: 0, low: 0 };
    row[finding.severity] += 1;
    rows.set(finding.domain, row);
  }
  return [...rows.entries()]
    .map(([domain, bySeverity]) => ({ domain, bySeverity, total: severities.reduce((sum, severity) => sum + bySeverity[severity], 0) }))
    .sort((a, b) => b.total - a.total || a.domain.localeCompare(b.domain));
}

export interface BacklogEntry {
  readonly item: AuditBacklogItem;
  readonly finding?: AuditFinding;
}

/** The backlog grouped by milestone (stabilize, measure, document), each in rank order, with its finding. */
export function backlogByMilestone(report: Pick<AuditReport, 'backlog' | 'run'>): Array<{ milestone: AuditBacklogItem['milestone']; entries: BacklogEntry[] }> {
  const byFingerprint = new Map(report.run.findings.map((finding) => [finding.fingerprint, finding]));
  return milestones
    .map((milestone) => ({
      milestone,
      entries: report.backlog
        .filter((item) => item.milestone === milestone)
        .sort((a, b) => a.rank - b.rank)
        .map((item) => {
          const finding = byFingerprint.get(item.fingerprint);
          return finding ? { item, finding } : { item };
        }),
    }))
    .filter((group) => group.entries.length > 0);
}

/** Risk-accepted findings, soonest expiry first. */
export function acceptedFindings(findings: readonly AuditFinding[]): AuditFinding[] {
  return findings.filter((finding) => finding.status === 'risk-accepted').sort((a, b) => (a.acceptance?.expiresAt ?? '').localeCompare(b.acceptance?.expiresAt ?? ''));
}

const levelRank: Record<MaturityLevel, number> = { none: 0, bronze: 1, silver: 2, gold: 3 };

/** `up`, `down`, `same` or `new` (a single run), comparing this run's level with the one before. */
export function trendDirection(trend: readonly MaturityLevel[]): 'up' | 'down' | 'same' | 'new' {
  if (trend.length < 2) return 'new';
  const last = levelRank[trend[trend.length - 1] as MaturityLevel];
  const before = levelRank[trend[trend.length - 2] as MaturityLevel];
  return last > before ? 'up' : last < before ? 'down' : 'same';
}

/** Teams first, then services; within each, the weakest level first, then by name. */
export function sortScorecards(cards: readonly AuditScorecard[]): AuditScorecard[] {
  return [...cards].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'team' ? -1 : 1) || levelRank[a.level] - levelRank[b.level] || a.name.localeCompare(b.name));
}

/** `1 high, 3 medium`, or `none`. */
export function openCounts(counts: Readonly<Record<AuditSeverity, number>>): string {
  const parts = severities.filter((severity) => (counts[severity] ?? 0) > 0).map((severity) => `${counts[severity]} ${severity}`);
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** `full-platform-team` → `Full platform team`. */
export function operatingModelTitle(recommended: string): string {
  const words = recommended.replace(/-/g, ' ').replace(/\bsre\b/i, 'SRE');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `tier1Services` → `tier 1 services`, `onCallCoveragePercent` → `on call coverage percent`. */
export function factLabel(key: string): string {
  return key
    .replace(/([a-z])([A-Z0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Z])/g, '$1 $2')
    .toLowerCase();
}

export interface AcceptanceInput {
  readonly reason: string;
  readonly expires: string;
}

/** What is wrong with an acceptance before it is sent, field by field (empty when it may be sent). */
export function validateAcceptance(input: AcceptanceInput): { reason?: string; expires?: string } {
  const problems: { reason?: string; expires?: string } = {};
  if (input.reason.trim().length < minReasonLength) problems.reason = `Say why in at least ${minReasonLength} characters (${input.reason.trim().length} so far).`;
  const lifetime = parseCompoundDuration(input.expires);
  if (lifetime === undefined) problems.expires = 'Use a duration such as 30d, 12w or 90d.';
  else if (lifetime <= 0) problems.expires = 'The expiry must be more than 0.';
  else if (lifetime > maxAcceptanceMs) problems.expires = 'At most 180d: accepted risks are reviewed again.';
  return problems;
}

/** `30d`, `1w2d`, `12h30m` in milliseconds, as the server reads them; undefined when not a duration. */
export function parseCompoundDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d|w))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const part of trimmed.match(/\d+(?:\.\d+)?(?:ms|s|m|h|d|w)/g) ?? []) total += parseDuration(part) ?? Number.NaN;
  return Number.isNaN(total) ? undefined : total;
}

/** `file.yaml:12` or the file alone. */
export function locationText(location: AuditFinding['location']): string | undefined {
  if (!location) return undefined;
  return location.line ? `${location.file}:${location.line}` : location.file;
}
