import { randomUUID } from 'node:crypto';
import { eventTypes } from '../ledger/event-types.ts';
import type { CloudEventInput, Ledger, LedgerEvent } from '../ledger/types.ts';
import { parseDuration } from '../lib/duration.ts';
import { SteadyopsError } from '../lib/errors.ts';
import type { AuditReport } from './audit-report.ts';
import type { AuditRun, RiskAcceptance } from './run-audit.ts';
import { snapshotOf, type RunSnapshot } from './run-snapshot.ts';

export const auditCompletedType = 'dev.steadyops.audit.completed';
export const riskAcceptedType = 'dev.steadyops.audit.risk.accepted';
export const auditEventSource = '/steadyops/audit';
export const maxAcceptanceMs = 180 * 86_400_000;
export const minReasonLength = 10;
/** earlier runs kept for the scorecards' trend */
export const trendRuns = 10;
/** audit.completed events read back to find the runs of one repository */
const runsScanned = 500;

/** The compact record of a run: counts and open fingerprints, never the evidence text. */
export function auditCompletedEvent(run: AuditRun, summary: AuditReport['summary']): CloudEventInput {
  const snapshot = snapshotOf(run);
  return steadyopsAuditEvent(auditCompletedType, run.at, {
    root: run.root,
    at: run.at,
    filesScanned: run.filesScanned,
    counts: { open: summary.open, riskAccepted: summary.riskAccepted, bySeverity: summary.bySeverity, byDomain: summary.byDomain },
    controls: summary.controls,
    notApplicable: snapshot.notApplicable,
    findings: snapshot.findings,
    riskAccepted: snapshot.riskAccepted,
  });
}

export interface AcceptanceRequest {
  readonly fingerprint: string;
  readonly reason: string;
  /** a duration from now, e.g. `30d` (at most 180 days) */
  readonly expires: string;
  readonly acceptedBy: string;
}

/**
 * Checks a risk acceptance against the latest recorded run (the fingerprint must be in it) and the limits
 * (a reason of 10 characters or more, an expiry within 180 days), and gives the event that records it.
 */
export function riskAcceptedEvent(request: AcceptanceRequest, latest: RunSnapshot | undefined, now: Date): { event: CloudEventInput; acceptance: RiskAcceptance } {
  if (request.reason.trim().length < minReasonLength) {
    throw new SteadyopsError('SO_E_USAGE', { detail: `--reason must say why in at least ${minReasonLength} characters, for whoever reads the ledger later` });
  }
  const lifetime = parseDuration(request.expires);
  if (lifetime <= 0 || lifetime > maxAcceptanceMs) {
    throw new SteadyopsError('SO_E_USAGE', { detail: `--expires ${request.expires} must be more than 0 and at most 180d: accepted risks are reviewed again` });
  }
  if (!latest) throw new SteadyopsError('SO_E_USAGE', { detail: 'the ledger holds no audit run of this repository: run `steadyops audit` with the ledger first, then accept one of its findings' });
  const finding = [...latest.findings, ...latest.riskAccepted].find((entry) => entry.fingerprint === request.fingerprint);
  if (!finding) throw new SteadyopsError('SO_E_NOT_FOUND', { what: 'finding', id: `${request.fingerprint} in the latest audit run (${latest.at})` });
  const acceptance: RiskAcceptance = {
    fingerprint: request.fingerprint,
    acceptedBy: request.acceptedBy,
    reason: request.reason.trim(),
    expiresAt: new Date(now.getTime() + lifetime).toISOString(),
  };
  const event = steadyopsAuditEvent(riskAcceptedType, now.toISOString(), {
    ...acceptance,
    controlId: finding.controlId,
    ...(finding.service ? { service: finding.service } : {}),
  });
  return { event, acceptance };
}

export interface AuditHistory {
  /** earlier runs of the repository, oldest first (at most `trendRuns`) */
  readonly previousRuns: readonly RunSnapshot[];
  readonly latest?: RunSnapshot;
  /** the newest acceptance of each fingerprint, expired ones included (`runAudit` ignores those) */
  readonly acceptances: readonly RiskAcceptance[];
}

/** What the ledger remembers of the audits of one repository (its absolute root). */
export async function readAuditHistory(ledger: Ledger, root: string, now: Date): Promise<AuditHistory> {
  const [runEvents, acceptanceEvents] = await Promise.all([
    ledger.query({ types: [auditCompletedType], until: now, limit: runsScanned }),
    ledger.query({ types: [riskAcceptedType], since: new Date(now.getTime() - maxAcceptanceMs - 86_400_000), until: now, limit: 10_000 }),
  ]);
  const runs = runEvents.flatMap((event) => snapshotFromEvent(event) ?? []).filter((run) => run.root === root);
  const newest = new Map<string, RiskAcceptance>();
  for (const event of acceptanceEvents) {
    const acceptance = acceptanceFromEvent(event);
    if (acceptance && !newest.has(acceptance.fingerprint)) newest.set(acceptance.fingerprint, acceptance);
  }
  return { previousRuns: runs.slice(0, trendRuns).reverse(), ...(runs[0] ? { latest: runs[0] } : {}), acceptances: [...newest.values()] };
}

export function snapshotFromEvent(event: LedgerEvent): RunSnapshot | undefined {
  const parsed = eventTypes[auditCompletedType].schemas[1].safeParse(event.data);
  if (!parsed.success) return undefined;
  const { root, at, findings, notApplicable, riskAccepted } = parsed.data;
  return { root, at, findings, notApplicable: notApplicable ?? [], riskAccepted: riskAccepted ?? [] };
}

export function acceptanceFromEvent(event: LedgerEvent): RiskAcceptance | undefined {
  const parsed = eventTypes[riskAcceptedType].schemas[1].safeParse(event.data);
  if (!parsed.success) return undefined;
  const { fingerprint, acceptedBy, reason, expiresAt } = parsed.data;
  return { fingerprint, acceptedBy, reason, expiresAt, seq: event.seq };
}

/** No subject: an audit concerns a repository, and a subject the model does not name would itself be a finding (OWN-003). */
function steadyopsAuditEvent(type: string, time: string, data: Record<string, unknown>): CloudEventInput {
  return { specversion: '1.0', id: randomUUID(), source: auditEventSource, type, time, datacontenttype: 'application/json', data };
}
