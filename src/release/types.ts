import type { ReleaseCheck } from '../model/schema.ts';

/** The release asking to go out. */
export interface GateRequest {
  service: string;
  environment: string;
  version: string;
  /** Email or GitHub login of whoever authored the release. */
  author?: string;
}

/** The caller could not gather a signal (Prometheus down, API error); the check reports an error. */
export interface Unreachable {
  unreachable: string;
  /** the system that could not be reached (e.g. `Prometheus at URL`): several signals from one source are named once */
  source?: string;
}

/** A signal as gathered: its data, or why it could not be gathered. */
export type Signal<T> = T | Unreachable;

export interface ErrorBudgetSignal {
  slo: string;
  /** Fraction of the budget left (0..1, negative when overspent); undefined when there is no data. */
  remaining: number | undefined;
}

export interface FiringAlert {
  alertname: string;
  severity: string;
  service: string;
  /** RFC 3339. */
  startsAt: string;
}

export interface OpenIncident {
  id: string;
  severity: string;
  services: string[];
}

export interface Approval {
  /** Email or GitHub login. */
  approver: string;
  team?: string;
  /** RFC 3339. */
  at: string;
  comment?: string | undefined;
}

/** An approver let a denied release go anyway; recorded as its own ledger event. */
export interface GateOverride {
  /** the ledger sequence number of the override event */
  seq: number;
  at: string;
  by: string;
  reason: string;
}

export interface RestoreVerification {
  datastore: string;
  /** RFC 3339 time of the last verified restore. */
  verifiedAt: string;
}

export interface RecentDeploy {
  /** RFC 3339. */
  at: string;
}

/** Plain data the caller gathered before asking for a decision; a missing field means "not gathered". */
export interface GateSignals {
  errorBudgets?: Signal<ErrorBudgetSignal[]>;
  firingAlerts?: Signal<FiringAlert[]>;
  openIncidents?: Signal<OpenIncident[]>;
  approvals?: Signal<Approval[]>;
  restores?: Signal<RestoreVerification[]>;
  shipsMigrations?: Signal<boolean>;
  recentDeploys?: Signal<RecentDeploy[]>;
}

export type CheckType = ReleaseCheck['type'];
export type CheckMode = 'enforce' | 'shadow';
export type CheckOutcome = 'pass' | 'fail' | 'error';

export interface CheckResult {
  type: CheckType;
  /** The effective mode: shadow when the policy or the check is in shadow mode. */
  mode: CheckMode;
  outcome: CheckOutcome;
  /** One plain sentence a new on-call engineer understands. */
  reason: string;
  /** What the check looked at, for the audit trail. */
  inputs: Record<string, unknown>;
}

export interface GateDecision {
  decision: 'allow' | 'deny';
  /** Enforced checks that denied the release (failures, and errors when onError is deny). */
  enforcedFailures: CheckResult[];
  /** Shadow checks that failed or errored: reported, never denying. */
  shadowFailures: CheckResult[];
  /** Every check in policy order. */
  results: CheckResult[];
  /** True when an enforced check errored, so the policy's onError decided its effect. */
  onErrorApplied: boolean;
}
