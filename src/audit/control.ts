import type { AuditFacts, FactSource, SourceLocation } from './facts.ts';

export const severities = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

export const domains = [
  'ownership',
  'release',
  'runtime',
  'infrastructure',
  'database',
  'observability',
  'backup',
  'access',
  'documentation',
  'incident',
] as const;
export type Domain = (typeof domains)[number];

export type Effort = 'S' | 'M' | 'L';

/** What a control found wrong with one resource; the runner adds identity, severity and status. */
export interface FindingDraft {
  /** what is wrong, stable across runs: `Deployment payments/checkout-api`, `Service checkout-api`, `.github/workflows/deploy.yml#deploy` */
  readonly resource: string;
  readonly location?: SourceLocation;
  /** the facts that show it, in one or two sentences */
  readonly evidence: string;
  /** the model service it belongs to, when known (for blast radius and scorecards) */
  readonly service?: string;
  /** the owning team, when known */
  readonly team?: string;
}

/**
 * One production control. `evaluate` is pure: facts and the time in, drafts out (none = the control
 * passes). A control whose `needs` are missing from the facts is not applicable, not passed.
 */
export interface Control {
  /** stable: `REL-004`; never reused for another meaning */
  readonly id: string;
  readonly title: string;
  readonly domain: Domain;
  readonly severity: Severity;
  /** the production risk, in one or two sentences */
  readonly risk: string;
  /** how it is detected, from which data */
  readonly detection: string;
  readonly remediation: string;
  /** a concrete example of the fix (YAML, HCL, a command) */
  readonly example: string;
  readonly effort: Effort;
  /** SOC 2 (2017 Trust Services Criteria) points of focus, e.g. CC8.1 */
  readonly soc2: readonly string[];
  /** facts the control reads; all must be present (a model, a ledger) or scanned (files) for it to apply */
  readonly needs: readonly FactSource[];
  evaluate(facts: AuditFacts, now: Date): readonly FindingDraft[];
}
