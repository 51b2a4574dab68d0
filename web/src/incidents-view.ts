/** The Incidents pages' logic, kept pure for unit tests: filters in the URL, API answers read defensively, durations. */
import type { LedgerEvent } from './api-types.ts';
import { eventSeqLink } from './event-links.ts';

export const incidentSeverities = ['sev1', 'sev2', 'sev3', 'sev4'] as const;

export interface IncidentsFilter {
  /** '' for every incident */
  readonly state: '' | 'open' | 'resolved';
  readonly severity: string;
  readonly service: string;
  /** cursor: the last incident id of the previous page */
  readonly cursor: string;
}

export function incidentsFilterFromSearch(search: string): IncidentsFilter {
  const params = new URLSearchParams(search);
  const state = params.get('state');
  const severity = params.get('severity') ?? '';
  return {
    state: state === 'all' ? '' : state === 'resolved' ? 'resolved' : 'open',
    severity: (incidentSeverities as readonly string[]).includes(severity) ? severity : '',
    service: params.get('service')?.trim() ?? '',
    cursor: params.get('cursor')?.trim() ?? '',
  };
}

/** The Incidents page's query string: open incidents are the default, `state=all` shows every one. */
export function incidentsFilterToSearch(filter: IncidentsFilter): string {
  const params = new URLSearchParams();
  if (filter.state !== 'open') params.set('state', filter.state === '' ? 'all' : filter.state);
  if (filter.severity) params.set('severity', filter.severity);
  if (filter.service) params.set('service', filter.service);
  if (filter.cursor) params.set('cursor', filter.cursor);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export function incidentsApiQuery(filter: IncidentsFilter, limit = 50): string {
  const params = new URLSearchParams({ limit: String(limit) });
  if (filter.state) params.set('state', filter.state);
  if (filter.severity) params.set('severity', filter.severity);
  if (filter.service) params.set('service', filter.service);
  if (filter.cursor) params.set('cursor', filter.cursor);
  return `/api/v1/incidents?${params.toString()}`;
}

export function incidentLink(id: string): string {
  return `/incidents/${encodeURIComponent(id)}`;
}

export interface IncidentView {
  readonly id: string;
  readonly title: string;
  readonly severity: string;
  readonly status: string;
  readonly services: readonly string[];
  readonly environment?: string;
  readonly roles: Readonly<Record<string, string>>;
  readonly summary?: string;
  readonly fromAlert?: string;
  readonly declaredAt: string;
  readonly acknowledgedAt?: string;
  readonly mitigatedAt?: string;
  readonly resolvedAt?: string;
  readonly postmortemUrl?: string;
  readonly updates: ReadonlyArray<{ readonly at: string; readonly kind: string; readonly actor: string; readonly message: string; readonly status?: string; readonly severity?: string; readonly seq?: number }>;
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The list inside an answer: a bare array, or the first of `keys` that holds one. */
export function listOf(answer: unknown, keys: readonly string[]): unknown[] {
  if (Array.isArray(answer)) return answer;
  const entry = record(answer);
  for (const key of keys) if (Array.isArray(entry[key])) return entry[key] as unknown[];
  return [];
}

function optional<T>(key: string, value: T | undefined): Record<string, T> {
  return value === undefined ? {} : { [key]: value };
}

/** One incident as the API answers it (the incident state), or wrapped in `{ incident }`. */
export function incidentOf(answer: unknown): IncidentView {
  const outer = record(answer);
  const entry = record(outer.incident ?? answer);
  const roles = Object.fromEntries(Object.entries(record(entry.roles)).filter((pair): pair is [string, string] => typeof pair[1] === 'string'));
  const updates = (Array.isArray(entry.updates) ? entry.updates : []).map((item) => {
    const update = record(item);
    return {
      at: str(update.at) ?? '',
      kind: str(update.kind) ?? 'updated',
      actor: str(update.actor) ?? '',
      message: str(update.message) ?? '',
      ...optional('status', str(update.status)),
      ...optional('severity', str(update.severity)),
      ...optional('seq', num(update.seq)),
    };
  });
  return {
    id: str(entry.id) ?? str(entry.incidentId) ?? '?',
    title: str(entry.title) ?? '(no title)',
    severity: str(entry.severity) ?? '?',
    status: str(entry.status) ?? '?',
    services: Array.isArray(entry.services) ? entry.services.filter((service): service is string => typeof service === 'string') : [],
    roles,
    declaredAt: str(entry.declaredAt) ?? '',
    updates,
    ...optional('environment', str(entry.environment)),
    ...optional('summary', str(entry.summary)),
    ...optional('fromAlert', str(entry.fromAlert)),
    ...optional('acknowledgedAt', str(entry.acknowledgedAt)),
    ...optional('mitigatedAt', str(entry.mitigatedAt)),
    ...optional('resolvedAt', str(entry.resolvedAt)),
    ...optional('postmortemUrl', str(entry.postmortemUrl)),
  };
}

export function incidentsOf(answer: unknown): { items: IncidentView[]; nextCursor?: string } {
  const nextCursor = str(record(answer).nextCursor);
  return { items: listOf(answer, ['items', 'incidents']).map(incidentOf), ...optional('nextCursor', nextCursor) };
}

export interface TimelineEntryView {
  readonly time: string;
  readonly kind: string;
  readonly summary: string;
  readonly service?: string;
  readonly actor?: string;
  readonly seq?: number;
  readonly eventId?: string;
  readonly source?: string;
  readonly likelyTrigger: boolean;
  readonly reason?: string;
  /** ingested_at - time, shown when the source's clock or delivery lagged */
  readonly ingestionDelayMs?: number;
}

export function timelineOf(answer: unknown): { entries: TimelineEntryView[]; nextCursor?: string } {
  const entries = listOf(answer, ['entries', 'timeline', 'items']).map((item) => {
    const entry = record(item);
    const trigger = entry.likelyTrigger;
    const triggerRecord = record(trigger);
    return {
      time: str(entry.time) ?? str(entry.at) ?? '',
      kind: str(entry.kind) ?? str(entry.type) ?? '?',
      summary: str(entry.summary) ?? str(entry.message) ?? '',
      likelyTrigger: trigger === true || str(triggerRecord.reason) !== undefined,
      ...optional('service', str(entry.service) ?? str(entry.subject)),
      ...optional('actor', str(entry.actor)),
      ...optional('seq', num(entry.seq)),
      ...optional('eventId', str(entry.id) ?? str(entry.eventId)),
      ...optional('source', str(entry.source)),
      ...optional('reason', str(entry.triggerReason) ?? str(entry.reason) ?? str(triggerRecord.reason)),
      ...optional('ingestionDelayMs', num(entry.ingestionDelayMs) ?? num(entry.ingestionDelay)),
    };
  });
  const nextCursor = str(record(answer).nextCursor) ?? str(record(answer).cursor);
  return { entries, ...optional('nextCursor', nextCursor) };
}

/** The ledger event behind a timeline entry: its own page when its id is known, else its page by seq. */
export function timelineEntryLink(entry: TimelineEntryView): string | undefined {
  if (entry.eventId && entry.source) return `/events/${encodeURIComponent(entry.eventId)}?source=${encodeURIComponent(entry.source)}`;
  if (entry.seq !== undefined) return eventSeqLink(entry.seq);
  return undefined;
}

export interface FollowUpView {
  readonly id: string;
  readonly incidentId: string;
  readonly title: string;
  readonly owner?: string;
  readonly due?: string;
  readonly status: string;
  readonly closedWithoutChange: boolean;
  readonly seq?: number;
  readonly changes: number;
}

export function followUpsOf(answer: unknown): FollowUpView[] {
  return listOf(answer, ['followUps', 'followups', 'items']).map((item) => {
    const entry = record(item);
    return {
      id: str(entry.id) ?? '?',
      incidentId: str(entry.incidentId) ?? '',
      title: str(entry.title) ?? '',
      status: str(entry.status) ?? '?',
      closedWithoutChange: entry.closedWithoutChange === true,
      changes: Array.isArray(entry.changes) ? entry.changes.length : 0,
      ...optional('owner', str(entry.owner)),
      ...optional('due', str(entry.due)),
      ...optional('seq', num(entry.seq)),
    };
  });
}

/** How long from `from` to `to` (or now while it is still going), in ms; undefined when `from` is unknown. */
export function elapsedMs(from: string | undefined, to: string | undefined, now: Date): number | undefined {
  if (!from) return undefined;
  const start = Date.parse(from);
  if (Number.isNaN(start)) return undefined;
  const end = to ? Date.parse(to) : now.getTime();
  return Number.isNaN(end) ? undefined : end - start;
}

/** A live ledger event that changes what the incident page shows: one of its own events, or an event on an affected service. */
export function concernsIncident(event: LedgerEvent, incident: Pick<IncidentView, 'id' | 'services'>): boolean {
  const data = record(event.data);
  if (data.incidentId === incident.id) return true;
  return event.subject !== undefined && incident.services.includes(event.subject);
}

export function severityTone(severity: string): 'bad' | 'warn' | 'unknown' {
  return severity === 'sev1' || severity === 'sev2' ? 'bad' : severity === 'sev3' ? 'warn' : 'unknown';
}

export interface DeclareForm {
  readonly title: string;
  readonly severity: string;
  /** comma- or space-separated service names */
  readonly services: string;
  readonly commander: string;
}

/** The POST /api/v1/incidents body from the form, or what is missing, said before anything is sent. */
export function declareBody(form: DeclareForm): { body: Record<string, unknown> } | { problem: string } {
  const title = form.title.trim();
  const services = form.services.split(/[\s,]+/).filter((service) => service !== '');
  if (title === '') return { problem: 'Give the incident a title: what users see.' };
  if (!(incidentSeverities as readonly string[]).includes(form.severity)) return { problem: `Pick a severity: ${incidentSeverities.join(', ')}.` };
  if (services.length === 0) return { problem: 'Name at least one affected service.' };
  const commander = form.commander.trim();
  return { body: { title, severity: form.severity, services, ...(commander ? { commander } : {}) } };
}
