import { describeChange, linkOf } from '../changes/describe-change.ts';
import { changeKindOf, type ChangeKind } from '../ledger/event-types.ts';
import type { LedgerEvent } from '../ledger/types.ts';
import type { IncidentState } from './incident-types.ts';

/** The ledger types a timeline shows besides the incident's own events. */
export const timelineTypes = [
  'dev.steadyops.alert.firing',
  'dev.steadyops.alert.resolved',
  'dev.steadyops.deploy.*',
  'dev.steadyops.rollback.*',
  'dev.steadyops.rollout.*',
  'dev.steadyops.config.*',
  'dev.steadyops.flag.*',
  'dev.steadyops.infra.applied',
  'dev.steadyops.access.granted',
  'dev.steadyops.access.breakglass',
  'dev.steadyops.access.revoked',
  'dev.steadyops.git.merge',
  'dev.steadyops.change.reported',
] as const;

/** Ingestion later than this after the event's own time is shown: the sources' clocks or pipelines disagree. */
export const ingestionDelayShownMs = 60_000;

/** Changes that can start an incident; rollbacks and merges cannot (the first undoes, the second is not live). */
const triggerKinds: ReadonlySet<ChangeKind> = new Set(['deploy', 'config', 'flag', 'infra', 'access', 'other']);
const notTriggers = new Set(['dev.steadyops.deploy.started', 'dev.steadyops.access.revoked']);

export interface TimelineSubjects {
  readonly services: readonly string[];
  /** what the affected services depend on (services and datastores), from the model */
  readonly dependencies: readonly string[];
}

export interface TimelineFacts {
  readonly incident: IncidentState;
  /** the incident's own events */
  readonly incidentEvents: readonly LedgerEvent[];
  /** alerts and changes on the subjects, covering at least the window */
  readonly events: readonly LedgerEvent[];
  readonly subjects: TimelineSubjects;
}

export interface TimelineOptions {
  /** how far before the first alert (or the declaration) the timeline starts */
  readonly windowMs: number;
}

export interface TimelineEntry {
  readonly time: string;
  readonly kind: ChangeKind;
  readonly type: string;
  readonly summary: string;
  readonly service?: string;
  readonly actor: string;
  /** the ledger event this entry shows: its sequence number, and its CloudEvents id and source */
  readonly seq: number;
  readonly eventId: string;
  readonly source: string;
  /** ingested_at - time, when over a minute */
  readonly ingestionDelayMs?: number;
  readonly link?: string;
  readonly likelyTrigger?: true;
  readonly triggerReason?: string;
}

export interface TimelineAlert {
  readonly time: string;
  readonly seq: number;
  readonly alertname: string;
  readonly service?: string;
}

export interface IncidentTimeline {
  readonly incidentId: string;
  readonly window: { readonly since: string; readonly until: string };
  readonly subjects: TimelineSubjects;
  readonly firstAlert?: TimelineAlert;
  readonly likelyTrigger?: TimelineEntry;
  readonly entries: readonly TimelineEntry[];
}

const dataOf = (event: LedgerEvent): Readonly<Record<string, unknown>> =>
  typeof event.data === 'object' && event.data !== null ? (event.data as Record<string, unknown>) : {};
const timeOf = (event: { readonly time: string }): number => Date.parse(event.time);
const inOrder = (a: { time: string; seq: number }, b: { time: string; seq: number }): number => timeOf(a) - timeOf(b) || a.seq - b.seq;

/**
 * The alert the incident started from: the one it was declared from, else the earliest still firing at the
 * declaration on an affected service in the window before it, else the earliest still firing on a dependency
 * (alerts that resolved before the declaration only when no alert was still firing).
 */
export function firstAlertOf(facts: TimelineFacts, windowMs: number): LedgerEvent | undefined {
  const declaredAt = Date.parse(facts.incident.declaredAt);
  const firing = facts.events.filter((event) => event.type === 'dev.steadyops.alert.firing').sort(inOrder);
  const fingerprint = facts.incident.fromAlert;
  if (fingerprint) {
    const own = firing.filter((event) => dataOf(event).fingerprint === fingerprint && timeOf(event) <= declaredAt).at(-1);
    if (own) return own;
  }
  const before = firing.filter((event) => timeOf(event) <= declaredAt && timeOf(event) >= declaredAt - windowMs);
  // an alert that fired and resolved before the declaration was an earlier, separate problem
  const stillFiring = before.filter((event) => !resolvedBefore(event, facts.events, declaredAt));
  const onAffected = (events: readonly LedgerEvent[]) => events.find((event) => event.subject !== undefined && facts.subjects.services.includes(event.subject));
  return onAffected(stillFiring) ?? stillFiring[0] ?? onAffected(before) ?? before[0];
}

/** true when the alert `firing` started resolved (same fingerprint) at or before `at`. */
function resolvedBefore(firing: LedgerEvent, events: readonly LedgerEvent[], at: number): boolean {
  const fingerprint = dataOf(firing).fingerprint;
  if (fingerprint === undefined) return false;
  return events.some(
    (event) => event.type === 'dev.steadyops.alert.resolved' && dataOf(event).fingerprint === fingerprint && timeOf(event) >= timeOf(firing) && timeOf(event) <= at,
  );
}

/** Pure: where the timeline starts and ends. */
export function timelineWindow(incident: IncidentState, firstAlertAt: number | undefined, windowMs: number, now: Date): { since: Date; until: Date } {
  const start = firstAlertAt ?? Date.parse(incident.declaredAt);
  const until = incident.resolvedAt ? Date.parse(incident.resolvedAt) : now.getTime();
  return { since: new Date(start - windowMs), until: new Date(Math.max(until, start)) };
}

function toEntry(event: LedgerEvent, summary: string): TimelineEntry {
  const delay = Date.parse(event.ingested_at) - timeOf(event);
  const link = linkOf(event);
  return {
    time: event.time,
    kind: changeKindOf(event.type),
    type: event.type,
    summary,
    ...(event.subject ? { service: event.subject } : {}),
    actor: event.actor,
    seq: event.seq,
    eventId: event.id,
    source: event.source,
    ...(delay > ingestionDelayShownMs ? { ingestionDelayMs: delay } : {}),
    ...(link ? { link } : {}),
  };
}

function incidentSummary(incident: IncidentState, event: LedgerEvent): string {
  const update = incident.updates.find((entry) => entry.seq === event.seq);
  return update ? `${update.kind}${update.status ? ` (${update.status})` : ''}${update.severity && update.kind === 'updated' ? ` [${update.severity}]` : ''}: ${update.message}` : describeChange(event);
}

function isTriggerCandidate(entry: TimelineEntry): boolean {
  return triggerKinds.has(entry.kind) && !notTriggers.has(entry.type);
}

function minutesBetween(from: number, to: number): string {
  const minutes = Math.round((to - from) / 60_000);
  return minutes < 1 ? 'less than a minute' : `${minutes} min`;
}

function triggerReason(trigger: TimelineEntry, reference: { time: string; label: string }, subjects: TimelineSubjects): string {
  const where = trigger.service && subjects.dependencies.includes(trigger.service) && !subjects.services.includes(trigger.service) ? `${trigger.service} (a dependency)` : (trigger.service ?? 'an unnamed subject');
  return `the last ${trigger.kind} change on ${where} before ${reference.label}, ${minutesBetween(timeOf(trigger), timeOf(reference))} earlier`;
}

/**
 * Pure: the incident's timeline in time order (each event's own time), with what happened on the
 * affected services and their dependencies from `windowMs` before the first alert until resolution,
 * and the likely trigger: the change closest before the first alert (or the declaration).
 */
export function buildTimeline(facts: TimelineFacts, options: TimelineOptions, now: Date): IncidentTimeline {
  const { incident } = facts;
  const alert = firstAlertOf(facts, options.windowMs);
  const window = timelineWindow(incident, alert ? timeOf(alert) : undefined, options.windowMs, now);
  const within = (event: LedgerEvent): boolean => timeOf(event) >= window.since.getTime() && timeOf(event) <= window.until.getTime();
  const subjects = new Set([...facts.subjects.services, ...facts.subjects.dependencies]);
  const changes = facts.events.filter((event) => within(event) && event.subject !== undefined && subjects.has(event.subject));
  const seen = new Set<number>();
  const unique = [...changes.map((event) => toEntry(event, describeChange(event))), ...facts.incidentEvents.map((event) => toEntry(event, incidentSummary(incident, event)))].filter(
    (entry) => !seen.has(entry.seq) && seen.add(entry.seq),
  );
  // each time parsed once: a comparator parsing both sides costs more than the rest of the assembly
  const entries = unique
    .map((entry) => ({ entry, ms: timeOf(entry) }))
    .sort((a, b) => a.ms - b.ms || a.entry.seq - b.entry.seq)
    .map(({ entry }) => entry);
  const reference = alert
    ? { time: alert.time, seq: alert.seq, label: `the first alert (${String(dataOf(alert).alertname ?? 'alert')} on ${alert.subject ?? 'an unnamed subject'})` }
    : { time: incident.declaredAt, seq: Number.POSITIVE_INFINITY, label: 'the declaration' };
  const trigger = entries.filter((entry) => isTriggerCandidate(entry) && inOrder(entry, reference) < 0).at(-1);
  const marked = trigger ? { ...trigger, likelyTrigger: true as const, triggerReason: triggerReason(trigger, reference, facts.subjects) } : undefined;
  return {
    incidentId: incident.id,
    window: { since: window.since.toISOString(), until: window.until.toISOString() },
    subjects: facts.subjects,
    ...(alert ? { firstAlert: { time: alert.time, seq: alert.seq, alertname: String(dataOf(alert).alertname ?? 'alert'), ...(alert.subject ? { service: alert.subject } : {}) } } : {}),
    ...(marked ? { likelyTrigger: marked } : {}),
    entries: marked ? entries.map((entry) => (entry.seq === marked.seq ? marked : entry)) : entries,
  };
}
