// Test-only: findings and runs for the backlog, scorecard, baseline and report tests.
import type { Domain, Effort, Severity } from './control.ts';
import { auditNow } from './controls/control-cases.ts';
import type { AuditRun, ControlOutcome, Finding } from './run-audit.ts';

export { auditNow };

export interface FindingSpec {
  readonly controlId?: string;
  readonly severity?: Severity;
  readonly domain?: Domain;
  readonly effort?: Effort;
  readonly resource?: string;
  readonly service?: string;
  readonly team?: string;
  readonly status?: Finding['status'];
}

export function finding(spec: FindingSpec = {}): Finding {
  const controlId = spec.controlId ?? 'REL-001';
  const resource = spec.resource ?? (spec.service ? `Service ${spec.service}` : 'Service checkout-api');
  return {
    fingerprint: `${controlId}:${resource}`,
    controlId,
    title: `title of ${controlId}`,
    domain: spec.domain ?? 'release',
    severity: spec.severity ?? 'high',
    effort: spec.effort ?? 'S',
    status: spec.status ?? 'open',
    resource,
    evidence: `evidence of ${controlId} on ${resource}`,
    ...(spec.service ? { service: spec.service } : {}),
    ...(spec.team ? { team: spec.team } : {}),
  };
}

/** A run with these findings; every control named by a finding fails, `controls` adds the others. */
export function auditRun(findings: readonly Finding[], controls: readonly ControlOutcome[] = [], at: Date = auditNow): AuditRun {
  const failing = [...new Set(findings.map((entry) => entry.controlId))].map((id) => ({
    id,
    status: 'fail' as const,
    findings: findings.filter((entry) => entry.controlId === id).length,
  }));
  return { at: at.toISOString(), root: '/repo', filesScanned: 3, controls: [...failing, ...controls], findings, warnings: [] };
}
