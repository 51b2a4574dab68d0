/** The Changes page's state, kept in the URL query string so every view is a deep link. */
export interface ChangesFilter {
  readonly since: string;
  readonly until: string;
  readonly service: string;
  readonly team: string;
  /** an event type or a prefix ending in `*` */
  readonly type: string;
  readonly actor: string;
  /** cursor: only events with a lower seq */
  readonly before: string;
}

export const defaultChangesFilter: ChangesFilter = { since: '24h', until: '', service: '', team: '', type: '', actor: '', before: '' };

export const timeRanges = ['30m', '2h', '6h', '24h', '7d', '14d', '30d', '90d'] as const;

export const pageSize = 50;

/** The kinds of change a type filter offers, as `dev.steadyops.<area>.*` prefixes. */
export const typeAreas = ['deploy', 'rollback', 'rollout', 'config', 'infra', 'flag', 'access', 'alert', 'incident', 'gate', 'backup', 'restore', 'audit', 'token'] as const;

export function typePrefix(area: string): string {
  return `dev.steadyops.${area}.*`;
}

const keys = Object.keys(defaultChangesFilter) as (keyof ChangesFilter)[];

export function filterFromSearch(search: string): ChangesFilter {
  const params = new URLSearchParams(search);
  const filter: Record<string, string> = { ...defaultChangesFilter };
  for (const key of keys) {
    const value = params.get(key)?.trim();
    if (value) filter[key] = value;
  }
  return filter as unknown as ChangesFilter;
}

/** The query string of a filter, defaults left out so links stay short; '' for the default view. */
export function filterToSearch(filter: ChangesFilter): string {
  const params = new URLSearchParams();
  for (const key of keys) {
    const value = filter[key].trim();
    if (value !== '' && value !== defaultChangesFilter[key]) params.set(key, value);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** Changing any filter goes back to the newest page. */
export function withFilter(filter: ChangesFilter, change: Partial<ChangesFilter>): ChangesFilter {
  return { ...filter, before: '', ...change };
}

/** The /api/v1/changes query for a filter: the server filters and paginates. */
export function changesApiQuery(filter: ChangesFilter, limit = pageSize): string {
  const params = new URLSearchParams({ since: filter.since, limit: String(limit) });
  if (filter.until) params.set('until', filter.until);
  if (filter.service) params.set('service', filter.service);
  if (filter.team) params.set('team', filter.team);
  if (filter.type) params.set('type', filter.type);
  if (filter.actor) params.set('actor', filter.actor);
  if (filter.before) params.set('before', filter.before);
  return `/api/v1/changes?${params.toString()}`;
}

/** A link to the Changes page showing this selection. */
export function changesLink(change: Partial<ChangesFilter>): string {
  return `/changes${filterToSearch({ ...defaultChangesFilter, ...change })}`;
}
