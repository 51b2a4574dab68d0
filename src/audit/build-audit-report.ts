import type { LedgerEvent } from '../ledger/types.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { renderMermaidDiagram } from '../model/diagram/mermaid-diagram.ts';
import { buildOwnershipGraph } from '../model/ownership-graph.ts';
import type { AuditReport, MissingSource } from './audit-report.ts';
import { buildBacklog } from './backlog.ts';
import { compareWithBaseline, type Baseline } from './baseline.ts';
import { domains, type Control, type Domain } from './control.ts';
import { assessOperatingModel } from './operating-model.ts';
import type { AuditRun } from './run-audit.ts';
import { snapshotOf, type RunSnapshot } from './run-snapshot.ts';
import { buildScorecards, countBySeverity } from './scorecards.ts';

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
    ...(input.model && hasOwnership(input.model) ? { diagram: { mermaid: renderMermaidDiagram(buildOwnershipGraph(input.model)) } } : {}),
    summary: summarize(run),
  };
}

function hasOwnership(model: ResolvedModel): boolean {
  return model.teams.length + model.services.length + model.datastores.length > 0;
}

export function summarize(run: AuditRun): AuditReport['summary'] {
  const open = run.findings.filter((finding) => finding.status === 'open');
  const byDomain = Object.fromEntries(domains.map((domain) => [domain, 0])) as Record<Domain, number>;
  for (const finding of open) byDomain[finding.domain] += 1;
  const count = (status: string) => run.controls.filter((control) => control.status === status).length;
  return {
    open: open.length,
    riskAccepted: run.findings.length - open.length,
    bySeverity: countBySeverity(open),
    byDomain,
    controls: { pass: count('pass'), fail: count('fail'), notApplicable: count('not-applicable') },
    wouldAdd: missingSources(run),
  };
}

const howToGet: Record<MissingSource['source'], string> = {
  model:
    'an ownership model says who owns each service, how critical it is, its SLOs, rollback criteria, datastores and access roles; `steadyops init` drafts one from CODEOWNERS, manifests and workflows',
  ledger:
    'the ledger holds what happened (deploys, access, restores, incidents); run `steadyops serve` and connect the sources (docs/connectors), or point --db at an existing one',
};

/** The controls that did not apply only because the model or the ledger was missing, per source. */
function missingSources(run: AuditRun): MissingSource[] {
  return (['model', 'ledger'] as const).flatMap((source) => {
    const controls = run.controls
      .filter((control) => control.status === 'not-applicable' && missingOf(control.reason).includes(source))
      .map((control) => control.id);
    return controls.length > 0 ? [{ source, controls, how: howToGet[source] }] : [];
  });
}

/** `no model, ledger found` -> [model, ledger] (the runner's wording). */
function missingOf(reason: string | undefined): string[] {
  const match = /^no (.+) found$/.exec(reason ?? '');
  return match?.[1]?.split(', ') ?? [];
}
