/** The Services page's catalog: its rows, and the search, filters and sort kept in the URL. Pure, unit-tested. */
import type { AuditScorecard, CatalogModel, CatalogTeam, LedgerEvent, SloStatus } from './api-types.ts';

export type CatalogSort = 'name' | 'tier' | 'team' | 'deploy' | 'findings';
export type ServicesView = 'catalog' | 'map';

export interface CatalogFilter {
  /** free text: matched against name, team, description, on-call */
  readonly q: string;
  readonly team: string;
  /** '1' | '2' | '3' or '' for any */
  readonly tier: string;
  readonly sort: CatalogSort;
  readonly view: ServicesView;
}

export const defaultCatalogFilter: CatalogFilter = { q: '', team: '', tier: '', sort: 'name', view: 'catalog' };

export const catalogSorts: readonly { readonly value: CatalogSort; readonly label: string }[] = [
  { value: 'name', label: 'name' },
  { value: 'tier', label: 'tier (critical first)' },
  { value: 'team', label: 'owner' },
  { value: 'deploy', label: 'last deploy (newest first)' },
  { value: 'findings', label: 'open findings (most first)' },
];

const sorts = new Set<string>(catalogSorts.map((sort) => sort.value));

export function catalogFilterFromSearch(search: string): CatalogFilter {
  const params = new URLSearchParams(search);
  const text = (key: string): string => params.get(key)?.trim() ?? '';
  const tier = text('tier');
  const sort = text('sort');
  return {
    q: text('q'),
    team: text('team'),
    tier: /^[123]$/.test(tier) ? tier : '',
    sort: sorts.has(sort) ? (sort as CatalogSort) : 'name',
    view: text('view') === 'map' ? 'map' : 'catalog',
  };
}

/** The query string of a filter, defaults left out; '' for the default view. */
export function catalogFilterToSearch(filter: CatalogFilter): string {
  const params = new URLSearchParams();
  for (const key of ['q', 'team', 'tier', 'sort', 'view'] as const) {
    const value = filter[key].trim();
    if (value !== '' && value !== defaultCatalogFilter[key]) params.set(key, value);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

export function servicesLink(change: Partial<CatalogFilter> = {}): string {
  return `/services${catalogFilterToSearch({ ...defaultCatalogFilter, ...change })}`;
}

export function serviceDetailLink(name: string): string {
  return `/services/${encodeURIComponent(name)}`;
}

/** Worst first: firing page, firing ticket, budget exhausted, no data, ok. */
export type SloState = 'page' | 'ticket' | 'exhausted' | 'nodata' | 'ok';

export interface SloSummary {
  readonly state: SloState;
  readonly count: number;
  /** the worst SLO's own summary line */
  readonly summary: string;
}

export interface LastDeploy {
  readonly time: string;
  readonly version?: string;
  readonly environment?: string;
  readonly id: string;
  readonly source: string;
}

export interface Maturity {
  readonly level: string;
  readonly openFindings: number;
}

export interface CatalogRow {
  readonly name: string;
  readonly description: string;
  readonly team: string;
  readonly teamTitle: string;
  readonly tier?: number;
  readonly oncall: string;
  readonly oncallUrl?: string;
  /** undefined: no SLO status known for this service (none defined, or Prometheus not answering) */
  readonly slo?: SloSummary;
  readonly lastDeploy?: LastDeploy;
  /** undefined: no audit report */
  readonly maturity?: Maturity;
}

/** A team's on-call, as the model declares it: a rotation's shape or an external schedule. */
export function oncallSummary(team: CatalogTeam | undefined): { readonly text: string; readonly url?: string } {
  const oncall = team?.oncall;
  if (oncall?.rotation) {
    const rotation = oncall.rotation;
    const people = `${rotation.members.length} ${rotation.members.length === 1 ? 'person' : 'people'}`;
    return { text: `rotation of ${people}, every ${rotation.period}, handoff ${rotation.handoff}${team?.timezone ? ` ${team.timezone}` : ''}` };
  }
  if (oncall?.schedule) {
    const schedule = oncall.schedule;
    return { text: `${schedule.provider} schedule ${schedule.id}`, ...(schedule.url ? { url: schedule.url } : {}) };
  }
  return { text: 'none declared' };
}

const sloRank: Record<SloState, number> = { page: 0, ticket: 1, exhausted: 2, nodata: 3, ok: 4 };

function sloStateOf(slo: SloStatus): SloState {
  if (slo.firing) return slo.firing;
  if (slo.noData) return 'nodata';
  if (slo.budgetRemaining !== undefined && slo.budgetRemaining <= 0) return 'exhausted';
  return 'ok';
}

/** Per service, its worst SLO. */
export function sloByService(slos: readonly SloStatus[]): Map<string, SloSummary> {
  const result = new Map<string, SloSummary>();
  for (const slo of slos) {
    const state = sloStateOf(slo);
    const seen = result.get(slo.service);
    if (!seen) result.set(slo.service, { state, count: 1, summary: slo.summary });
    else if (sloRank[state] < sloRank[seen.state]) result.set(slo.service, { state, count: seen.count + 1, summary: slo.summary });
    else result.set(slo.service, { ...seen, count: seen.count + 1 });
  }
  return result;
}

/** Per service, its newest deploy.finished among the events (which the server returns newest first). */
export function latestDeploys(events: readonly LedgerEvent[]): Map<string, LastDeploy> {
  const result = new Map<string, LastDeploy>();
  for (const event of events) {
    const data = (event.data ?? {}) as { service?: unknown; version?: unknown };
    const service = event.subject ?? (typeof data.service === 'string' ? data.service : undefined);
    if (!service) continue;
    const seen = result.get(service);
    if (seen && Date.parse(seen.time) >= Date.parse(event.time)) continue;
    result.set(service, {
      time: event.time,
      id: event.id,
      source: event.source,
      ...(typeof data.version === 'string' ? { version: data.version } : {}),
      ...(event.environment ? { environment: event.environment } : {}),
    });
  }
  return result;
}

/** Per service, its scorecard's level and the number of its open findings. */
export function maturityByService(scorecards: readonly AuditScorecard[]): Map<string, Maturity> {
  const result = new Map<string, Maturity>();
  for (const card of scorecards) {
    if (card.kind !== 'service') continue;
    const open = card.openFindings;
    result.set(card.name, { level: card.level, openFindings: open.low + open.medium + open.high + open.critical });
  }
  return result;
}

export interface CatalogSources {
  readonly slos?: ReadonlyMap<string, SloSummary>;
  readonly deploys?: ReadonlyMap<string, LastDeploy>;
  readonly maturity?: ReadonlyMap<string, Maturity>;
}

export function catalogRows(model: CatalogModel, sources: CatalogSources = {}): CatalogRow[] {
  const teams = new Map(model.teams.map((team) => [team.name, team]));
  return model.services.map((service) => {
    const team = teams.get(service.owner);
    const oncall = oncallSummary(team);
    const slo = sources.slos?.get(service.name);
    const lastDeploy = sources.deploys?.get(service.name);
    const maturity = sources.maturity?.get(service.name);
    return {
      name: service.name,
      description: service.description ?? '',
      team: service.owner,
      teamTitle: team?.title ?? service.owner,
      ...(service.tier !== undefined ? { tier: service.tier } : {}),
      oncall: oncall.text,
      ...(oncall.url ? { oncallUrl: oncall.url } : {}),
      ...(slo ? { slo } : {}),
      ...(lastDeploy ? { lastDeploy } : {}),
      ...(maturity ? { maturity } : {}),
    };
  });
}

/** Rows matching the team, tier and every word of the search (case-insensitive). */
export function filterRows(rows: readonly CatalogRow[], filter: Pick<CatalogFilter, 'q' | 'team' | 'tier'>): CatalogRow[] {
  const words = filter.q.toLowerCase().split(/\s+/).filter(Boolean);
  return rows.filter((row) => {
    if (filter.team && row.team !== filter.team) return false;
    if (filter.tier && String(row.tier ?? '') !== filter.tier) return false;
    const haystack = [row.name, row.team, row.teamTitle, row.description, row.oncall].join(' ').toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

const byName = (a: CatalogRow, b: CatalogRow): number => a.name.localeCompare(b.name);

/** A sorted copy; ties (and unknowns, last) fall back to the name. */
export function sortRows(rows: readonly CatalogRow[], sort: CatalogSort): CatalogRow[] {
  const compare: Record<CatalogSort, (a: CatalogRow, b: CatalogRow) => number> = {
    name: byName,
    tier: (a, b) => (a.tier ?? 99) - (b.tier ?? 99) || byName(a, b),
    team: (a, b) => a.team.localeCompare(b.team) || byName(a, b),
    deploy: (a, b) => (b.lastDeploy ? Date.parse(b.lastDeploy.time) : -Infinity) - (a.lastDeploy ? Date.parse(a.lastDeploy.time) : -Infinity) || byName(a, b),
    findings: (a, b) => (b.maturity?.openFindings ?? -1) - (a.maturity?.openFindings ?? -1) || byName(a, b),
  };
  return [...rows].sort(compare[sort]);
}

/** Bounded, filtered on the server: the newest deploy.finished events of the last 30 days. */
export const lastDeploysApiQuery = '/api/v1/changes?since=30d&type=dev.steadyops.deploy.finished&limit=1000';
