import type { Severity } from './control.ts';
import { datastoreOfFinding } from './finding-subjects.ts';
import type { AuditRun } from './run-audit.ts';

/** A finding as an audit run records it in the ledger: enough for trends, never the evidence text. */
export interface SnapshotFinding {
  readonly fingerprint: string;
  readonly controlId: string;
  readonly severity: Severity;
  readonly service?: string;
  readonly team?: string;
  readonly datastore?: string;
}

/** What scorecards and trends need from a run, whether it is the current one or a recorded `audit.completed`. */
export interface RunSnapshot {
  readonly at: string;
  readonly root: string;
  /** open findings only */
  readonly findings: readonly SnapshotFinding[];
  /** the findings that were risk-accepted in that run */
  readonly riskAccepted: readonly SnapshotFinding[];
  /** ids of the controls that did not apply (no model, no ledger, nothing scanned) */
  readonly notApplicable: readonly string[];
}

export function snapshotOf(run: AuditRun): RunSnapshot {
  return {
    at: run.at,
    root: run.root,
    findings: run.findings.filter((finding) => finding.status === 'open').map(snapshotFinding),
    riskAccepted: run.findings.filter((finding) => finding.status === 'risk-accepted').map(snapshotFinding),
    notApplicable: run.controls.filter((control) => control.status === 'not-applicable').map((control) => control.id),
  };
}

function snapshotFinding(finding: AuditRun['findings'][number]): SnapshotFinding {
  const datastore = datastoreOfFinding(finding);
  return {
    fingerprint: finding.fingerprint,
    controlId: finding.controlId,
    severity: finding.severity,
    ...(finding.service ? { service: finding.service } : {}),
    ...(finding.team ? { team: finding.team } : {}),
    ...(datastore ? { datastore } : {}),
  };
}
