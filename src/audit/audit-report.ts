import type { Control, Domain, Severity } from './control.ts';
import type { AuditRun, Finding } from './run-audit.ts';

/** The roadmap's milestones, in order: fix the highest-risk gaps, then make things measurable, then written down. */
export const milestones = ['stabilize', 'measure', 'document'] as const;
export type Milestone = (typeof milestones)[number];

/** One open finding in the reliability backlog, with why it sits where it does. */
export interface BacklogItem {
  readonly rank: number;
  readonly finding: Finding;
  readonly milestone: Milestone;
  /** severity weight x blast radius x likelihood / effort */
  readonly priority: number;
  readonly factors: {
    readonly severityWeight: number;
    readonly blastRadius: number;
    readonly likelihood: number;
    readonly effortWeight: number;
  };
  /** one sentence: "critical, tier-1 service with 4 dependents, 2 incidents in 30 days; small effort" */
  readonly why: string;
}

export type MaturityLevel = 'none' | 'bronze' | 'silver' | 'gold';

/** Per service or per team: which level its passing controls reach, and the trend across runs. */
export interface Scorecard {
  readonly kind: 'service' | 'team';
  readonly name: string;
  readonly level: MaturityLevel;
  readonly openFindings: Readonly<Record<Severity, number>>;
  /** what keeps it from the next level */
  readonly nextLevelBlockers: readonly string[];
  /** levels of earlier runs, oldest first, then this one */
  readonly trend: readonly MaturityLevel[];
}

export const operatingModels = ['ad-hoc-help', 'developer-owned-operations', 'fractional-sre-ownership', 'full-platform-team'] as const;
export type OperatingModel = (typeof operatingModels)[number];

/** Where the organisation sits on the decision matrix, and why. */
export interface OperatingModelAssessment {
  readonly recommended: OperatingModel;
  readonly reasons: readonly string[];
  readonly facts: Readonly<Record<string, number>>;
}

/** What changed since a previous run (`--baseline`), by fingerprint. */
export interface BaselineComparison {
  readonly baselineAt: string;
  readonly fixed: readonly Finding[];
  readonly new: readonly Finding[];
  /** fixed in the baseline's own history but open again: present in an earlier run, absent from the baseline, open now */
  readonly regressed: readonly Finding[];
  readonly unchanged: number;
}

/** A source the audit ran without, the controls it would let run, and how to get it. */
export interface MissingSource {
  readonly source: 'model' | 'ledger';
  readonly controls: readonly string[];
  readonly how: string;
}

/** Everything a report renders; the reports are pure functions of this. */
export interface AuditReport {
  readonly run: AuditRun;
  readonly catalog: readonly Control[];
  readonly backlog: readonly BacklogItem[];
  readonly scorecards: readonly Scorecard[];
  readonly operatingModel: OperatingModelAssessment;
  readonly comparison?: BaselineComparison;
  /** the model's ownership map, when the audit read a model: Mermaid always, SVG when the caller could lay it out */
  readonly diagram?: { readonly mermaid: string; readonly svg?: string };
  readonly summary: {
    readonly open: number;
    readonly riskAccepted: number;
    readonly bySeverity: Readonly<Record<Severity, number>>;
    readonly byDomain: Readonly<Record<Domain, number>>;
    readonly controls: { readonly pass: number; readonly fail: number; readonly notApplicable: number };
    /** what adding a missing source (a model, a ledger) would add: the controls that could not run without it */
    readonly wouldAdd: readonly MissingSource[];
  };
}
