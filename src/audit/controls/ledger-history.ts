import { environmentOf } from '../../ledger/event-types.ts';
import type { LedgerEvent } from '../../ledger/types.ts';
import type { ResolvedModel } from '../../model/resolve.ts';
import type { AuditFacts } from '../facts.ts';

// Pure readings of `facts.ledger.events` (oldest first) that several controls share.

export type EventData = Readonly<Record<string, unknown>>;

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** The actor the Kubernetes watcher records workload and ConfigMap changes under. */
export const clusterWatcherActor = 'system:kubernetes';

export function dataOf(event: LedgerEvent): EventData {
  return typeof event.data === 'object' && event.data !== null && !Array.isArray(event.data) ? (event.data as EventData) : {};
}

export function textOf(data: EventData, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function ledgerEvents(facts: AuditFacts): readonly LedgerEvent[] {
  return facts.ledger?.events ?? [];
}

export function ofType(events: readonly LedgerEvent[], ...types: readonly string[]): LedgerEvent[] {
  return events.filter((event) => types.includes(event.type));
}

export function timeOf(event: LedgerEvent): number {
  return Date.parse(event.time);
}

/** The events of the `days` up to `now` (none after it). */
export function eventsOfLastDays(events: readonly LedgerEvent[], now: Date, days: number): LedgerEvent[] {
  const since = now.getTime() - days * DAY_MS;
  return events.filter((event) => timeOf(event) >= since && timeOf(event) <= now.getTime());
}

/** The service an event concerns: `data.service`, else its subject (a bare name or `service/NAME`). */
export function serviceOf(event: LedgerEvent): string | undefined {
  return textOf(dataOf(event), 'service') ?? event.subject?.replace(/^service\//i, '');
}

/** The datastore an event concerns: `data.datastore`, else its subject. */
export function datastoreOf(event: LedgerEvent): string | undefined {
  return textOf(dataOf(event), 'datastore') ?? event.subject?.replace(/^datastore\//i, '');
}

export function environmentOfEvent(event: LedgerEvent): string | undefined {
  return event.environment ?? environmentOf(event);
}

/** Production: an Environment the model protects `strict`, or one named prod/production (prod-eu, production-us). */
export function isProductionEnvironment(model: ResolvedModel | undefined, environment: string | undefined): boolean {
  if (environment === undefined) return false;
  if (model?.environments.some((entry) => entry.name === environment && entry.protection === 'strict')) return true;
  return /^prod(uction)?([-_.].*)?$/i.test(environment);
}

/** A person, not a system account (`system:github-actions`, `system:alertmanager`). */
export function isPerson(actor: string | undefined): actor is string {
  return actor !== undefined && actor !== '' && !actor.startsWith('system:');
}

export function daysAgo(now: Date, time: string | number): number {
  const at = typeof time === 'number' ? time : Date.parse(time);
  return Math.round((now.getTime() - at) / DAY_MS);
}

/** `2026-11-20` for evidence sentences. */
export function dateOf(time: string | number): string {
  return new Date(typeof time === 'number' ? time : Date.parse(time)).toISOString().slice(0, 10);
}

export function sinceText(facts: AuditFacts): string {
  return facts.ledger ? `since ${dateOf(facts.ledger.since)}` : 'in the ledger';
}

export function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

export function groupBy<T>(items: readonly T[], key: (item: T) => string | undefined): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    if (name === undefined) continue;
    groups.set(name, [...(groups.get(name) ?? []), item]);
  }
  return groups;
}

/** `deploy.finished 2, config.changed 1` */
export function typeCounts(events: readonly LedgerEvent[]): string {
  return [...countBy(events, (event) => event.type.replace(/^dev\.steadyops\./, ''))].map(([type, count]) => `${type} ${count}`).join(', ');
}

export function plural(count: number, noun: string, many = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : many}`;
}

export function byName<T>(items: readonly T[], name: (item: T) => string): T[] {
  return [...items].sort((a, b) => (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
}

// ---------------------------------------------------------------- deploys

export interface DeployRecord {
  readonly service: string;
  readonly environment: string;
  readonly version?: string;
  /** when it started (or finished, when its start was not recorded) */
  readonly at: number;
  readonly event: LedgerEvent;
  readonly outcome: 'started' | 'finished' | 'failed';
  /** the person who ran it: `data.triggeredBy`, `data.actor`, `data.deployer`, else the event's actor when a person */
  readonly person?: string;
}

const deployTypes = ['dev.steadyops.deploy.started', 'dev.steadyops.deploy.finished', 'dev.steadyops.deploy.failed'];

/** One record per deploy: a start and its outcome (same service, environment and version, or deploy id) are one deploy. */
export function deploysOf(events: readonly LedgerEvent[]): DeployRecord[] {
  const records: DeployRecord[] = [];
  const open = new Map<string, number>();
  for (const event of ofType(events, ...deployTypes)) {
    const data = dataOf(event);
    const service = serviceOf(event);
    const environment = environmentOfEvent(event);
    if (!service || !environment) continue;
    const version = textOf(data, 'version');
    const key = textOf(data, 'deployId') ?? `${service}@${environment}@${version ?? ''}`;
    const outcome = event.type.slice('dev.steadyops.deploy.'.length) as DeployRecord['outcome'];
    const index = open.get(key);
    if (outcome !== 'started' && index !== undefined) {
      records[index] = { ...records[index]!, outcome };
      open.delete(key);
      continue;
    }
    const person = textOf(data, 'triggeredBy') ?? textOf(data, 'actor') ?? textOf(data, 'deployer') ?? (isPerson(event.actor) ? event.actor : undefined);
    records.push({ service, environment, ...(version ? { version } : {}), at: timeOf(event), event, outcome, ...(person ? { person } : {}) });
    if (outcome === 'started') open.set(key, records.length - 1);
  }
  return records;
}

export function productionDeploys(facts: AuditFacts): DeployRecord[] {
  return deploysOf(ledgerEvents(facts)).filter((deploy) => isProductionEnvironment(facts.model?.model, deploy.environment));
}

// ---------------------------------------------------------------- access

export interface AccessRequestHistory {
  readonly requestId: string;
  readonly role?: string;
  readonly requester?: string;
  readonly approvals: LedgerEvent[];
  readonly grants: LedgerEvent[];
  readonly breakglass: LedgerEvent[];
  readonly revocations: LedgerEvent[];
}

export const accessTypes = [
  'dev.steadyops.access.requested',
  'dev.steadyops.access.approved',
  'dev.steadyops.access.denied',
  'dev.steadyops.access.granted',
  'dev.steadyops.access.revoked',
  'dev.steadyops.access.breakglass',
];

const accessBuckets: Partial<Record<string, 'approvals' | 'grants' | 'breakglass' | 'revocations'>> = {
  'dev.steadyops.access.approved': 'approvals',
  'dev.steadyops.access.granted': 'grants',
  'dev.steadyops.access.breakglass': 'breakglass',
  'dev.steadyops.access.revoked': 'revocations',
};

/** Access events by request id (a break-glass without one is keyed by its event id), in first-seen order. */
export function accessRequestsOf(events: readonly LedgerEvent[]): AccessRequestHistory[] {
  const requests = new Map<string, AccessRequestHistory>();
  for (const event of ofType(events, ...accessTypes)) {
    const data = dataOf(event);
    const requestId = textOf(data, 'requestId') ?? `${event.source}#${event.id}`;
    const role = textOf(data, 'role');
    const requester = textOf(data, 'requester');
    const entry = requests.get(requestId) ?? {
      requestId,
      ...(role ? { role } : {}),
      ...(requester ? { requester } : {}),
      approvals: [],
      grants: [],
      breakglass: [],
      revocations: [],
    };
    const bucket = accessBuckets[event.type];
    if (bucket) entry[bucket].push(event);
    requests.set(requestId, entry);
  }
  return [...requests.values()];
}

/** How long a grant (or break-glass) lasts: from its time to `data.expiresAt`. */
export function grantLengthMs(event: LedgerEvent): number | undefined {
  const expiresAt = textOf(dataOf(event), 'expiresAt');
  const end = expiresAt === undefined ? Number.NaN : Date.parse(expiresAt);
  return Number.isNaN(end) ? undefined : end - timeOf(event);
}

// ---------------------------------------------------------------- incidents

export interface IncidentHistory {
  readonly id: string;
  readonly declared?: LedgerEvent;
  /** the declared severity, or the latest one an update set */
  readonly severity?: string;
  readonly title?: string;
  readonly services: readonly string[];
  readonly resolved?: LedgerEvent;
  readonly postmortems: readonly LedgerEvent[];
}

/** Incidents by id, in first-seen order. */
export function incidentsOf(events: readonly LedgerEvent[]): IncidentHistory[] {
  const incidents = new Map<string, IncidentHistory>();
  for (const event of events) {
    if (!event.type.startsWith('dev.steadyops.incident.')) continue;
    const data = dataOf(event);
    const id = textOf(data, 'incidentId');
    if (!id) continue;
    const entry = incidents.get(id) ?? { id, services: [], postmortems: [] };
    incidents.set(id, { ...entry, ...incidentUpdate(event, data, entry) });
  }
  return [...incidents.values()];
}

function incidentUpdate(event: LedgerEvent, data: EventData, entry: IncidentHistory): Partial<IncidentHistory> {
  const severity = textOf(data, 'severity');
  switch (event.type) {
    case 'dev.steadyops.incident.declared': {
      const services = Array.isArray(data.services) ? data.services.filter((name): name is string => typeof name === 'string') : [];
      const title = textOf(data, 'title');
      return { declared: event, services, ...(severity ? { severity } : {}), ...(title ? { title } : {}) };
    }
    case 'dev.steadyops.incident.updated':
      return severity ? { severity } : {};
    case 'dev.steadyops.incident.resolved':
      return { resolved: event };
    case 'dev.steadyops.incident.postmortem':
      return { postmortems: [...entry.postmortems, event] };
    default:
      return {};
  }
}

// ---------------------------------------------------------------- datastores

export interface DatastoreHistory {
  readonly backupsCompleted: LedgerEvent[];
  readonly backupsFailed: LedgerEvent[];
  readonly drillsVerified: LedgerEvent[];
  readonly drillsFailed: LedgerEvent[];
  readonly drillsStarted: LedgerEvent[];
}

const datastoreBuckets: Partial<Record<string, keyof DatastoreHistory>> = {
  'dev.steadyops.backup.completed': 'backupsCompleted',
  'dev.steadyops.backup.failed': 'backupsFailed',
  'dev.steadyops.restore.drill.verified': 'drillsVerified',
  'dev.steadyops.restore.drill.failed': 'drillsFailed',
  'dev.steadyops.restore.drill.started': 'drillsStarted',
};

/** Backup and restore drill events of one datastore, oldest first. */
export function datastoreHistory(events: readonly LedgerEvent[], datastore: string): DatastoreHistory {
  const history: DatastoreHistory = { backupsCompleted: [], backupsFailed: [], drillsVerified: [], drillsFailed: [], drillsStarted: [] };
  for (const event of events) {
    const bucket = datastoreBuckets[event.type];
    if (bucket && datastoreOf(event) === datastore) history[bucket].push(event);
  }
  return history;
}

export function last<T>(items: readonly T[]): T | undefined {
  return items[items.length - 1];
}

/** `text` names `id` as a whole token (INC-1 is not named by INC-10), case-insensitively. */
export function mentions(text: string, id: string): boolean {
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${escaped}($|[^a-z0-9])`, 'i').test(text);
}
