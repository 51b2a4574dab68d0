import { SteadyopsError } from '../lib/errors.ts';
import {
  incidentRoleNames,
  incidentSeverities,
  updateStatuses,
  type DeclareInput,
  type FollowUpDraft,
  type IncidentCommand,
  type IncidentEventDraft,
  type IncidentRoles,
  type IncidentSeverity,
  type IncidentState,
  type IncidentUpdate,
  type UpdateStatus,
} from './incident-types.ts';

/** The part of a ledger event the fold reads, so a draft folds exactly like the stored event. */
export interface IncidentFact {
  readonly type: string;
  readonly time: string;
  readonly actor: string;
  readonly data?: unknown;
  readonly seq?: number;
}

export const incidentTypePrefix = 'dev.steadyops.incident.';

type Data = Readonly<Record<string, unknown>>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const dataOf = (fact: IncidentFact): Data => (typeof fact.data === 'object' && fact.data !== null ? (fact.data as Data) : {});

export function isSeverity(value: unknown): value is IncidentSeverity {
  return (incidentSeverities as readonly unknown[]).includes(value);
}

function isUpdateStatus(value: unknown): value is UpdateStatus {
  return (updateStatuses as readonly unknown[]).includes(value);
}

export function incidentIdOf(fact: IncidentFact): string | undefined {
  return fact.type.startsWith(incidentTypePrefix) ? text(dataOf(fact).incidentId) : undefined;
}

/** In time order, ties in ledger order: imported history is not always appended in time order. */
export function byTimeThenSeq(a: IncidentFact, b: IncidentFact): number {
  return Date.parse(a.time) - Date.parse(b.time) || (a.seq ?? 0) - (b.seq ?? 0);
}

/** Pure: folds one incident's events into its state; undefined until its declaration is among them. */
export function incidentState(events: readonly IncidentFact[]): IncidentState | undefined {
  let state: IncidentState | undefined;
  for (const event of [...events].sort(byTimeThenSeq)) state = foldIncidentEvent(state, event);
  return state;
}

/** Pure: every incident in `events`, newest declaration first. */
export function incidentStates(events: readonly IncidentFact[]): IncidentState[] {
  const groups = new Map<string, IncidentFact[]>();
  for (const event of events) {
    const id = incidentIdOf(event);
    if (id) groups.set(id, [...(groups.get(id) ?? []), event]);
  }
  return [...groups.values()]
    .map((group) => incidentState(group))
    .filter((state): state is IncidentState => state !== undefined)
    .sort((a, b) => Date.parse(b.declaredAt) - Date.parse(a.declaredAt) || b.id.localeCompare(a.id));
}

function rolesOf(value: unknown): IncidentRoles {
  if (typeof value !== 'object' || value === null) return {};
  const roles: Record<string, string> = {};
  for (const role of incidentRoleNames) {
    const holder = text((value as Data)[role]);
    if (holder) roles[role] = holder;
  }
  return roles;
}

function followUpsOf(value: unknown): FollowUpDraft[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const entry = item as Data;
    const title = text(entry.title);
    if (!title) return [];
    const owner = text(entry.owner);
    const due = text(entry.due);
    const issue = text(entry.issue);
    return [{ title, ...(owner ? { owner } : {}), ...(due ? { due } : {}), ...(issue ? { issue } : {}) }];
  });
}

function entry(fact: IncidentFact, kind: IncidentUpdate['kind'], message: string, extra: Partial<IncidentUpdate> = {}): IncidentUpdate {
  return { at: fact.time, kind, actor: fact.actor, message, ...(fact.seq !== undefined ? { seq: fact.seq } : {}), ...extra };
}

function declaredState(fact: IncidentFact, data: Data, id: string): IncidentState {
  const severity = isSeverity(data.severity) ? data.severity : 'sev4';
  const services = Array.isArray(data.services) ? data.services.filter((service): service is string => typeof service === 'string') : [];
  const commander = text(data.commander);
  const environment = text(data.environment);
  const summary = text(data.summary);
  const fromAlert = text(data.fromAlert);
  const title = text(data.title) ?? id;
  return {
    id,
    title,
    severity,
    services,
    ...(environment ? { environment } : {}),
    roles: { ...(commander ? { commander } : {}), ...rolesOf(data.roles) },
    ...causedByOf(data, undefined),
    status: 'declared',
    ...(summary ? { summary } : {}),
    ...(fromAlert ? { fromAlert } : {}),
    declaredAt: fact.time,
    followUps: [],
    updates: [entry(fact, 'declared', summary ? `${title}: ${summary}` : title, { severity })],
    severityHistory: [{ at: fact.time, severity, ...(fact.seq !== undefined ? { seq: fact.seq } : {}) }],
    eventCount: 1,
  };
}

/** The latest confirmed cause: a `causedBy` on this event replaces the earlier one. */
function causedByOf(data: Data, state: IncidentState | undefined): Pick<IncidentState, 'causedBy'> {
  const given = typeof data.causedBy === 'object' && data.causedBy !== null ? (data.causedBy as Data) : undefined;
  const deployId = given ? text(given.deployId) : undefined;
  if (deployId) return { causedBy: { deployId, ...(typeof given?.seq === 'number' ? { seq: given.seq } : {}) } };
  return state?.causedBy ? { causedBy: state.causedBy } : {};
}

/** Pure: one event applied to the state. Tolerant: history written by other tools folds without throwing. */
export function foldIncidentEvent(state: IncidentState | undefined, fact: IncidentFact): IncidentState | undefined {
  const id = incidentIdOf(fact);
  if (!id) return state;
  const data = dataOf(fact);
  const verb = fact.type.slice(incidentTypePrefix.length);
  if (verb === 'declared') return state ? { ...state, eventCount: state.eventCount + 1 } : declaredState(fact, data, id);
  if (!state) return state;
  const next = { ...state, eventCount: state.eventCount + 1 };
  const resolved = state.status === 'resolved';
  switch (verb) {
    case 'acknowledged': {
      if (state.acknowledgedAt) return next;
      const by = text(data.by) ?? fact.actor;
      const status = state.status === 'declared' ? 'acknowledged' : state.status;
      return { ...next, status, acknowledgedAt: fact.time, acknowledgedBy: by, updates: [...state.updates, entry(fact, 'acknowledged', `acknowledged by ${by}`)] };
    }
    case 'updated': {
      const status = isUpdateStatus(data.status) ? data.status : undefined;
      const severity = isSeverity(data.severity) ? data.severity : undefined;
      const changedSeverity = severity && severity !== state.severity ? severity : undefined;
      return {
        ...next,
        ...(status && !resolved ? { status } : {}),
        ...(changedSeverity ? { severity: changedSeverity, severityHistory: [...state.severityHistory, { at: fact.time, severity: changedSeverity, ...(fact.seq !== undefined ? { seq: fact.seq } : {}) }] } : {}),
        roles: { ...state.roles, ...rolesOf(data.roles) },
        ...causedByOf(data, state),
        updates: [...state.updates, entry(fact, 'updated', text(data.message) ?? '', { ...(status ? { status } : {}), ...(changedSeverity ? { severity: changedSeverity } : {}) })],
      };
    }
    case 'mitigated':
      return {
        ...next,
        ...(resolved ? {} : { status: 'mitigated' as const }),
        mitigatedAt: state.mitigatedAt ?? fact.time,
        updates: [...state.updates, entry(fact, 'mitigated', text(data.summary) ?? 'mitigated')],
      };
    case 'resolved':
      return {
        ...next,
        status: 'resolved',
        resolvedAt: state.resolvedAt ?? fact.time,
        updates: [...state.updates, entry(fact, 'resolved', text(data.summary) ?? 'resolved')],
      };
    case 'postmortem': {
      const url = text(data.url);
      const followUps = followUpsOf(data.followUps);
      return {
        ...next,
        ...(url ? { postmortemUrl: url } : {}),
        ...(followUps.length > 0 ? { followUps } : {}),
        updates: [...state.updates, entry(fact, 'postmortem', url ? `postmortem published: ${url}` : 'postmortem published')],
      };
    }
    default:
      return next;
  }
}

function refuse(command: string, state: IncidentState, detail: string): SteadyopsError {
  return new SteadyopsError('SO_E_INCIDENT_TRANSITION', { command, incidentId: state.id, detail });
}

function invalidSeverity(path: string, value: string): SteadyopsError {
  const message = `unknown severity "${value}"; use one of ${incidentSeverities.join(', ')}`;
  return new SteadyopsError('SO_E_INPUT_INVALID', { detail: `${path}: ${message}` }, [{ path, message }]);
}

/** Why the lifecycle refuses `command` on `state`, or undefined when it may happen. */
function refusal(state: IncidentState, command: IncidentCommand, at: Date): string | undefined {
  if (at.getTime() < Date.parse(state.declaredAt)) return `${at.toISOString()} is before the incident was declared (${state.declaredAt})`;
  const resolvedAt = state.resolvedAt ? ` at ${state.resolvedAt}` : '';
  switch (command.kind) {
    case 'acknowledge':
      if (state.acknowledgedAt) return `it was already acknowledged by ${state.acknowledgedBy ?? 'someone'} at ${state.acknowledgedAt}`;
      if (state.status === 'resolved') return `it was resolved${resolvedAt}`;
      if (state.mitigatedAt) return `it was already mitigated at ${state.mitigatedAt}`;
      return undefined;
    case 'update':
      return state.status === 'resolved' ? `it was resolved${resolvedAt}; declare a new incident if the problem is back` : undefined;
    case 'mitigate':
      if (state.status === 'resolved') return `it was resolved${resolvedAt}`;
      return state.mitigatedAt ? `it was already mitigated at ${state.mitigatedAt}` : undefined;
    case 'resolve':
      return state.status === 'resolved' ? `it was already resolved${resolvedAt}` : undefined;
    case 'postmortem':
      return state.status === 'resolved' ? undefined : `it is still ${state.status}; resolve it before recording its postmortem`;
  }
}

const verbs = { acknowledge: 'acknowledged', update: 'updated', mitigate: 'mitigated', resolve: 'resolved', postmortem: 'postmortem' } as const;

function payloadOf(state: IncidentState, command: IncidentCommand): Record<string, unknown> {
  const incidentId = state.id;
  switch (command.kind) {
    case 'acknowledge':
      return { incidentId, by: command.by };
    case 'update': {
      const roles = rolesOf(command.roles);
      return {
        incidentId,
        message: command.message,
        ...(command.status ? { status: command.status } : {}),
        ...(command.severity ? { severity: command.severity } : {}),
        ...(Object.keys(roles).length > 0 ? { roles } : {}),
        ...(command.causedBy ? { causedBy: command.causedBy } : {}),
      };
    }
    case 'mitigate':
      return { incidentId, summary: command.summary };
    case 'resolve':
      return {
        incidentId,
        ...(command.summary ? { summary: command.summary } : {}),
        ...(command.budgetBurned && command.budgetBurned.length > 0 ? { budgetBurned: command.budgetBurned } : {}),
      };
    case 'postmortem':
      return {
        incidentId,
        url: command.url,
        ...(command.followUps && command.followUps.length > 0 ? { followUps: command.followUps } : {}),
        ...(command.trigger ? { trigger: command.trigger } : {}),
      };
  }
}

export interface Transition {
  readonly state: IncidentState;
  readonly event: IncidentEventDraft;
}

/**
 * Pure: validates `command` against the lifecycle and returns the event to write and the state after it.
 * A refused command throws SO_E_INCIDENT_TRANSITION (bad input: SO_E_INPUT_INVALID) and changes nothing.
 */
export function applyTransition(state: IncidentState, command: IncidentCommand, at: Date, actor: string): Transition {
  if (command.kind === 'update' && command.severity !== undefined && !isSeverity(command.severity)) throw invalidSeverity('severity', command.severity);
  if (command.kind === 'update' && command.status !== undefined && !isUpdateStatus(command.status)) {
    const message = `unknown status "${String(command.status)}"; use one of ${updateStatuses.join(', ')}`;
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `status: ${message}` }, [{ path: 'status', message }]);
  }
  const refused = refusal(state, command, at);
  if (refused) throw refuse(command.kind, state, refused);
  const event: IncidentEventDraft = { type: `${incidentTypePrefix}${verbs[command.kind]}`, data: payloadOf(state, command) };
  return { state: foldIncidentEvent(state, { ...event, time: at.toISOString(), actor }) as IncidentState, event };
}

/** Pure: the declaration event of a new incident and its first state; bad input throws SO_E_INPUT_INVALID. */
export function declareTransition(input: DeclareInput, at: Date, actor: string): Transition {
  if (!isSeverity(input.severity)) throw invalidSeverity('severity', input.severity);
  const issues = [
    ...(input.title.trim() === '' ? [{ path: 'title', message: 'say what is wrong in a few words' }] : []),
    ...(input.services.length === 0 ? [{ path: 'services', message: 'name at least one affected service' }] : []),
  ];
  if (issues.length > 0) {
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ') }, issues);
  }
  const roles = rolesOf(input.roles);
  const data = {
    incidentId: input.incidentId,
    title: input.title,
    severity: input.severity,
    services: [...new Set(input.services)],
    ...(input.environment ? { environment: input.environment } : {}),
    ...(roles.commander ? { commander: roles.commander } : {}),
    ...(Object.keys(roles).length > 0 ? { roles } : {}),
    ...(input.summary ? { summary: input.summary } : {}),
    ...(input.fromAlert ? { fromAlert: input.fromAlert } : {}),
  };
  const event: IncidentEventDraft = { type: 'dev.steadyops.incident.declared', data };
  return { state: foldIncidentEvent(undefined, { ...event, time: at.toISOString(), actor }) as IncidentState, event };
}
