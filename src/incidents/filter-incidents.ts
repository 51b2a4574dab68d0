import { SteadyopsError } from '../lib/errors.ts';
import type { IncidentSeverity, IncidentState } from './incident-types.ts';

export interface IncidentFilter {
  /** open: not resolved yet; resolved: closed */
  readonly state?: 'open' | 'resolved';
  readonly severity?: IncidentSeverity;
  readonly service?: string;
  /** declared at or after */
  readonly since?: Date;
  readonly limit?: number;
  /** the id of the last incident of the previous page */
  readonly cursor?: string;
}

export interface IncidentPage {
  readonly items: IncidentState[];
  /** pass as `cursor` for the next page; absent on the last page */
  readonly nextCursor?: string;
}

export const defaultIncidentLimit = 50;

/** Pure: the page of `incidents` (newest first) the filter selects. */
export function filterIncidents(incidents: readonly IncidentState[], filter: IncidentFilter): IncidentPage {
  const selected = incidents.filter(
    (incident) =>
      (filter.state === undefined || (filter.state === 'resolved') === (incident.status === 'resolved')) &&
      (filter.severity === undefined || incident.severity === filter.severity) &&
      (filter.service === undefined || incident.services.includes(filter.service)) &&
      (filter.since === undefined || Date.parse(incident.declaredAt) >= filter.since.getTime()),
  );
  const start = filter.cursor === undefined ? 0 : selected.findIndex((incident) => incident.id === filter.cursor) + 1;
  if (filter.cursor !== undefined && start === 0) {
    const message = `${filter.cursor} is not an incident this filter lists; pass the nextCursor of the previous page`;
    throw new SteadyopsError('SO_E_INPUT_INVALID', { detail: `cursor: ${message}` }, [{ path: 'cursor', message }]);
  }
  const limit = filter.limit ?? defaultIncidentLimit;
  const items = selected.slice(start, start + limit);
  const last = items.at(-1);
  return { items, ...(last && start + limit < selected.length ? { nextCursor: last.id } : {}) };
}
