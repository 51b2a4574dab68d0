import { realpath, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { Ledger } from '../ledger/types.ts';
import type { Clock } from '../lib/clock.ts';
import type { ResolvedModel } from '../model/resolve.ts';
import { layoutOwnershipGraph } from '../model/diagram/layout-ownership-graph.ts';
import { renderSvgDiagram } from '../model/diagram/svg-diagram.ts';
import { buildOwnershipGraph } from '../model/ownership-graph.ts';
import { SteadyopsError } from '../lib/errors.ts';
import type { AuditReport } from './audit-report.ts';
import { auditCompletedEvent, readAuditHistory, riskAcceptedEvent, type AcceptanceRequest, type AuditHistory } from './audit-ledger.ts';
import type { Baseline } from './baseline.ts';
import { buildAuditReport } from './build-audit-report.ts';
import type { Control } from './control.ts';
import { controlCatalog } from './controls/control-catalog.ts';
import type { ModelFacts } from './facts.ts';
import { runAudit, type RiskAcceptance } from './run-audit.ts';
import { scanRepository } from './scanners/scan-repository.ts';

export interface AuditRunOptions {
  /** who ran it, for the `audit.completed` event */
  readonly actor: string;
  /** append `audit.completed` to the ledger (default true when there is a ledger) */
  readonly record?: boolean;
  readonly baseline?: Baseline;
  readonly onProgress?: (files: number) => void;
}

export interface AuditRunResult {
  readonly report: AuditReport;
  /** the ownership model the audit read, when the repository has one */
  readonly model?: ResolvedModel;
  /** the ledger sequence number of the `audit.completed` event, when it was recorded */
  readonly seq?: number;
}

export interface AuditService {
  /** scans the repository, checks every control (with the ledger's acceptances) and records the run */
  run(options: AuditRunOptions): Promise<AuditRunResult>;
  /** the latest report this service produced, if any */
  latest(): AuditReport | undefined;
  /** records an approver's acceptance of a finding of the latest recorded run */
  accept(request: AcceptanceRequest, actor: string): Promise<{ seq: number; acceptance: RiskAcceptance }>;
}

export interface AuditServiceDeps {
  /** without a ledger the ledger controls do not apply, and nothing is recorded */
  readonly ledger?: Ledger;
  readonly clock: Clock;
  /** the repository folder to audit */
  readonly root: string;
  /** a model already loaded; default: `steadyops.yaml` or `.steadyops/` under the root */
  readonly model?: ModelFacts | 'auto' | 'none';
  readonly catalog?: readonly Control[];
  /** the kubectl that renders kustomizations */
  readonly kubectl?: string;
}

export function createAuditService(deps: AuditServiceDeps): AuditService {
  const catalog = deps.catalog ?? controlCatalog;
  let latest: AuditReport | undefined;
  const history = async (root: string, now: Date): Promise<AuditHistory> =>
    deps.ledger ? readAuditHistory(deps.ledger, root, now) : { previousRuns: [], acceptances: [] };

  return {
    async run(options) {
      const now = deps.clock.now();
      const facts = await scanRepository({
        root: deps.root,
        now,
        model: deps.model ?? 'auto',
        ...(deps.ledger ? { ledger: deps.ledger } : {}),
        ...(deps.kubectl ? { kubectl: deps.kubectl } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      const { previousRuns, acceptances } = await history(facts.root, now);
      const run = runAudit(facts, catalog, now, acceptances);
      const built = buildAuditReport({
        run,
        catalog,
        previousRuns,
        ...(facts.model ? { model: facts.model.model } : {}),
        ...(facts.ledger ? { ledgerEvents: facts.ledger.events } : {}),
        ...(options.baseline ? { baseline: options.baseline } : {}),
      });
      const report = facts.model ? await withSvgDiagram(built, facts.model.model) : built;
      latest = report;
      const result = { report, ...(facts.model ? { model: facts.model.model } : {}) };
      if (!deps.ledger || options.record === false) return result;
      const [recorded] = await deps.ledger.append([{ actor: options.actor, event: auditCompletedEvent(run, report.summary) }]);
      return { ...result, seq: recorded!.seq };
    },
    latest: () => latest,
    async accept(request, actor) {
      if (!deps.ledger) throw new SteadyopsError('SO_E_NOT_CONFIGURED', { feature: 'risk acceptance', detail: 'acceptances are ledger events, and there is no ledger' });
      const now = deps.clock.now();
      const { latest: latestRun } = await history(await repositoryPath(deps.root), now);
      const { event, acceptance } = riskAcceptedEvent(request, latestRun, now);
      const [recorded] = await deps.ledger.append([{ actor, event }]);
      return { seq: recorded!.seq, acceptance: { ...acceptance, seq: recorded!.seq } };
    },
  };
}

/** Adds the ELK-laid-out SVG of the ownership map to a report that has its Mermaid source. */
export async function withSvgDiagram(report: AuditReport, model: ResolvedModel): Promise<AuditReport> {
  if (!report.diagram) return report;
  try {
    const svg = renderSvgDiagram(await layoutOwnershipGraph(buildOwnershipGraph(model)));
    return { ...report, diagram: { ...report.diagram, svg } };
  } catch {
    // a picture is not worth failing an audit for: the HTML report falls back to the Mermaid source
    return report;
  }
}

/** The repository an ownership model belongs to: the folder holding `steadyops.yaml` or `.steadyops/`. */
export async function repositoryOfModel(modelPath: string | undefined, cwd: string): Promise<string> {
  const path = resolve(cwd, modelPath ?? '.');
  const info = await stat(path).catch(() => undefined);
  const folder = info?.isDirectory() ? path : dirname(path);
  return basename(folder) === '.steadyops' ? dirname(folder) : folder;
}

/** The absolute, symlink-free path the scanner records as a run's root. */
async function repositoryPath(root: string): Promise<string> {
  return realpath(resolve(root)).catch(() => resolve(root));
}
