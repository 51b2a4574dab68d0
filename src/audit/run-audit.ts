import { createHash } from 'node:crypto';
import type { Control, Domain, Effort, FindingDraft, Severity } from './control.ts';
import type { AuditFacts, AuditWarning, FactSource } from './facts.ts';

export type FindingStatus = 'open' | 'risk-accepted';

/** An approver's decision to live with a finding until it expires (a ledger event). */
export interface RiskAcceptance {
  readonly fingerprint: string;
  readonly acceptedBy: string;
  readonly reason: string;
  /** RFC 3339; after it the finding is open again */
  readonly expiresAt: string;
  /** ledger sequence number of the acceptance */
  readonly seq?: number;
}

export interface Finding extends FindingDraft {
  /** control + resource + file: keeps its identity across runs while lines move */
  readonly fingerprint: string;
  readonly controlId: string;
  readonly title: string;
  readonly domain: Domain;
  readonly severity: Severity;
  readonly effort: Effort;
  readonly status: FindingStatus;
  readonly acceptance?: RiskAcceptance;
}

export interface ControlOutcome {
  readonly id: string;
  readonly status: 'pass' | 'fail' | 'not-applicable';
  readonly findings: number;
  /** why the control did not apply */
  readonly reason?: string;
}

export interface AuditRun {
  readonly at: string;
  readonly root: string;
  readonly filesScanned: number;
  readonly controls: readonly ControlOutcome[];
  readonly findings: readonly Finding[];
  readonly warnings: readonly AuditWarning[];
}

export function fingerprintOf(controlId: string, draft: FindingDraft): string {
  return createHash('sha256').update(`${controlId}\n${draft.resource}\n${draft.location?.file ?? ''}`).digest('hex').slice(0, 16);
}

/** Pure: every control over the facts; findings in catalog order, then by location. */
export function runAudit(facts: AuditFacts, controls: readonly Control[], now: Date, acceptances: readonly RiskAcceptance[] = []): AuditRun {
  const accepted = new Map(
    acceptances.filter((acceptance) => Date.parse(acceptance.expiresAt) > now.getTime()).map((acceptance) => [acceptance.fingerprint, acceptance]),
  );
  const outcomes: ControlOutcome[] = [];
  const findings: Finding[] = [];
  for (const control of controls) {
    const missing = control.needs.filter((need) => !hasFacts(facts, need));
    if (missing.length > 0) {
      outcomes.push({ id: control.id, status: 'not-applicable', findings: 0, reason: `no ${missing.join(', ')} found` });
      continue;
    }
    const drafts = dedupe(control.evaluate(facts, now).map((draft) => ({ draft, fingerprint: fingerprintOf(control.id, draft) })));
    outcomes.push({ id: control.id, status: drafts.length > 0 ? 'fail' : 'pass', findings: drafts.length });
    for (const { draft, fingerprint } of drafts) {
      const acceptance = accepted.get(fingerprint);
      findings.push({
        ...draft,
        fingerprint,
        controlId: control.id,
        title: control.title,
        domain: control.domain,
        severity: control.severity,
        effort: control.effort,
        status: acceptance ? 'risk-accepted' : 'open',
        ...(acceptance ? { acceptance } : {}),
      });
    }
  }
  return { at: now.toISOString(), root: facts.root, filesScanned: facts.filesScanned, controls: outcomes, findings, warnings: facts.warnings };
}

function hasFacts(facts: AuditFacts, need: FactSource): boolean {
  switch (need) {
    case 'model':
      return facts.model !== undefined;
    case 'ledger':
      return facts.ledger !== undefined;
    default:
      return facts[need].length > 0;
  }
}

/** One finding per fingerprint, the first location kept: a control may meet the same resource twice. */
function dedupe<T extends { fingerprint: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.fingerprint) && seen.add(item.fingerprint));
}
