/** Where a follow-up was recorded: its own `followup.created` event, or a postmortem's `followUps` list. */
export type FollowUpOrigin = 'followup' | 'postmortem';

export type FollowUpState = 'open' | 'done' | 'overdue';

/** A hand-made link from a follow-up to the change that carries it out (`dev.steadyops.followup.linked`). */
export interface ManualLink {
  readonly seq?: number;
  readonly type?: string;
  readonly ref?: string;
  readonly at: string;
}

export interface FollowUpClosure {
  readonly seq: number;
  readonly at: string;
  readonly by: string;
  readonly reason?: string;
}

/** An action with an owner and a due date, tied to an incident, as the ledger tells it. */
export interface FollowUp {
  /** `SO-FU-<n>`; a postmortem follow-up without one is named by its issue/key, else `<incident>/<n>` */
  readonly id: string;
  readonly incidentId: string;
  readonly title: string;
  readonly owner?: string;
  /** the due date as written (YYYY-MM-DD) */
  readonly due?: string;
  /** when it is overdue: the end of the due day (UTC), or 14 days after its postmortem */
  readonly dueAt: number;
  readonly origin: FollowUpOrigin;
  /** the sequence number and time of the event that recorded it */
  readonly seq: number;
  readonly recordedAt: string;
  /** the services of its incident (from `incident.declared`) */
  readonly services: readonly string[];
  /** changes at or after this time count (the incident's declaration, else the recording) */
  readonly since: number;
  /** what a change must name, word-bounded and case-insensitively, to be linked automatically */
  readonly keys: readonly string[];
  readonly manualLinks: readonly ManualLink[];
  readonly closed?: FollowUpClosure;
}

/** A change linked to a follow-up, by a mention of its id or by hand. */
export interface LinkedChange {
  readonly via: 'mention' | 'manual';
  readonly seq?: number;
  readonly type?: string;
  readonly ref?: string;
  readonly time?: string;
  /** a merge, a commit on the default branch, an applied infrastructure change or a finished deploy */
  readonly merged: boolean;
}

export interface FollowUpStatus extends FollowUp {
  readonly status: FollowUpState;
  /** closed, but no merged change is linked to it: the audit flags these */
  readonly closedWithoutChange: boolean;
  readonly changes: readonly LinkedChange[];
}
