import type { LedgerEvent } from '../../ledger/types.ts';
import type { FollowUp, ManualLink } from './types.ts';

export const DAY_MS = 86_400_000;
/** A postmortem follow-up without a due date is due this long after its postmortem. */
export const postmortemFollowUpDueMs = 14 * DAY_MS;

/** Postmortem follow-up fields that identify it in a change (an issue key, a link). */
const postmortemKeyFields = ['id', 'key', 'issue', 'ticket', 'url', 'link'];

type Data = Readonly<Record<string, unknown>>;

export function eventData(event: LedgerEvent): Data {
  return typeof event.data === 'object' && event.data !== null && !Array.isArray(event.data) ? (event.data as Data) : {};
}

function text(data: Data, key: string): string | undefined {
  const value = data[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The end of a YYYY-MM-DD day in UTC, or undefined when it is not a date. */
export function endOfDueDay(due: string | undefined): number | undefined {
  if (due === undefined || !/^\d{4}-\d{2}-\d{2}$/.test(due)) return undefined;
  const start = Date.parse(`${due}T00:00:00Z`);
  return Number.isNaN(start) ? undefined : start + DAY_MS;
}

interface IncidentFacts {
  readonly declaredAt?: number;
  readonly services: readonly string[];
  /** the latest postmortem: its follow-ups are the ones that count */
  postmortem?: LedgerEvent;
}

/**
 * Every follow-up the events (oldest first) record: `followup.created` events and the follow-ups of each
 * incident's latest postmortem, with their hand-made links and closures. Pure.
 */
export function followUpsOf(events: readonly LedgerEvent[]): FollowUp[] {
  const incidents = incidentFactsOf(events);
  const created = events.filter((event) => event.type === 'dev.steadyops.followup.created').flatMap((event) => createdFollowUp(event, incidents));
  const ids = new Set(created.map((followUp) => followUp.id.toUpperCase()));
  const fromPostmortems = [...incidents].flatMap(([incidentId, facts]) =>
    facts.postmortem ? postmortemFollowUps(incidentId, facts, facts.postmortem).filter((followUp) => !ids.has(followUp.id.toUpperCase())) : [],
  );
  return [...created, ...fromPostmortems].map((followUp) => withLinksAndClosure(followUp, events));
}

function incidentFactsOf(events: readonly LedgerEvent[]): Map<string, IncidentFacts> {
  const incidents = new Map<string, IncidentFacts>();
  for (const event of events) {
    if (!event.type.startsWith('dev.steadyops.incident.')) continue;
    const data = eventData(event);
    const id = text(data, 'incidentId');
    if (!id) continue;
    const facts = incidents.get(id) ?? { services: [] };
    if (event.type === 'dev.steadyops.incident.declared') {
      const services = Array.isArray(data.services) ? data.services.filter((name): name is string => typeof name === 'string') : [];
      incidents.set(id, { ...facts, declaredAt: Date.parse(event.time), services });
    } else if (event.type === 'dev.steadyops.incident.postmortem') {
      incidents.set(id, { ...facts, postmortem: event });
    } else {
      incidents.set(id, facts);
    }
  }
  return incidents;
}

function createdFollowUp(event: LedgerEvent, incidents: ReadonlyMap<string, IncidentFacts>): FollowUp[] {
  const data = eventData(event);
  const id = text(data, 'followUpId');
  const incidentId = text(data, 'incidentId');
  if (!id || !incidentId) return [];
  const incident = incidents.get(incidentId);
  const due = text(data, 'due');
  const owner = text(data, 'owner');
  const recordedAt = Date.parse(event.time);
  return [
    {
      id,
      incidentId,
      title: text(data, 'title') ?? '(untitled)',
      ...(owner ? { owner } : {}),
      ...(due ? { due } : {}),
      dueAt: endOfDueDay(due) ?? recordedAt + postmortemFollowUpDueMs,
      origin: 'followup',
      seq: event.seq,
      recordedAt: event.time,
      services: incident?.services ?? [],
      since: Math.min(incident?.declaredAt ?? recordedAt, recordedAt),
      keys: [id],
      manualLinks: [],
    },
  ];
}

function postmortemFollowUps(incidentId: string, incident: IncidentFacts, postmortem: LedgerEvent): FollowUp[] {
  const list = eventData(postmortem).followUps;
  if (!Array.isArray(list)) return [];
  const postmortemAt = Date.parse(postmortem.time);
  return list.flatMap((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return [];
    const entry = item as Data;
    const keys = postmortemKeyFields.flatMap((field) => (text(entry, field) ? [text(entry, field)!] : []));
    const due = text(entry, 'due');
    const owner = text(entry, 'owner');
    return [
      {
        id: keys[0] ?? `${incidentId}/${index + 1}`,
        incidentId,
        title: text(entry, 'title') ?? '(untitled)',
        ...(owner ? { owner } : {}),
        ...(due ? { due } : {}),
        dueAt: endOfDueDay(due) ?? postmortemAt + postmortemFollowUpDueMs,
        origin: 'postmortem' as const,
        seq: postmortem.seq,
        recordedAt: postmortem.time,
        services: incident.services,
        since: incident.declaredAt ?? postmortemAt,
        // a follow-up without an id of its own is done by a change that names its incident
        keys: keys.length > 0 ? keys : [incidentId],
        manualLinks: [],
      },
    ];
  });
}

function withLinksAndClosure(followUp: FollowUp, events: readonly LedgerEvent[]): FollowUp {
  const own = events.filter((event) => event.type.startsWith('dev.steadyops.followup.') && sameId(text(eventData(event), 'followUpId'), followUp.id));
  const manualLinks = own.filter((event) => event.type === 'dev.steadyops.followup.linked').flatMap(manualLinkOf);
  const closing = own.find((event) => event.type === 'dev.steadyops.followup.closed');
  if (!closing) return { ...followUp, manualLinks };
  const reason = text(eventData(closing), 'reason');
  return { ...followUp, manualLinks, closed: { seq: closing.seq, at: closing.time, by: closing.actor, ...(reason ? { reason } : {}) } };
}

function manualLinkOf(event: LedgerEvent): ManualLink[] {
  const change = eventData(event).change;
  if (typeof change !== 'object' || change === null || Array.isArray(change)) return [];
  const data = change as Data;
  const seq = typeof data.seq === 'number' ? data.seq : undefined;
  const type = text(data, 'type');
  const ref = text(data, 'ref');
  return [{ ...(seq !== undefined ? { seq } : {}), ...(type ? { type } : {}), ...(ref ? { ref } : {}), at: event.time }];
}

export function sameId(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toUpperCase() === b.toUpperCase();
}
