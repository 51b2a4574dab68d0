/** Plain data of the incident lifecycle: what `incidentState` folds the ledger's incident events into. */

export const incidentSeverities = ['sev1', 'sev2', 'sev3', 'sev4'] as const;
export type IncidentSeverity = (typeof incidentSeverities)[number];

/** The statuses an update may set while work goes on. */
export const updateStatuses = ['investigating', 'identified', 'monitoring'] as const;
export type UpdateStatus = (typeof updateStatuses)[number];

export type IncidentStatus = 'declared' | 'acknowledged' | UpdateStatus | 'mitigated' | 'resolved';

export const incidentRoleNames = ['commander', 'communications', 'scribe'] as const;
export type IncidentRoleName = (typeof incidentRoleNames)[number];
export type IncidentRoles = Partial<Record<IncidentRoleName, string>>;

export interface FollowUpDraft {
  readonly title: string;
  readonly owner?: string;
  readonly due?: string;
  readonly issue?: string;
}

/** One entry of the incident's own history, as people wrote it. */
export interface IncidentUpdate {
  readonly at: string;
  readonly kind: 'declared' | 'acknowledged' | 'updated' | 'mitigated' | 'resolved' | 'postmortem';
  readonly actor: string;
  readonly message: string;
  readonly status?: UpdateStatus;
  readonly severity?: IncidentSeverity;
  readonly seq?: number;
}

export interface SeverityChange {
  readonly at: string;
  readonly severity: IncidentSeverity;
  readonly seq?: number;
}

export interface IncidentState {
  readonly id: string;
  readonly title: string;
  readonly severity: IncidentSeverity;
  readonly services: readonly string[];
  readonly environment?: string;
  readonly roles: IncidentRoles;
  readonly status: IncidentStatus;
  readonly summary?: string;
  /** the fingerprint of the alert it was declared from */
  readonly fromAlert?: string;
  readonly declaredAt: string;
  readonly acknowledgedAt?: string;
  readonly acknowledgedBy?: string;
  readonly mitigatedAt?: string;
  readonly resolvedAt?: string;
  readonly postmortemUrl?: string;
  /** the deploy a responder confirmed caused it (explicit lineage for the change failure rate) */
  readonly causedBy?: CausedBy;
  readonly followUps: readonly FollowUpDraft[];
  readonly updates: readonly IncidentUpdate[];
  readonly severityHistory: readonly SeverityChange[];
  /** the number of ledger events folded in: the next event's ordinal in its idempotent id */
  readonly eventCount: number;
}

/** What a caller asks the lifecycle to do to an existing incident. */
export type IncidentCommand =
  | { readonly kind: 'acknowledge'; readonly by: string }
  | {
      readonly kind: 'update';
      readonly message: string;
      readonly status?: UpdateStatus;
      readonly severity?: string;
      readonly roles?: IncidentRoles;
      readonly causedBy?: CausedBy;
    }
  | { readonly kind: 'mitigate'; readonly summary: string }
  | { readonly kind: 'resolve'; readonly summary?: string; readonly budgetBurned?: readonly BudgetBurned[] }
  | { readonly kind: 'postmortem'; readonly url: string; readonly followUps?: readonly FollowUpDraft[]; readonly trigger?: TriggerReference };

/** The share of an SLO's error budget an incident burned, as recorded when it was resolved. */
export interface BudgetBurned {
  /** `service/slo` */
  readonly slo: string;
  readonly service: string;
  readonly environment: string;
  readonly percent: number;
}

/** The deploy that caused an incident, as a responder confirmed it: its deploy id and, when known, its event. */
export interface CausedBy {
  readonly deployId: string;
  readonly seq?: number;
}

/** The change a postmortem names as the likely trigger: its ledger event. */
export interface TriggerReference {
  readonly seq: number;
  readonly type: string;
  readonly summary?: string;
}

export interface DeclareInput {
  readonly incidentId: string;
  readonly title: string;
  readonly severity: string;
  readonly services: readonly string[];
  readonly environment?: string;
  readonly roles?: IncidentRoles;
  readonly summary?: string;
  readonly fromAlert?: string;
}

/** An event the lifecycle wants written: type and payload; the service adds envelope and actor. */
export interface IncidentEventDraft {
  readonly type: `dev.steadyops.incident.${IncidentUpdate['kind']}`;
  readonly data: Readonly<Record<string, unknown>>;
}
