import type { LedgerEvent } from '../ledger/types.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import type { AuditReport } from './audit-report.ts';
import { buildBacklog } from './backlog.ts';
import { compareWithBaseline, type Baseline } from './baseline.ts';
import { domains, severities, type Control, type Domain, type Severity } from './control.ts';
import { assessOperatingModel } from './operating-model.ts';
import type { AuditRun } from './run-audit.ts';
import { snapshotOf, type RunSnapshot } from './run-snapshot.ts';
import { buildScorecards } from './scorecards.ts';

export interface AuditReportInput {
  readonly run: AuditRun;
  readonly catalog: readonly Control[];
  readonly model?: ResolvedModel;
  /** ledger history (the audit's window): likelihood in the backlog, the deploy rate */
  readonly ledgerEvents?: readonly LedgerEvent[];
  /** earlier recorded runs of the same repository, oldest first: the scorecards' trend */
  readonly previousRuns?: readonly RunSnapshot[];
  readonly baseline?: Baseline;
}

/** Pure: everything the reports render, computed from one run. */
export function buildAuditReport(input: AuditReportInput): AuditReport {
  const { run } = input;
  const now = new Date(run.at);
  const context = { now, ...(input.model ? { model: input.model } : {}), ...(input.ledgerEvents ? { events: input.ledgerEvents } : {}) };
  return {
    run,
    catalog: input.catalog,
    backlog: buildBacklog(run.findings, context),
    scorecards: buildScorecards({ current: snapshotOf(run), previous: input.previousRuns ?? [], catalog: input.catalog, ...(input.model ? { model: input.model } : {}) }),
    operatingModel: assessOperatingModel({ findings: run.findings, ...context }),
    ...(input.baseline ? { comparison: compareWithBaseline(run, input.baseline) } : {}),
    summary: summarize(run),
  };
}

export function summarize(run: AuditRun): AuditReport['summary'] {
  const open = run.findings.filter((finding) => finding.status === 'open');
  const bySeverity = Object.fromEntries(severities.map((severity) => [severity, 0])) as Record<Severity, number>;
  const byDomain = Object.fromEntries(domains.map((domain) => [domain, 0])) as Record<Domain, number>;
  for (const finding of open) {
    bySeverity[finding.severity] += 1;
    byDomain[finding.domain] += 1;
  }
  const count = (status: string) => run.controls.filter((control) => control.status === status).length;
  return {
    open: open.length,
    riskAccepted: run.findings.length - open.length,
    bySeverity,
    byDomain,
    controls: { pass: count('pass'), fail: count('fail'), notApplicable: count('not-applicable') },
  };
}
