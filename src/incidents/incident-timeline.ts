import type { Ledger } from '../ledger/types.ts';
import { SteadyopsError } from '../lib/errors.ts';
import { findService, type ResolvedModel } from '../model/resolve.ts';
import { buildTimeline, firstAlertOf, timelineTypes, type IncidentTimeline, type TimelineEntry, type TimelineSubjects } from './build-timeline.ts';
import { findFiringAlert, fromAlertLookbackMs } from './incident-ledger.ts';
import { incidentState } from './incident-state.ts';
import type { IncidentService } from './incident-service.ts';
import type { IncidentState } from './incident-types.ts';
import { readAllPages } from './read-ledger-pages.ts';

const firingType = 'dev.steadyops.alert.firing';

/** Pure: the affected services and what they depend on (services and datastores) in the model. */
export function timelineSubjects(incident: IncidentState, model: ResolvedModel | undefined): TimelineSubjects {
  const services = [...incident.services];
  const dependencies = new Set<string>();
  for (const name of services) {
    for (const dependency of (model && findService(model, name)?.dependsOn) ?? []) {
      const target = dependency.service ?? dependency.datastore;
      if (target && !services.includes(target)) dependencies.add(target);
    }
  }
  return { services, dependencies: [...dependencies] };
}

export interface TimelineReaderDeps {
  readonly ledger: Ledger;
  readonly incidents: IncidentService;
  readonly model: () => ResolvedModel | undefined;
}

/**
 * Reads what an incident's timeline needs with bounded, paginated queries (its subjects, the timeline
 * types, one window) and assembles it with `buildTimeline`.
 */
export async function readIncidentTimeline(deps: TimelineReaderDeps, incidentId: string, windowMs: number, now: Date): Promise<IncidentTimeline> {
  const incidentEvents = await deps.incidents.events(incidentId);
  const incident = incidentState(incidentEvents) as IncidentState;
  const subjects = timelineSubjects(incident, deps.model());
  const declaredAt = Date.parse(incident.declaredAt);
  const names = [...subjects.services, ...subjects.dependencies];
  const alert = incident.fromAlert ? await findFiringAlert(deps.ledger, incident.fromAlert, new Date(declaredAt), fromAlertLookbackMs) : undefined;
  // the first alert first (a small read), so the window read starts where the timeline does
  const alerts = alert ? [alert] : await readAllPages(deps.ledger, { subjects: names, types: [firingType], since: new Date(declaredAt - windowMs), until: new Date(declaredAt) });
  const first = firstAlertOf({ incident, incidentEvents: [], events: alerts, subjects }, windowMs);
  const since = new Date((first ? Date.parse(first.time) : declaredAt) - windowMs);
  const until = incident.resolvedAt ? new Date(incident.resolvedAt) : now;
  const events = await readAllPages(deps.ledger, { subjects: names, types: [...timelineTypes], since, until });
  return buildTimeline({ incident, incidentEvents, events: alert ? [...events, alert] : events, subjects }, { windowMs }, now);
}

export interface TimelinePage extends IncidentTimeline {
  /** the seq of the last entry returned: pass as `cursor` for the next page; absent on the last page */
  readonly nextCursor?: number;
}

/** Pure: `limit` entries after the entry whose seq is `cursor`. */
export function pageTimeline(timeline: IncidentTimeline, page: { limit?: number; cursor?: number }): TimelinePage {
  let start = 0;
  if (page.cursor !== undefined) {
    const at = timeline.entries.findIndex((entry) => entry.seq === page.cursor);
    if (at < 0) throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `cursor: no timeline entry has seq ${page.cursor}` }, [{ path: 'cursor', message: 'not a seq of this timeline' }]);
    start = at + 1;
  }
  const entries: TimelineEntry[] = timeline.entries.slice(start, page.limit === undefined ? undefined : start + page.limit);
  const more = start + entries.length < timeline.entries.length;
  return { ...timeline, entries, ...(more && entries.length > 0 ? { nextCursor: entries.at(-1)!.seq } : {}) };
}
